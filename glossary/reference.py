"""NumPy recurrent layers that take Keras's own weights and return what Keras returns.

The arrays are laid out exactly as Keras stores them, so the weights of a Keras layer drop
straight in:

- ``kernel``: (features, gates * units), applied to the input ``x_t``;
- ``recurrent_kernel``: (units, gates * units), applied to the previous hidden state;
- ``bias``: (gates * units,), or (2, 3 * units) for a GRU with ``reset_after=True``.

``gates`` is 4 for the LSTM (``LSTM_GATES``), 3 for the GRU (``GRU_GATES``) and 1 for
SimpleRNN. Each ``*_step`` function is one timestep written as its equations; ``lstm``, ``gru``
and ``simple_rnn`` run a step over whole sequences with Keras's flags.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike

from glossary import checks, fused
from glossary.layer_kinds import GRU, LSTM, SIMPLE_RNN

LSTM_GATES = LSTM.gates
"""The order of the four blocks of ``units`` columns in every LSTM weight array."""

GRU_GATES = GRU.gates
"""The order of the three blocks of ``units`` columns in every GRU weight array."""


def sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic function 1 / (1 + exp(-z)), squashing any number into (0, 1)."""
    # tanh form: the same function, but exp never overflows for large negative z.
    return 0.5 * (1.0 + np.tanh(0.5 * z))


# --8<-- [start:lstm_step]
def lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    """One timestep of one LSTM layer: returns (hidden_state, cell_state)."""
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias  # (batch, 4 * units)
    z_i, z_f, z_c, z_o = np.split(z, 4, axis=-1)  # four (batch, units) blocks

    input_gate = sigmoid(z_i)  # how much of the candidate to write
    forget_gate = sigmoid(z_f)  # how much of the old cell state to keep
    candidate = np.tanh(z_c)  # the new values proposed for the cell state
    output_gate = sigmoid(z_o)  # how much of the cell state to expose

    cell_state = forget_gate * c_prev + input_gate * candidate  # (batch, units)
    hidden_state = output_gate * np.tanh(cell_state)  # (batch, units)
    return hidden_state, cell_state
    # --8<-- [end:lstm_step]


# --8<-- [start:gru_step]
def gru_step(x_t, h_prev, kernel, recurrent_kernel, bias, reset_after=True):
    """One timestep of one GRU layer: returns the new hidden state."""
    input_bias, recurrent_bias = bias if reset_after else (bias, np.zeros_like(bias))
    x_z, x_r, x_h = np.split(x_t @ kernel + input_bias, 3, axis=-1)  # (batch, units) each
    u_z, u_r, u_h = np.split(recurrent_kernel, 3, axis=-1)  # (units, units) each
    b_z, b_r, b_h = np.split(recurrent_bias, 3)  # (units,) each

    update_gate = sigmoid(x_z + h_prev @ u_z + b_z)  # how much of the old state to keep
    reset_gate = sigmoid(x_r + h_prev @ u_r + b_r)  # how much history the candidate sees
    if reset_after:  # Keras's default: reset the recurrent product
        candidate = np.tanh(x_h + reset_gate * (h_prev @ u_h + b_h))
    else:  # the original GRU: reset the previous state before the product
        candidate = np.tanh(x_h + (reset_gate * h_prev) @ u_h)

    hidden_state = update_gate * h_prev + (1.0 - update_gate) * candidate
    return hidden_state
    # --8<-- [end:gru_step]


# --8<-- [start:simple_rnn_step]
def simple_rnn_step(x_t, h_prev, kernel, recurrent_kernel, bias):
    """One timestep of one SimpleRNN layer: returns the new hidden state."""
    hidden_state = np.tanh(x_t @ kernel + h_prev @ recurrent_kernel + bias)  # (batch, units)
    return hidden_state
    # --8<-- [end:simple_rnn_step]


