"""The term registry: one entry, one definition, for every term the site uses.

Each ``Term`` holds the names other sources use for it and its shape where it has one; its short
runnable example is ``snippets/terms/<example_name>.py``. The site renders the registry as the
Glossary page and the cross-walk table, and turns every use of a term on a page into a tooltip
with its definition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """One term of the glossary: its definition, its names elsewhere, and where it is explained."""

    name: str
    definition: str
    """One sentence, plain words."""
    page: str
    """The page that explains the term, e.g. ``gates.md#forget-gate``."""
    keras: str
    """What Keras calls it: an argument, a weight, a returned array."""
    pytorch: str = ""
    """What PyTorch's ``nn.LSTM`` / ``nn.GRU`` / ``nn.RNN`` call it, where they have it."""
    symbol: str = ""
    """The symbol in the equations (TeX)."""
    literature: str = ""
    """Other names in papers and tutorials (d2l.ai, colah's blog, ...)."""
    shape: str = ""

    @property
    def example_name(self) -> str:
        """The stem of the term's example, ``snippets/terms/<example_name>.py``."""
        return re.sub(r"[^a-z0-9]+", "_", self.name.lower()).strip("_")


TERMS: tuple[Term, ...] = (
    Term(
        "timestep",
        "One position of a sequence: the element a recurrent layer reads in one turn of its loop.",
        "rnn-and-unrolling.md",
        keras="axis 1 of the input",
        pytorch="dim 1 with batch_first=True (dim 0 by default)",
        symbol="t",
        literature="time step, step, frame, token position",
    ),
    Term(
        "features",
        "The numbers that describe one timestep; the last axis of a recurrent layer's input.",
        "input-shape.md",
        keras="axis 2 of the input; the last entry of keras.Input(shape=(timesteps, features))",
        pytorch="input_size",
        symbol="x_t \\in \\mathbb{R}^{f}",
        literature="input size, input dimension, input variables",
    ),
    Term(
        "batch",
        "Sequences processed together; the first axis of a recurrent layer's input and output.",
        "input-shape.md",
        keras="axis 0, None in model summaries",
        pytorch="dim 0 with batch_first=True (dim 1 by default)",
        literature="mini-batch, batch size",
    ),
    Term(
        "units",
        "The size of a recurrent layer's state: the number of values in its hidden state "
        "(and in an LSTM's cell state).",
        "units-and-weight-shapes.md",
        keras="units (first argument)",
        pytorch="hidden_size",
        symbol="u",
        literature="hidden size, number of hidden units, state size, num_units",
        shape="an integer",
    ),
    Term(
        "hidden state",
        "The vector a recurrent layer outputs at each timestep and feeds back into itself at the next.",
        "cell-state-vs-hidden-state.md",
        keras="the layer's output; state_h with return_state=True",
        pytorch="h_n (last), output (every timestep)",
        symbol="h_t",
        literature="output, short-term state, activation",
        shape="(batch, units)",
    ),
    Term(
        "cell state",
        "An LSTM's internal memory vector, changed at each timestep only by the forget gate and the "
        "candidate the input gate lets in.",
        "cell-state-vs-hidden-state.md",
        keras="state_c with return_state=True; the second of an LSTMCell's two states",
        pytorch="c_n",
        symbol="c_t",
        literature="long-term state, memory",
        shape="(batch, units)",
    ),
    Term(
        "gate",
        "A sigmoid layer whose outputs, between 0 and 1, scale another vector element by element.",
        "gates.md",
        keras="a block of units columns in kernel, recurrent_kernel and bias",
        pytorch="a block of hidden_size rows in weight_ih_l0, weight_hh_l0, bias_ih_l0 and bias_hh_l0",
        symbol="\\sigma(\\cdot)",
        literature="gating unit",
        shape="(batch, units)",
    ),
    Term(
        "forget gate",
        "The gate that scales the previous cell state: near 1 keeps a memory, near 0 erases it.",
        "gates.md#forget-gate",
        keras="second block of the LSTM weights",
        pytorch="second block of rows (f)",
        symbol="f_t",
        literature="remember gate, keep gate",
        shape="(batch, units)",
    ),
    Term(
        "input gate",
        "The gate that scales the candidate before it is added to the cell state.",
        "gates.md#input-gate",
        keras="first block of the LSTM weights",
        pytorch="first block of rows (i)",
        symbol="i_t",
        literature="write gate",
        shape="(batch, units)",
    ),
    Term(
        "candidate",
        "The tanh layer that proposes new values, between -1 and 1, for the cell state.",
        "gates.md#candidate",
        keras="third block of the LSTM weights",
        pytorch="third block of rows (g)",
        symbol="\\tilde{c}_t",
        literature="cell input, candidate memory, candidate gate",
        shape="(batch, units)",
    ),
    Term(
        "output gate",
        "The gate that decides how much of the squashed cell state becomes the hidden state.",
        "gates.md#output-gate",
        keras="fourth block of the LSTM weights",
        pytorch="fourth block of rows (o)",
        symbol="o_t",
        literature="read gate",
        shape="(batch, units)",
    ),
    Term(
        "kernel",
        "The weights that multiply a recurrent layer's input, all gates side by side.",
        "units-and-weight-shapes.md#the-three-weight-arrays",
        keras="kernel",
        pytorch="weight_ih_l0, transposed",
        symbol="W",
        literature="input weights, W_x, W_ih",
        shape="(features, 4 * units) for an LSTM",
    ),
    Term(
        "recurrent kernel",
        "The weights that multiply the previous hidden state, all gates side by side.",
        "units-and-weight-shapes.md#the-three-weight-arrays",
        keras="recurrent_kernel",
        pytorch="weight_hh_l0, transposed",
        symbol="U",
        literature="recurrent weights, hidden-to-hidden weights, W_h, W_hh",
        shape="(units, 4 * units) for an LSTM",
    ),
    Term(
        "cell",
        "The computation of one timestep of a recurrent layer, which the layer repeats over the sequence.",
        "rnn-and-unrolling.md#cell-and-layer",
        keras="LSTMCell, GRUCell, SimpleRNNCell; layer.cell",
        pytorch="nn.LSTMCell, nn.GRUCell, nn.RNNCell",
        literature="RNN cell, LSTM unit, memory block",
    ),
    Term(
        "unrolling",
        "Drawing or running the recurrent loop as a chain of copies of the cell, one per timestep.",
        "rnn-and-unrolling.md#unrolling",
        keras="unroll=True",
        pytorch="(no switch: a Python loop over nn.LSTMCell)",
        literature="unfolding, unfolding in time",
    ),
    Term(
        "return_sequences",
        "The flag that makes a recurrent layer return its hidden state at every timestep, not only the last.",
        "return-sequences-and-state.md#return_sequences",
        keras="return_sequences=True",
        pytorch="output (always returned)",
        literature="many-to-many output; output (in PyTorch, always)",
        shape="(batch, timesteps, units)",
    ),
    Term(
        "return_state",
        "The flag that makes a recurrent layer also return its final states.",
        "return-sequences-and-state.md#return_state",
        keras="return_state=True",
        pytorch="(h_n, c_n) (always returned)",
        literature="final states, h_n and c_n",
        shape="(output, state_h, state_c) for an LSTM, a tuple in Keras 3",
    ),
    Term(
        "stacked LSTM",
        "LSTM layers in sequence, each reading the hidden states the one below returns at every timestep.",
        "stacked-layers.md",
        keras="LSTM(..., return_sequences=True) followed by another LSTM",
        pytorch="num_layers",
        literature="multi-layer LSTM, deep LSTM, num_layers",
    ),
    Term(
        "parameter count",
        "The number of trainable weights and biases of a layer: 4 * units * (features + units + 1) "
        "for an LSTM.",
        "parameter-count.md",
        keras="count_params()",
        pytorch=(
            "sum(p.numel() for p in lstm.parameters()): "
            "4 * hidden_size * (input_size + hidden_size + 2), with two bias vectors"
        ),
        literature="number of parameters, model size",
    ),
    Term(
        "mask",
        "Booleans of shape (batch, timesteps) that mark which timesteps are real and which are padding.",
        "masking.md",
        keras="Masking(mask_value), Embedding(mask_zero=True), mask= in a layer call",
        pytorch="nn.utils.rnn.pack_padded_sequence",
        literature="padding mask, sequence lengths",
        shape="(batch, timesteps)",
    ),
    Term(
        "stateful",
        "A recurrent layer setting that starts each batch from the final states of the previous batch "
        "(in direct calls on every backend; through `predict` and `fit` it differs by backend).",
        "stateful.md",
        keras="stateful=True, with keras.Input(batch_shape=...); reset_state()",
        pytorch="(by hand: pass the last (h_n, c_n) back as the initial state)",
        literature=(
            "carrying state across batches, persistent state "
            "(a way to train with truncated backpropagation through time, not its name)"
        ),
    ),
    Term(
        "Bidirectional",
        "A wrapper that runs a recurrent layer forwards and a copy of it backwards and merges the two.",
        "bidirectional.md",
        keras="keras.layers.Bidirectional(layer, merge_mode='concat')",
        pytorch="bidirectional=True (concatenates)",
        literature="BiLSTM, bidirectional=True",
        shape="(batch, 2 * units) with merge_mode='concat'",
    ),
    Term(
        "cuDNN",
        "NVIDIA's library of fused GPU kernels, which Keras uses for a standard LSTM or GRU on a GPU "
        "(not for a GRU on JAX).",
        "cudnn.md",
        keras="use_cudnn='auto' (default), True or False",
        pytorch="torch.backends.cudnn",
        literature="CuDNNLSTM (a separate layer before TensorFlow 2 chose the kernel by itself)",
    ),
    Term(
        "SimpleRNN",
        "The recurrent layer with no gates: its new hidden state is tanh of one fully connected layer.",
        "simple-rnn.md",
        keras="keras.layers.SimpleRNN",
        pytorch="nn.RNN",
        literature="vanilla RNN, Elman network",
    ),
    Term(
        "GRU",
        "The gated recurrent unit: a recurrent layer with an update gate, a reset gate and one state.",
        "gru.md",
        keras="keras.layers.GRU",
        pytorch="nn.GRU",
        literature="gated recurrent unit (Cho et al., 2014)",
    ),
    Term(
        "update gate",
        "The GRU gate that decides, per unit, how much of the old hidden state to keep rather than replace.",
        "gru.md#the-equations",
        keras="first block of the GRU weights",
        pytorch="second block of rows (z)",
        symbol="z_t",
        shape="(batch, units)",
    ),
    Term(
        "reset gate",
        "The GRU gate that decides how much of the previous hidden state the candidate may use.",
        "gru.md#the-equations",
        keras="second block of the GRU weights",
        pytorch="first block of rows (r)",
        symbol="r_t",
        shape="(batch, units)",
    ),
    Term(
        "reset_after",
        "The GRU setting that applies the reset gate after the recurrent product, adding a second bias row.",
        "gru.md#two-variants-reset_after",
        keras="reset_after=True (default in Keras 3 and in TensorFlow 2's Keras 2)",
        pytorch="always after (nn.GRU has no switch)",
        literature="CuDNN-compatible GRU; linear_before_reset=1 in ONNX",
        shape="bias (2, 3 * units) when True",
    ),
    Term(
        "go_backwards",
        "The flag that makes a recurrent layer read each sequence from its last timestep to its first.",
        "go-backwards.md",
        keras="go_backwards=True",
        pytorch="(by hand: flip the input; bidirectional=True does it inside)",
        literature="reverse direction, backward RNN",
    ),
    Term(
        "recurrent dropout",
        "Dropout applied to the previous hidden state inside the loop, with one mask per sequence.",
        "dropout.md#recurrent-dropout-on-the-state",
        keras="recurrent_dropout=rate (dropout=rate acts on the input)",
        pytorch="(none; dropout= acts between stacked layers)",
        literature="variational dropout (Gal and Ghahramani, 2016)",
    ),
    Term(
        "unit_forget_bias",
        "The LSTM setting, on by default, that starts every forget-gate bias at 1.",
        "unit-forget-bias.md",
        keras="unit_forget_bias=True",
        pytorch="(none: set bias_ih_l0[hidden_size:2 * hidden_size] to 1 and the same block of bias_hh_l0 "
        "to 0 by hand, since the two are added)",
        literature="forget gate bias initialisation (Jozefowicz et al., 2015)",
    ),
    Term(
        "vanishing gradient",
        "A gradient that shrinks at every step back through the timesteps until early inputs barely learn.",
        "vanishing-gradients.md",
        keras="(a training behaviour; clipnorm= and clipvalue= on optimisers treat exploding ones)",
        pytorch="(same; torch.nn.utils.clip_grad_norm_ for exploding ones)",
        literature="vanishing and exploding gradient problem",
    ),
)

BY_NAME = {term.name: term for term in TERMS}
