"""Gradients through time for the reference layers, in Keras's weight layout.

Each ``*_step_backward`` function is one timestep of a layer run backwards: given the step's
inputs and the gradients of the loss with respect to what the step returned, it gives the
gradients with respect to everything the step read. Like the forward steps in
``glossary.reference``, each line is one equation, in the glossary's names; ``d_name`` is the
gradient of the loss with respect to ``name``. A step recomputes its gates from its inputs rather
than storing them: the code stays the equations, at the price of one more forward step.

``lstm_backward``, ``gru_backward`` and ``simple_rnn_backward`` run the steps over whole sequences
with Keras's flags, given the gradient of the loss with respect to the layer's output
(``output_gradient``, shaped like the output). For a loss ``L``, they return
``{"x": dL/dx, "kernel": ..., "recurrent_kernel": ..., "bias": ...}``, each shaped like what it is
the gradient of (``"bias"`` is None for a layer without one), and ``"initial_state"``, a list,
when an initial state is given.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike

from glossary import fused
from glossary.layer_kinds import GRU, LSTM, SIMPLE_RNN
from glossary.reference import checked_inputs, gru_step, lstm_step, sigmoid, simple_rnn_step


def lstm_step_backward(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, d_hidden_state, d_cell_state):
    """One LSTM timestep backwards: gradients of (x_t, h_prev, c_prev, kernel, recurrent_kernel, bias)."""
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias  # (batch, 4 * units), as forwards
    z_i, z_f, z_c, z_o = np.split(z, 4, axis=-1)
    input_gate, forget_gate, candidate, output_gate = sigmoid(z_i), sigmoid(z_f), np.tanh(z_c), sigmoid(z_o)
    cell_state = forget_gate * c_prev + input_gate * candidate
    squashed_cell = np.tanh(cell_state)

    d_output_gate = d_hidden_state * squashed_cell  # hidden_state = output_gate * tanh(cell_state)
    d_cell_state = d_cell_state + d_hidden_state * output_gate * (1.0 - squashed_cell**2)
    d_forget_gate = d_cell_state * c_prev  # cell_state = forget_gate * c_prev + input_gate * candidate
    d_input_gate = d_cell_state * candidate
    d_candidate = d_cell_state * input_gate
    d_c_prev = d_cell_state * forget_gate

    d_z = np.concatenate(  # through each gate's squashing function, back to its pre-activation
        [
            d_input_gate * input_gate * (1.0 - input_gate),
            d_forget_gate * forget_gate * (1.0 - forget_gate),
            d_candidate * (1.0 - candidate**2),
            d_output_gate * output_gate * (1.0 - output_gate),
        ],
        axis=-1,
    )  # (batch, 4 * units)
    d_x_t = d_z @ kernel.T  # z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    d_h_prev = d_z @ recurrent_kernel.T
    return d_x_t, d_h_prev, d_c_prev, x_t.T @ d_z, h_prev.T @ d_z, d_z.sum(axis=0)


def gru_step_backward(x_t, h_prev, kernel, recurrent_kernel, bias, d_hidden_state, reset_after=True):
    """One GRU timestep backwards: gradients of (x_t, h_prev, kernel, recurrent_kernel, bias)."""
    input_bias, recurrent_bias = bias if reset_after else (bias, np.zeros_like(bias))
    x_z, x_r, x_h = np.split(x_t @ kernel + input_bias, 3, axis=-1)  # as forwards
    u_z, u_r, u_h = np.split(recurrent_kernel, 3, axis=-1)
    b_z, b_r, b_h = np.split(recurrent_bias, 3)
    update_gate = sigmoid(x_z + h_prev @ u_z + b_z)
    reset_gate = sigmoid(x_r + h_prev @ u_r + b_r)
    recurrent_h = h_prev @ u_h + b_h  # the product the reset gate scales, with reset_after
    reset_h_prev = reset_gate * h_prev  # the state the product reads, without it
    candidate = np.tanh(x_h + reset_gate * recurrent_h) if reset_after else np.tanh(x_h + reset_h_prev @ u_h)

    d_update_gate = d_hidden_state * (h_prev - candidate)  # h = update * h_prev + (1 - update) * candidate
    d_candidate = d_hidden_state * (1.0 - update_gate)
    d_h_prev = d_hidden_state * update_gate
    d_a_h = d_candidate * (1.0 - candidate**2)  # the candidate's pre-activation
    if reset_after:
        d_reset_gate = d_a_h * recurrent_h
        d_recurrent_h = d_a_h * reset_gate
        d_h_prev = d_h_prev + d_recurrent_h @ u_h.T
        d_u_h = h_prev.T @ d_recurrent_h
    else:
        d_reset_h_prev = d_a_h @ u_h.T
        d_reset_gate = d_reset_h_prev * h_prev
        d_h_prev = d_h_prev + d_reset_h_prev * reset_gate
        d_u_h = reset_h_prev.T @ d_a_h
    d_a_z = d_update_gate * update_gate * (1.0 - update_gate)  # the gates' pre-activations
    d_a_r = d_reset_gate * reset_gate * (1.0 - reset_gate)
    d_h_prev = d_h_prev + d_a_z @ u_z.T + d_a_r @ u_r.T

    d_x_projection = np.concatenate([d_a_z, d_a_r, d_a_h], axis=-1)  # (batch, 3 * units)
    d_x_t = d_x_projection @ kernel.T
    d_kernel = x_t.T @ d_x_projection
    d_recurrent_kernel = np.concatenate([h_prev.T @ d_a_z, h_prev.T @ d_a_r, d_u_h], axis=-1)
    d_input_bias = d_x_projection.sum(axis=0)
    if reset_after:
        d_recurrent_bias = np.concatenate([d_a_z.sum(axis=0), d_a_r.sum(axis=0), d_recurrent_h.sum(axis=0)])
        return d_x_t, d_h_prev, d_kernel, d_recurrent_kernel, np.stack([d_input_bias, d_recurrent_bias])
    return d_x_t, d_h_prev, d_kernel, d_recurrent_kernel, d_input_bias


def simple_rnn_step_backward(x_t, h_prev, kernel, recurrent_kernel, bias, d_hidden_state):
    """One SimpleRNN timestep backwards: gradients of (x_t, h_prev, kernel, recurrent_kernel, bias)."""
    hidden_state = np.tanh(x_t @ kernel + h_prev @ recurrent_kernel + bias)  # as forwards
    d_a = d_hidden_state * (1.0 - hidden_state**2)  # through tanh, to the pre-activation
    return d_a @ kernel.T, d_a @ recurrent_kernel.T, x_t.T @ d_a, h_prev.T @ d_a, d_a.sum(axis=0)


def lstm_backward(
    x: ArrayLike,
    kernel: ArrayLike,
    recurrent_kernel: ArrayLike,
    bias: ArrayLike | None,
    output_gradient: ArrayLike,
    *,
    return_sequences: bool = False,
    go_backwards: bool = False,
    initial_state: Sequence[np.ndarray] | None = None,
    mask: ArrayLike | None = None,
) -> dict:
    """The gradients of a loss through ``glossary.reference.lstm`` with the same arguments.

    ``output_gradient`` is the loss's gradient with respect to the layer's output: (batch, units),
    or (batch, timesteps, units) with ``return_sequences``, in the order the layer returns them.
    """
    x_checked, weights, states, mask_checked = checked_inputs(
        x, kernel, recurrent_kernel, bias, initial_state, mask, gates=LSTM.blocks, gate_names=LSTM.letters,
        state_names=LSTM.states,
    )  # fmt: skip

    def step_backward(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, d_h, d_c):
        d_x_t, d_h_prev, d_c_prev, *d_weights = lstm_step_backward(
            x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, d_h, d_c
        )
        return d_x_t, (d_h_prev, d_c_prev), d_weights

    if mask_checked is not None:  # the readable loop; without a mask, the same sums arranged for speed
        return _gradients(
            lstm_step, step_backward, x_checked, weights, states, mask_checked, output_gradient,
            go_backwards, return_sequences, bias is None, initial_state is not None,
        )  # fmt: skip
    d_output = _checked_output_gradient(output_gradient, x_checked, weights[1].shape[0], return_sequences)
    d_x, d_kernel, d_recurrent_kernel, d_bias, d_h, d_c = fused.lstm_gradients(
        x_checked, *weights, *states, d_output, go_backwards, return_sequences
    )
    gradients = {"x": d_x, "kernel": d_kernel, "recurrent_kernel": d_recurrent_kernel}
    gradients["bias"] = None if bias is None else d_bias
    if initial_state is not None:
        gradients["initial_state"] = [d_h, d_c]
    return gradients


def gru_backward(
    x: ArrayLike,
    kernel: ArrayLike,
    recurrent_kernel: ArrayLike,
    bias: ArrayLike | None,
    output_gradient: ArrayLike,
    *,
    reset_after: bool = True,
    return_sequences: bool = False,
    go_backwards: bool = False,
    initial_state: Sequence[np.ndarray] | None = None,
    mask: ArrayLike | None = None,
) -> dict:
    """The gradients of a loss through ``glossary.reference.gru`` with the same arguments."""
    x_checked, weights, states, mask_checked = checked_inputs(
        x, kernel, recurrent_kernel, bias, initial_state, mask, gates=GRU.blocks, gate_names=GRU.letters,
        state_names=GRU.states, bias_rows=2 if reset_after else 1,
    )  # fmt: skip

    def step(x_t, h_prev, kernel, recurrent_kernel, bias):
        return (gru_step(x_t, h_prev, kernel, recurrent_kernel, bias, reset_after),)

    def step_backward(x_t, h_prev, kernel, recurrent_kernel, bias, d_h):
        d_x_t, d_h_prev, *d_weights = gru_step_backward(
            x_t, h_prev, kernel, recurrent_kernel, bias, d_h, reset_after
        )
        return d_x_t, (d_h_prev,), d_weights

    return _gradients(
        step, step_backward, x_checked, weights, states, mask_checked, output_gradient,
        go_backwards, return_sequences, bias is None, initial_state is not None,
    )  # fmt: skip


def simple_rnn_backward(
    x: ArrayLike,
    kernel: ArrayLike,
    recurrent_kernel: ArrayLike,
    bias: ArrayLike | None,
    output_gradient: ArrayLike,
    *,
    return_sequences: bool = False,
    go_backwards: bool = False,
    initial_state: Sequence[np.ndarray] | None = None,
    mask: ArrayLike | None = None,
) -> dict:
    """The gradients of a loss through ``glossary.reference.simple_rnn`` with the same arguments."""
    x_checked, weights, states, mask_checked = checked_inputs(
        x, kernel, recurrent_kernel, bias, initial_state, mask, gates=SIMPLE_RNN.blocks,
        gate_names=SIMPLE_RNN.letters, state_names=SIMPLE_RNN.states,
    )  # fmt: skip

    def step(x_t, h_prev, kernel, recurrent_kernel, bias):
        return (simple_rnn_step(x_t, h_prev, kernel, recurrent_kernel, bias),)

    def step_backward(x_t, h_prev, kernel, recurrent_kernel, bias, d_h):
        d_x_t, d_h_prev, *d_weights = simple_rnn_step_backward(
            x_t, h_prev, kernel, recurrent_kernel, bias, d_h
        )
        return d_x_t, (d_h_prev,), d_weights

    return _gradients(
        step, step_backward, x_checked, weights, states, mask_checked, output_gradient,
        go_backwards, return_sequences, bias is None, initial_state is not None,
    )  # fmt: skip


def _checked_output_gradient(
    output_gradient, x: np.ndarray, units: int, return_sequences: bool
) -> np.ndarray:
    """``output_gradient`` as an array of ``x``'s dtype, shaped like the layer's output."""
    batch, timesteps, _ = x.shape
    expected = (batch, timesteps, units) if return_sequences else (batch, units)
    output_gradient = np.asarray(output_gradient)
    if output_gradient.shape != expected:
        raise ValueError(
            f"output_gradient must have the output's shape {expected}, not {output_gradient.shape}"
        )
    if not np.issubdtype(output_gradient.dtype, np.floating) or np.isnan(output_gradient).any():
        raise ValueError("output_gradient must hold floating-point numbers, none of them NaN")
    return output_gradient.astype(x.dtype, copy=False)


def _gradients(
    step: Callable,
    step_backward: Callable,
    x: np.ndarray,
    weights: tuple[np.ndarray, ...],
    states: tuple[np.ndarray, ...],
    mask: np.ndarray | None,
    output_gradient: ArrayLike,
    go_backwards: bool,
    return_sequences: bool,
    no_bias: bool,
    initial_state_given: bool,
) -> dict:
    """Run the layer forwards, keeping each step's incoming states, then the steps backwards.

    The loop mirrors ``glossary.reference.run_steps``: at a masked timestep the states and the
    output are carried over, so their gradients are carried back past it unchanged, and the step
    itself receives none.
    """
    batch, timesteps, _ = x.shape
    units = weights[1].shape[0]
    output_gradient = _checked_output_gradient(output_gradient, x, units, return_sequences)

    order = list(range(timesteps - 1, -1, -1)) if go_backwards else list(range(timesteps))
    incoming = []  # the states each step read, in processing order
    for t in order:
        incoming.append(states)
        new_states = step(x[:, t], *states, *weights)
        real = np.ones((batch, 1), bool) if mask is None else mask[:, t, None]
        states = tuple(np.where(real, new, old) for new, old in zip(new_states, states, strict=True))

    d_x = np.zeros_like(x)
    d_weights = [np.zeros_like(weight) for weight in weights]
    d_states = [np.zeros_like(state) for state in states]  # nothing flows into the final states
    d_output = np.zeros((batch, units), x.dtype) if return_sequences else output_gradient
    for k in range(timesteps - 1, -1, -1):
        t = order[k]
        if return_sequences:
            d_output = d_output + output_gradient[:, k]
        real = np.ones((batch, 1), bool) if mask is None else mask[:, t, None]
        # output_k = where(real, new hidden state, output_{k-1}); states_k likewise
        d_new_states = [np.where(real, d_state, 0.0) for d_state in d_states]
        d_new_states[0] = d_new_states[0] + np.where(real, d_output, 0.0)
        d_output = np.where(real, 0.0, d_output)  # what a masked step carried goes further back
        d_x_t, d_previous, d_step_weights = step_backward(x[:, t], *incoming[k], *weights, *d_new_states)
        d_x[:, t] = d_x_t
        d_states = [
            np.where(real, 0.0, d_state) + d_prev
            for d_state, d_prev in zip(d_states, d_previous, strict=True)
        ]
        for total, part in zip(d_weights, d_step_weights, strict=True):
            total += part
    gradients = {
        "x": d_x,
        "kernel": d_weights[0],
        "recurrent_kernel": d_weights[1],
        "bias": None if no_bias else d_weights[2],
    }
    if initial_state_given:
        gradients["initial_state"] = d_states
    return gradients