def lstm(
    x: ArrayLike,
    kernel: ArrayLike,
    recurrent_kernel: ArrayLike,
    bias: ArrayLike | None,
    *,
    return_sequences: bool = False,
    return_state: bool = False,
    go_backwards: bool = False,
    initial_state: Sequence[np.ndarray] | None = None,
    mask: ArrayLike | None = None,
) -> np.ndarray | tuple[np.ndarray, ...]:
    """Run an LSTM layer over a batch of sequences, as ``keras.layers.LSTM`` does.

    Args:
        x: the input, (batch, timesteps, features).
        kernel: (features, 4 * units), gates packed in ``LSTM_GATES`` order.
        recurrent_kernel: (units, 4 * units), gates packed in ``LSTM_GATES`` order.
        bias: (4 * units,), gates packed in ``LSTM_GATES`` order; None for no bias.
        return_sequences: return the hidden state of every timestep,
            (batch, timesteps, units), instead of the last one only, (batch, units).
        return_state: also return the final hidden state and cell state.
        go_backwards: read the timesteps last to first. As in Keras's own loop (on a CPU, every
            backend), a returned sequence is then in processing order too: its first row belongs
            to the last timestep.
        initial_state: ``[hidden_state, cell_state]``, each (batch, units); zeros if omitted.
        mask: booleans, (batch, timesteps); False marks padding. At a masked timestep the
            states are carried over unchanged and the output repeats the previous timestep's
            output (zeros if no timestep has been processed yet), as in Keras's own loop on
            TensorFlow and PyTorch (on JAX it outputs the initial hidden state before the first
            real timestep; by Keras's source, TensorFlow's cuDNN path writes zeros at every masked one).

    Returns:
        The output, or ``(output, hidden_state, cell_state)`` when ``return_state`` is true.

    Raises:
        ValueError: an input's shape does not match its glossary shape, or holds NaN.
        TypeError: an input is not floating point, or the mask is not boolean.
    """
    x, weights, states, mask = checked_inputs(
        x, kernel, recurrent_kernel, bias, initial_state, mask, gates=LSTM.blocks, gate_names=LSTM.letters,
        state_names=LSTM.states,
    )  # fmt: skip
    return _layer(
        lstm_step, fused.lstm_sequence, x, weights, states, mask, go_backwards, return_sequences, return_state
    )


def gru(
    x: ArrayLike,
    kernel: ArrayLike,
    recurrent_kernel: ArrayLike,
    bias: ArrayLike | None,
    *,
    reset_after: bool = True,
    return_sequences: bool = False,
    return_state: bool = False,
    go_backwards: bool = False,
    initial_state: Sequence[np.ndarray] | None = None,
    mask: ArrayLike | None = None,
) -> np.ndarray | tuple[np.ndarray, ...]:
    """Run a GRU layer over a batch of sequences, as ``keras.layers.GRU`` does.

    The arguments are those of `lstm`, with three gate blocks (``GRU_GATES``) instead
    of four, one state (``initial_state=[hidden_state]``), and ``reset_after``: with Keras's
    default True, ``bias`` is (2, 3 * units), an input row and a recurrent row.

    Returns:
        The output, or ``(output, hidden_state)`` when ``return_state`` is true.
    """
    x, weights, states, mask = checked_inputs(
        x, kernel, recurrent_kernel, bias, initial_state, mask, gates=GRU.blocks, gate_names=GRU.letters,
        state_names=GRU.states, bias_rows=2 if reset_after else 1,
    )  # fmt: skip

    def step(x_t, h_prev, kernel, recurrent_kernel, bias):
        return (gru_step(x_t, h_prev, kernel, recurrent_kernel, bias, reset_after),)

    fast = fused.gru_sequence if reset_after else None  # the fast path has Keras's default only
    return _layer(step, fast, x, weights, states, mask, go_backwards, return_sequences, return_state)


