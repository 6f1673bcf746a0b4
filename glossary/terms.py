"""The term registry: one entry, one definition, for every term the site uses.

Each ``Term`` holds the names other sources use for it, its shape where it has one, and a short
runnable example. The site renders the registry as the Glossary page and the cross-walk table,
and turns every use of a term on a page into a tooltip with its definition.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    name: str
    definition: str
    """One sentence, plain words."""
    page: str
    """The page that explains the term, e.g. ``gates.md#forget-gate``."""
    keras: str
    """What Keras calls it: an argument, a weight, a returned array."""
    symbol: str = ""
    """The symbol in the equations (TeX)."""
    literature: str = ""
    """Other names in papers and tutorials (d2l.ai, colah's blog, ...)."""
    shape: str = ""
    example: str = ""
    """A complete script that prints something about the term."""


_X = 'x = np.zeros((3, 7, 5), "float32")  # (batch, timesteps, features)\n'
_IMPORTS = "import keras\nimport numpy as np\n\n"

TERMS: tuple[Term, ...] = (
    Term(
        "timestep",
        "One position of a sequence: the element a recurrent layer reads in one turn of its loop.",
        "rnn-and-unrolling.md",
        keras="axis 1 of the input",
        symbol="t",
        literature="time step, step, frame, token position",
        example=_IMPORTS + _X + "print(x.shape[1], 'timesteps')\n",
    ),
    Term(
        "features",
        "The numbers that describe one timestep; the last axis of a recurrent layer's input.",
        "input-shape.md",
        keras="axis 2 of the input; input_dim",
        symbol="x_t \\in \\mathbb{R}^{f}",
        literature="input size, input dimension, input variables",
        example=_IMPORTS + _X + "print(x.shape[2], 'features')\n",
    ),
    Term(
        "batch",
        "Sequences processed together; the first axis of a recurrent layer's input and output.",
        "input-shape.md",
        keras="axis 0, None in model summaries",
        literature="mini-batch, batch size",
        example=_IMPORTS + _X + "print(keras.layers.LSTM(4)(x).shape[0], 'sequences in, as many out')\n",
    ),
    Term(
        "units",
        "The size of a recurrent layer's state: the number of values in its hidden state and cell state.",
        "units-and-weight-shapes.md",
        keras="units (first argument)",
        symbol="u",
        literature="hidden size, number of hidden units, state size, num_units",
        shape="an integer",
        example=_IMPORTS + _X + "print(keras.layers.LSTM(4)(x).shape, '# 4 units')\n",
    ),
    Term(
        "hidden state",
        "The vector a recurrent layer outputs at each timestep and feeds back into itself at the next.",
        "cell-state-vs-hidden-state.md",
        keras="the layer's output; state_h with return_state=True",
        symbol="h_t",
        literature="output, short-term state, activation",
        shape="(batch, units)",
        example=_IMPORTS
        + _X
        + "_, state_h, _ = keras.layers.LSTM(4, return_state=True)(x)\nprint(state_h.shape)\n",
    ),
    Term(
        "cell state",
        "An LSTM's internal memory vector, changed at each timestep only by the forget and input gates.",
        "cell-state-vs-hidden-state.md",
        keras="state_c with return_state=True; the cell's carry state",
        symbol="c_t",
        literature="memory cell, cell, long-term state, carry",
        shape="(batch, units)",
        example=_IMPORTS
        + _X
        + "_, _, state_c = keras.layers.LSTM(4, return_state=True)(x)\nprint(state_c.shape)\n",
    ),
    Term(
        "gate",
        "A sigmoid layer whose outputs, between 0 and 1, scale another vector element by element.",
        "gates.md",
        keras="a block of units columns in kernel, recurrent_kernel and bias",
        symbol="\\sigma(\\cdot)",
        literature="gating unit",
        shape="(batch, units)",
        example="from glossary.reference import LSTM_GATES\n\nprint(LSTM_GATES)\n",
    ),
    Term(
        "forget gate",
        "The gate that scales the previous cell state: near 1 keeps a memory, near 0 erases it.",
        "gates.md#forget-gate",
        keras="second block of the LSTM weights",
        symbol="f_t",
        literature="remember gate, keep gate",
        shape="(batch, units)",
        example="from glossary.reference import LSTM_GATES\n\nprint(LSTM_GATES.index('forget_gate'))\n",
    ),
    Term(
        "input gate",
        "The gate that scales the candidate before it is added to the cell state.",
        "gates.md#input-gate",
        keras="first block of the LSTM weights",
        symbol="i_t",
        literature="write gate, update gate (loosely)",
        shape="(batch, units)",
        example="from glossary.reference import LSTM_GATES\n\nprint(LSTM_GATES.index('input_gate'))\n",
    ),
    Term(
        "candidate",
        "The tanh layer that proposes new values, between -1 and 1, for the cell state.",
        "gates.md#candidate",
        keras="third block of the LSTM weights",
        symbol="\\tilde{c}_t",
        literature="cell input, candidate memory, candidate gate",
        shape="(batch, units)",
        example="from glossary.reference import LSTM_GATES\n\nprint(LSTM_GATES.index('candidate'))\n",
    ),
    Term(
        "output gate",
        "The gate that decides how much of the squashed cell state becomes the hidden state.",
        "gates.md#output-gate",
        keras="fourth block of the LSTM weights",
        symbol="o_t",
        literature="read gate",
        shape="(batch, units)",
        example="from glossary.reference import LSTM_GATES\n\nprint(LSTM_GATES.index('output_gate'))\n",
    ),
    Term(
        "kernel",
        "The weights that multiply a recurrent layer's input, all gates side by side.",
        "units-and-weight-shapes.md#the-three-weight-arrays",
        keras="kernel",
        symbol="W",
        literature="input weights, W_x, W_ih",
        shape="(features, 4 * units) for an LSTM",
        example=_IMPORTS
        + "layer = keras.layers.LSTM(4)\nlayer.build((None, None, 5))\nprint(layer.weights[0].shape)\n",
    ),
    Term(
        "recurrent kernel",
        "The weights that multiply the previous hidden state, all gates side by side.",
        "units-and-weight-shapes.md#the-three-weight-arrays",
        keras="recurrent_kernel",
        symbol="U",
        literature="recurrent weights, hidden-to-hidden weights, W_h, W_hh",
        shape="(units, 4 * units) for an LSTM",
        example=_IMPORTS
        + "layer = keras.layers.LSTM(4)\nlayer.build((None, None, 5))\nprint(layer.weights[1].shape)\n",
    ),
    Term(
        "cell",
        "The computation of one timestep of a recurrent layer, which the layer repeats over the sequence.",
        "rnn-and-unrolling.md#cell-and-layer",
        keras="LSTMCell, GRUCell, SimpleRNNCell; layer.cell",
        literature="RNN cell, LSTM unit, memory block",
        example="import keras\n\nprint(type(keras.layers.LSTM(4).cell).__name__)\n",
    ),
    Term(
        "unrolling",
        "Drawing or running the recurrent loop as a chain of copies of the cell, one per timestep.",
        "rnn-and-unrolling.md#unrolling",
        keras="unroll=True",
        literature="unfolding, unfolding in time",
        example="import keras\n\nprint(keras.layers.LSTM(4, unroll=True).unroll)\n",
    ),
    Term(
        "return_sequences",
        "The flag that makes a recurrent layer return its hidden state at every timestep, not only the last.",
        "return-sequences-and-state.md#return_sequences",
        keras="return_sequences=True",
        literature="many-to-many output; output (in PyTorch, always)",
        shape="(batch, timesteps, units)",
        example=_IMPORTS + _X + "print(keras.layers.LSTM(4, return_sequences=True)(x).shape)\n",
    ),
    Term(
        "return_state",
        "The flag that makes a recurrent layer also return its final states.",
        "return-sequences-and-state.md#return_state",
        keras="return_state=True",
        literature="final states, h_n and c_n",
        shape="[output, state_h, state_c] for an LSTM",
        example=_IMPORTS + _X + "print(len(keras.layers.LSTM(4, return_state=True)(x)))\n",
    ),
    Term(
        "stacked LSTM",
        "LSTM layers in sequence, each reading the hidden states the one below returns at every timestep.",
        "stacked-layers.md",
        keras="LSTM(..., return_sequences=True) followed by another LSTM",
        literature="multi-layer LSTM, deep LSTM, num_layers",
        example=_IMPORTS
        + _X
        + "first = keras.layers.LSTM(8, return_sequences=True)(x)\n"
        + "print(keras.layers.LSTM(4)(first).shape)\n",
    ),
    Term(
        "parameter count",
        "The number of trainable weights and biases of a layer: 4 * units * (features + units + 1) "
        "for an LSTM.",
        "parameter-count.md",
        keras="count_params()",
        literature="number of parameters, model size",
        example="from glossary.shapes import parameter_count\n\n"
        "print(parameter_count('LSTM', features=5, units=4))\n",
    ),
    Term(
        "mask",
        "Booleans of shape (batch, timesteps) that mark which timesteps are real and which are padding.",
        "masking.md",
        keras="Masking(mask_value), Embedding(mask_zero=True), mask= in a layer call",
        literature="padding mask, sequence lengths",
        shape="(batch, timesteps)",
        example=_IMPORTS + _X + "print(keras.layers.Masking(0.0).compute_mask(x).shape)\n",
    ),
    Term(
        "stateful",
        "A recurrent layer setting that starts each batch from the final states of the previous batch.",
        "stateful.md",
        keras="stateful=True, with keras.Input(batch_shape=...); reset_state()",
        literature="truncated backpropagation through time, carrying state across batches",
        example=_IMPORTS
        + "inputs = keras.Input(batch_shape=(3, 7, 5))\n"
        + "layer = keras.layers.LSTM(4, stateful=True)\nlayer(inputs)\n"
        + "print([tuple(s.shape) for s in layer.states])\n",
    ),
    Term(
        "Bidirectional",
        "A wrapper that runs a recurrent layer forwards and a copy of it backwards and merges the two.",
        "bidirectional.md",
        keras="keras.layers.Bidirectional(layer, merge_mode='concat')",
        literature="BiLSTM, bidirectional=True",
        shape="(batch, 2 * units) with merge_mode='concat'",
        example=_IMPORTS + _X + "print(keras.layers.Bidirectional(keras.layers.LSTM(4))(x).shape)\n",
    ),
    Term(
        "cuDNN",
        "NVIDIA's library of fused GPU kernels, which Keras uses for a standard LSTM on a GPU.",
        "cudnn.md",
        keras="use_cudnn='auto' (default), True or False",
        literature="CuDNNLSTM (Keras 2's separate layer)",
        example="import keras\n\nprint(keras.layers.LSTM(4).use_cudnn)\n",
    ),
)

BY_NAME = {term.name: term for term in TERMS}
