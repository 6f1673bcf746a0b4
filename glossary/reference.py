"""A NumPy LSTM that takes Keras's own weights and returns what Keras returns.

The arrays are laid out exactly as ``keras.layers.LSTM`` stores them, so the weights of a
Keras layer drop straight in:

- ``kernel``: (features, 4 * units), applied to the input ``x_t``;
- ``recurrent_kernel``: (units, 4 * units), applied to the previous hidden state;
- ``bias``: (4 * units,).

In each array the four gates sit side by side in Keras's order: input gate, forget gate,
candidate, output gate (``GATE_ORDER``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from glossary import checks

GATE_ORDER = ("input_gate", "forget_gate", "candidate", "output_gate")
"""The order of the four blocks of ``units`` columns in every LSTM weight array."""


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


def lstm(
    x,
    kernel,
    recurrent_kernel,
    bias,
    *,
    return_sequences: bool = False,
    return_state: bool = False,
    go_backwards: bool = False,
    initial_state: Sequence[np.ndarray] | None = None,
    mask=None,
):
    """Run an LSTM layer over a batch of sequences, as ``keras.layers.LSTM`` does.

    Args:
        x: the input, (batch, timesteps, features).
        kernel: (features, 4 * units), gates packed in ``GATE_ORDER``.
        recurrent_kernel: (units, 4 * units), gates packed in ``GATE_ORDER``.
        bias: (4 * units,), gates packed in ``GATE_ORDER``.
        return_sequences: return the hidden state of every timestep,
            (batch, timesteps, units), instead of the last one only, (batch, units).
        return_state: also return the final hidden state and cell state.
        go_backwards: read the timesteps last to first. As in Keras, a returned sequence
            is then in processing order too: its first row belongs to the last timestep.
        initial_state: ``[hidden_state, cell_state]``, each (batch, units); zeros if omitted.
        mask: booleans, (batch, timesteps); False marks padding. At a masked timestep the
            states are carried over unchanged and the output repeats the previous timestep's
            output (zeros if no timestep has been processed yet), as in Keras.

    Returns:
        The output, or ``(output, hidden_state, cell_state)`` when ``return_state`` is true.

    Raises:
        ValueError: an input's shape does not match its glossary shape, or holds NaN.
        TypeError: an input is not floating point, or the mask is not boolean.
    """
    x = checks.sequence_input(x)
    batch, timesteps, features = x.shape
    kernel, recurrent_kernel, bias = checks.packed_weights(
        kernel, recurrent_kernel, bias, features=features, gates=4, gate_names="i, f, c, o"
    )
    units = recurrent_kernel.shape[0]
    states = checks.state_inputs(
        initial_state, names=("hidden_state", "cell_state"), batch=batch, units=units
    )
    mask = checks.timestep_mask(mask, batch=batch, timesteps=timesteps)

    dtype = np.result_type(x, kernel, recurrent_kernel, bias)
    zeros = np.zeros((batch, units), dtype)
    hidden_state, cell_state = states if states is not None else (zeros, zeros)
    output = zeros
    outputs = []
    order = range(timesteps - 1, -1, -1) if go_backwards else range(timesteps)
    for t in order:
        new_hidden, new_cell = lstm_step(x[:, t], hidden_state, cell_state, kernel, recurrent_kernel, bias)
        if mask is None:
            hidden_state, cell_state, output = new_hidden, new_cell, new_hidden
        else:
            real = mask[:, t, None]  # (batch, 1): broadcast over units
            hidden_state = np.where(real, new_hidden, hidden_state)
            cell_state = np.where(real, new_cell, cell_state)
            output = np.where(real, new_hidden, output)
        outputs.append(output)

    result = np.stack(outputs, axis=1) if return_sequences else output
    result = result.astype(dtype, copy=False)
    if return_state:
        return result, hidden_state.astype(dtype, copy=False), cell_state.astype(dtype, copy=False)
    return result