def simple_rnn(
    x: ArrayLike,
    kernel: ArrayLike,
    recurrent_kernel: ArrayLike,
    bias: ArrayLike | None,
    *,
    return_sequences: bool = False,
    return_state: bool = False,
    go_backwards: bool = False,
    initial_state: Sequence[np.ndarray] | None = None,
    mask: ArrayLike | None = None,
) -> np.ndarray | tuple[np.ndarray, ...]:
    """Run a SimpleRNN layer over a batch of sequences, as ``keras.layers.SimpleRNN`` does.

    The arguments are those of `lstm`, with one block of ``units`` columns and one
    state (``initial_state=[hidden_state]``).

    Returns:
        The output, or ``(output, hidden_state)`` when ``return_state`` is true.
    """
    x, weights, states, mask = checked_inputs(
        x, kernel, recurrent_kernel, bias, initial_state, mask, gates=SIMPLE_RNN.blocks,
        gate_names=SIMPLE_RNN.letters, state_names=SIMPLE_RNN.states,
    )  # fmt: skip

    def step(*arguments):
        return (simple_rnn_step(*arguments),)

    return _layer(
        step,
        fused.simple_rnn_sequence,
        x,
        weights,
        states,
        mask,
        go_backwards,
        return_sequences,
        return_state,
    )


def _layer(step, fast, x, weights, states, mask, go_backwards, return_sequences, return_state):
    """What every layer returns, and the one place where a fast path is chosen.

    ``run_steps(step, ...)`` is the definition: the readable loop over a step function. ``fast``
    is the same equations arranged for speed (``glossary.fused``), which the tests hold equal to
    that loop over random sizes, weights and flags. It runs when there is no mask, the common
    case; with a mask, or where a layer has no fast path (``fast`` is None), the loop itself runs.
    """
    if mask is None and fast is not None:
        outputs, states = fast(x, *weights, *states, go_backwards, return_sequences)
    else:
        outputs, states = run_steps(step, x, weights, states, mask, go_backwards, return_sequences)
    return (outputs, *states) if return_state else outputs


def run_steps(
    step: Callable[..., tuple[np.ndarray, ...]],
    x: np.ndarray,
    weights: tuple[np.ndarray, ...],
    states: tuple[np.ndarray, ...],
    mask: np.ndarray | None,
    go_backwards: bool,
    return_sequences: bool,
) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """The recurrent loop of every layer, written plainly: Keras's semantics, one step at a time.

    ``step(x_t, *states, *weights)`` returns the new states, the hidden state first; the
    hidden state is also the output. Returns ``(output or sequence of outputs, final states)``.
    """
    timesteps = x.shape[1]
    output = np.zeros_like(states[0])  # what a masked first timestep outputs, as in Keras
    outputs = []
    order = range(timesteps - 1, -1, -1) if go_backwards else range(timesteps)
    for t in order:
        new_states = step(x[:, t], *states, *weights)
        if mask is None:
            states, output = new_states, new_states[0]
        else:
            real = mask[:, t, None]  # (batch, 1): broadcast over units
            states = tuple(np.where(real, new, old) for new, old in zip(new_states, states, strict=True))
            output = np.where(real, new_states[0], output)
        outputs.append(output)
    return (np.stack(outputs, axis=1) if return_sequences else output), states


def checked_inputs(
    x, kernel, recurrent_kernel, bias, initial_state, mask, *, gates, gate_names, state_names, bias_rows=1
):
    """Validate a layer's arguments; return them as arrays of one floating dtype."""
    x = checks.sequence_input(x)
    batch, timesteps, features = x.shape
    weights = checks.packed_weights(
        kernel,
        recurrent_kernel,
        bias,
        features=features,
        gates=gates,
        gate_names=gate_names,
        bias_rows=bias_rows,
    )
    units = weights[1].shape[0]
    states = checks.state_inputs(initial_state, names=state_names, batch=batch, units=units)
    mask = checks.timestep_mask(mask, batch=batch, timesteps=timesteps)
    dtype = np.result_type(x, *weights)
    if states is None:
        states = [np.zeros((batch, units), dtype)] * len(state_names)
    return (
        x.astype(dtype, copy=False),
        tuple(w.astype(dtype, copy=False) for w in weights),
        tuple(s.astype(dtype, copy=False) for s in states),
        mask,
    )
