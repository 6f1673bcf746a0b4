"""The fast paths: the equations of ``reference``'s step functions, arranged for speed.

``reference.lstm``, ``reference.gru`` (with Keras's default ``reset_after=True``) and
``reference.simple_rnn`` run these for unmasked input; the tests hold each equal to the plain
loop over its readable step function. What makes them fast, each measured with
``benchmarks/speed.py``:

1. One matrix product per timestep. ``h``, ``x_t`` and a column of ones sit side by side in
   one buffer, and ``recurrent_kernel``, ``kernel`` and ``bias`` are stacked to match, so
   ``[h, x_t, 1] @ [[recurrent_kernel], [kernel], [bias]]`` gives every gate's
   pre-activation at once. Hoisting ``x @ kernel`` out of the loop instead was slower: that
   product has only ``features`` terms per output, runs far below the machine's
   matrix-multiply rate, and writes a (timesteps, batch, gates * units) array to memory. The
   GRU's candidate needs its input part apart from its recurrent part (the reset gate scales
   only the latter), so it takes a second, small product of ``[x_t, 1]``.
2. ``exp`` instead of ``tanh``. NumPy's float32 ``exp`` costs about half as much as its
   ``tanh`` (``benchmarks/speed.py`` prints both, per number), so every gate is computed as
   sigmoid(z) = 1 / (1 + exp(-z)), and every tanh as 2 sigmoid(2z) - 1. The
   factors -1 and -2 are folded into the stacked weights' columns; multiplying by a power of
   two is exact in binary floating point. Where exp(-z) overflows to infinity the sigmoid is
   exactly 0, which is right, so that overflow is not reported.
3. Gates as contiguous blocks. The loop works on the transpose of everything: the product is
   ``stacked.T @ [h, x_t, 1].T``, (gates * units, batch), so each gate is a contiguous block of
   rows instead of a strided block of columns. NumPy then runs each element-wise operation as
   one inner loop instead of one per sequence, several times faster at the benchmark's sizes.
   The sequence of outputs is transposed back once, at the end.
4. No allocation inside the loop: every array it writes exists before it starts.
5. Every core busy throughout. Sequences of a batch never interact, so a large batch is cut
   into one part per core and each part runs in its own thread with single-threaded BLAS: the
   element-wise work, which NumPy does on one core, then runs on all of them, and so does the
   matrix product.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import numpy as np
from threadpoolctl import threadpool_limits

ROWS_PER_THREAD = 64
"""Below this many sequences per thread, the threads' overhead costs more than they save."""

Result = tuple[np.ndarray, tuple[np.ndarray, ...]]
"""(output or sequence of outputs, final states), as ``reference.run_steps`` returns."""


def lstm_sequence(
    x: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    hidden_state: np.ndarray,
    cell_state: np.ndarray,
    go_backwards: bool,
    return_sequences: bool,
) -> Result:
    """Run an LSTM; return ``(output, (hidden_state, cell_state))``, as ``reference.run_steps`` does.

    The arrays are those ``reference.lstm`` has already checked and cast to one float dtype;
    ``bias`` is (4 * units,), zeros for a layer without one. The caller's arrays are not changed.
    """
    units = recurrent_kernel.shape[0]
    scale = np.full(4 * units, -1.0, kernel.dtype)  # the product is then -z: exp(-z) comes next
    scale[2 * units : 3 * units] = -2.0  # the candidate: tanh(z) = 2 sigmoid(2z) - 1
    stacked = _transposed(np.concatenate([recurrent_kernel, kernel, bias[None]]) * scale)
    return _in_threads(_lstm_run, x, (stacked,), (hidden_state, cell_state), go_backwards, return_sequences)


def gru_sequence(
    x: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    hidden_state: np.ndarray,
    go_backwards: bool,
    return_sequences: bool,
) -> Result:
    """Run a GRU with ``reset_after=True``; return ``(output, (hidden_state,))``.

    ``bias`` is (2, 3 * units): the input row, then the recurrent row. ``reference.gru`` runs the
    plain loop for ``reset_after=False``, where the reset gate acts before the recurrent product.
    """
    units = recurrent_kernel.shape[0]
    input_bias, recurrent_bias = bias
    gates = slice(0, 2 * units)  # update and reset: input and recurrent parts summed, negated
    candidate = slice(2 * units, 3 * units)
    kernel_without_candidate = kernel.copy()
    kernel_without_candidate[:, candidate] = 0.0  # the candidate's input part has its own product
    stacked_bias = recurrent_bias.copy()
    stacked_bias[gates] += input_bias[gates]
    scale = np.full(3 * units, -1.0, kernel.dtype)
    scale[candidate] = -2.0
    stacked = _transposed(
        np.concatenate([recurrent_kernel, kernel_without_candidate, stacked_bias[None]]) * scale
    )
    candidate_input = _transposed(np.concatenate([kernel[:, candidate], input_bias[None, candidate]]) * -2.0)
    return _in_threads(
        _gru_run, x, (stacked, candidate_input), (hidden_state,), go_backwards, return_sequences
    )


def simple_rnn_sequence(
    x: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    hidden_state: np.ndarray,
    go_backwards: bool,
    return_sequences: bool,
) -> Result:
    """Run a SimpleRNN; return ``(output, (hidden_state,))``. ``bias`` is (units,)."""
    stacked = _transposed(np.concatenate([recurrent_kernel, kernel, bias[None]]) * -2.0)  # tanh through exp
    return _in_threads(_simple_rnn_run, x, (stacked,), (hidden_state,), go_backwards, return_sequences)


def _lstm_run(x, weights, hidden_state, cell_state, go_backwards, return_sequences) -> Result:
    (stacked,) = weights
    inputs, hidden, sequence, steps = _loop_buffers(x, hidden_state, go_backwards, return_sequences)
    units = len(hidden)
    cell = cell_state.T.copy()  # (units, batch), like every array in the loop
    z = np.empty((4 * units, len(x)), x.dtype)
    tanh_cell = np.empty_like(cell)
    input_gate, forget_gate, candidate, output_gate = (z[k * units : (k + 1) * units] for k in range(4))
    with np.errstate(over="ignore"):  # exp(-z) = inf (float32: z < -88): the sigmoid is then exactly 0
        for position, x_t in steps:
            inputs[units:-1] = x_t
            np.matmul(stacked, inputs, out=z)  # -z for the three gates, -2z for the candidate
            np.exp(z, out=z)
            z += 1.0
            np.divide(1.0, z, out=z)  # the gates; the candidate's block holds sigmoid(2 z_c)
            candidate *= 2.0
            candidate -= 1.0  # tanh(z_c)
            cell *= forget_gate
            candidate *= input_gate
            cell += candidate  # c = f * c_prev + i * candidate
            np.multiply(cell, -2.0, out=tanh_cell)
            np.exp(tanh_cell, out=tanh_cell)
            tanh_cell += 1.0
            np.divide(2.0, tanh_cell, out=tanh_cell)
            tanh_cell -= 1.0  # tanh(c)
            np.multiply(output_gate, tanh_cell, out=hidden)  # h = o * tanh(c)
            if sequence is not None:
                sequence[position] = hidden
    output, final_hidden = _outputs(hidden, sequence)
    return output, (final_hidden, _transposed(cell))


def _gru_run(x, weights, hidden_state, go_backwards, return_sequences) -> Result:
    stacked, candidate_input = weights
    inputs, hidden, sequence, steps = _loop_buffers(x, hidden_state, go_backwards, return_sequences)
    units = len(hidden)
    x_and_one = inputs[units:]  # [x_t, 1]
    z = np.empty((3 * units, len(x)), x.dtype)
    candidate_from_input = np.empty_like(hidden)
    change = np.empty_like(hidden)
    gates, update_gate, reset_gate = z[: 2 * units], z[:units], z[units : 2 * units]
    candidate = z[2 * units :]
    with np.errstate(over="ignore"):  # exp(-z) = inf (float32: z < -88): the sigmoid is then exactly 0
        for position, x_t in steps:
            inputs[units:-1] = x_t
            np.matmul(stacked, inputs, out=z)  # -z for both gates; -2 (h @ u_h + b_h) for the candidate
            np.matmul(candidate_input, x_and_one, out=candidate_from_input)  # -2 x_h, gru_step's x_h
            np.exp(gates, out=gates)
            gates += 1.0
            np.divide(1.0, gates, out=gates)  # update_gate, reset_gate
            candidate *= reset_gate
            candidate += candidate_from_input
            np.exp(candidate, out=candidate)
            candidate += 1.0
            np.divide(2.0, candidate, out=candidate)
            candidate -= 1.0  # tanh(x_h + reset_gate * (h @ u_h + b_h))
            np.subtract(hidden, candidate, out=change)
            change *= update_gate
            np.add(candidate, change, out=hidden)  # h = z * h_prev + (1 - z) * candidate
            if sequence is not None:
                sequence[position] = hidden
    output, final_hidden = _outputs(hidden, sequence)
    return output, (final_hidden,)


def _simple_rnn_run(x, weights, hidden_state, go_backwards, return_sequences) -> Result:
    (stacked,) = weights
    inputs, hidden, sequence, steps = _loop_buffers(x, hidden_state, go_backwards, return_sequences)
    units = len(hidden)
    z = np.empty_like(hidden)  # not hidden itself: the product reads it
    with np.errstate(over="ignore"):  # exp(-2z) = inf (float32: z < -44): tanh is then exactly -1
        for position, x_t in steps:
            inputs[units:-1] = x_t
            np.matmul(stacked, inputs, out=z)  # -2z
            np.exp(z, out=z)
            z += 1.0
            np.divide(2.0, z, out=z)
            np.subtract(z, 1.0, out=hidden)  # h = tanh(z)
            if sequence is not None:
                sequence[position] = hidden
    output, final_hidden = _outputs(hidden, sequence)
    return output, (final_hidden,)


def _loop_buffers(x, hidden_state, go_backwards, return_sequences):
    """The loop's input buffer [h, x_t, 1].T, its hidden-state rows, the sequence, and the steps."""
    batch, timesteps, features = x.shape
    units = hidden_state.shape[1]
    inputs = np.empty((units + features + 1, batch), x.dtype)
    inputs[-1] = 1.0
    hidden = inputs[:units]  # a view: writing the new hidden state fills the next product's input
    hidden[...] = hidden_state.T
    sequence = np.empty((timesteps, units, batch), x.dtype) if return_sequences else None
    by_timestep = np.ascontiguousarray(x.transpose(1, 2, 0))  # (timesteps, features, batch)
    order = reversed(by_timestep) if go_backwards else by_timestep
    return inputs, hidden, sequence, enumerate(order)


def _outputs(hidden, sequence):
    """(what the layer outputs, the final hidden state), back in Keras's (batch, ...) layout."""
    final_hidden = _transposed(hidden)
    if sequence is None:
        return final_hidden.copy(), final_hidden
    return np.ascontiguousarray(sequence.transpose(2, 0, 1)), final_hidden  # (batch, timesteps, units)


def _transposed(matrix: np.ndarray) -> np.ndarray:
    """A C-ordered copy of the transpose; always a copy, never a view of the caller's array."""
    return np.array(matrix.T, order="C")


def _in_threads(
    run: Callable[..., Result],
    x: np.ndarray,
    weights: tuple[np.ndarray, ...],
    states: tuple[np.ndarray, ...],
    go_backwards: bool,
    return_sequences: bool,
) -> Result:
    """``run`` over the whole batch, or over slices of it in parallel threads when it is large."""
    threads = min(os.cpu_count() or 1, x.shape[0] // ROWS_PER_THREAD)
    if threads < 2:
        return run(x, weights, *states, go_backwards, return_sequences)

    parts = np.array_split(np.arange(x.shape[0]), threads)
    rows = [slice(part[0], part[-1] + 1) for part in parts]
    with threadpool_limits(limits=1, user_api="blas"):
        results = list(
            _pool(threads).map(
                lambda r: run(x[r], weights, *(state[r] for state in states), go_backwards, return_sequences),
                rows,
            )
        )
    output = np.concatenate([result[0] for result in results])
    final_states = tuple(np.concatenate([result[1][k] for result in results]) for k in range(len(states)))
    return output, final_states


@cache
def _pool(threads: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(threads, thread_name_prefix="glossary-rnn")


def lstm_gradients(
    x: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    hidden_state: np.ndarray,
    cell_state: np.ndarray,
    output_gradient: np.ndarray,
    go_backwards: bool,
    return_sequences: bool,
) -> tuple[np.ndarray, ...]:
    """The gradients ``backprop.lstm_backward`` gives without a mask, arranged for speed.

    Returns ``(d_x, d_kernel, d_recurrent_kernel, d_bias, d_hidden_state, d_cell_state)``, the
    last two for the initial states. The forward pass keeps every gate instead of recomputing it,
    and the products whose terms span all timesteps run once, over the whole sequence, outside
    the loops: ``x @ kernel`` before it, and after it ``d_z @ kernel.T`` (the input's gradient)
    and the sums over timesteps that give the weights' gradients. Inside the loops remain the
    products with ``recurrent_kernel``, one per step each way, and element-wise work. A large
    batch is cut into one part per core, as for the forward pass (point 5 above); the weights'
    gradients of the parts add up.
    """
    threads = min(os.cpu_count() or 1, x.shape[0] // ROWS_PER_THREAD)
    arguments = (kernel, recurrent_kernel, bias)
    if threads < 2:
        return _lstm_gradients(
            x, *arguments, hidden_state, cell_state, output_gradient, go_backwards, return_sequences
        )
    rows = [slice(part[0], part[-1] + 1) for part in np.array_split(np.arange(x.shape[0]), threads)]
    with threadpool_limits(limits=1, user_api="blas"):
        parts = list(
            _pool(threads).map(
                lambda r: _lstm_gradients(
                    x[r],
                    *arguments,
                    hidden_state[r],
                    cell_state[r],
                    output_gradient[r],
                    go_backwards,
                    return_sequences,
                ),
                rows,
            )
        )
    by_row = [np.concatenate([part[k] for part in parts]) for k in (0, 4, 5)]  # d_x, d_h, d_c
    summed = [sum(part[k] for part in parts) for k in (1, 2, 3)]  # d_kernel, d_recurrent_kernel, d_bias
    return by_row[0], *summed, by_row[1], by_row[2]


def _lstm_gradients(
    x: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    hidden_state: np.ndarray,
    cell_state: np.ndarray,
    output_gradient: np.ndarray,
    go_backwards: bool,
    return_sequences: bool,
) -> tuple[np.ndarray, ...]:
    """`lstm_gradients` over one part of the batch."""
    batch, timesteps, _ = x.shape
    units = recurrent_kernel.shape[0]
    order = np.arange(timesteps)[::-1] if go_backwards else np.arange(timesteps)
    inputs = x[:, order].transpose(1, 0, 2)  # (timesteps, batch, features), in processing order
    projected = inputs @ kernel + bias  # (timesteps, batch, 4 * units): the input's part of every z
    gates = np.empty((timesteps, batch, 4 * units), x.dtype)  # i, f, c~, o after their squashing
    cells = np.empty((timesteps + 1, batch, units), x.dtype)  # cells[k] is the state step k reads
    hiddens = np.empty((timesteps + 1, batch, units), x.dtype)
    hiddens[0], cells[0] = hidden_state, cell_state
    for k in range(timesteps):
        z = projected[k] + hiddens[k] @ recurrent_kernel
        gate = gates[k]
        gate[:, : 2 * units] = 1.0 / (1.0 + np.exp(-z[:, : 2 * units]))  # input and forget gates
        gate[:, 2 * units : 3 * units] = np.tanh(z[:, 2 * units : 3 * units])  # the candidate
        gate[:, 3 * units :] = 1.0 / (1.0 + np.exp(-z[:, 3 * units :]))  # the output gate
        cells[k + 1] = (
            gate[:, units : 2 * units] * cells[k] + gate[:, :units] * gate[:, 2 * units : 3 * units]
        )
        hiddens[k + 1] = gate[:, 3 * units :] * np.tanh(cells[k + 1])

    d_z = projected  # read for the last time above: its memory holds the gradients of the z's
    d_hidden = np.zeros((batch, units), x.dtype) if return_sequences else output_gradient.copy()
    d_cell = np.zeros((batch, units), x.dtype)
    for k in range(timesteps - 1, -1, -1):
        if return_sequences:
            d_hidden += output_gradient[:, k]
        gate = gates[k]
        input_gate, forget_gate = gate[:, :units], gate[:, units : 2 * units]
        candidate, output_gate = gate[:, 2 * units : 3 * units], gate[:, 3 * units :]
        squashed_cell = np.tanh(cells[k + 1])
        d_cell += d_hidden * output_gate * (1.0 - squashed_cell**2)
        d_z[k, :, :units] = d_cell * candidate * input_gate * (1.0 - input_gate)
        d_z[k, :, units : 2 * units] = d_cell * cells[k] * forget_gate * (1.0 - forget_gate)
        d_z[k, :, 2 * units : 3 * units] = d_cell * input_gate * (1.0 - candidate**2)
        d_z[k, :, 3 * units :] = d_hidden * squashed_cell * output_gate * (1.0 - output_gate)
        d_cell *= forget_gate
        d_hidden = d_z[k] @ recurrent_kernel.T

    flat_d_z = d_z.reshape(timesteps * batch, 4 * units)
    d_kernel = inputs.reshape(timesteps * batch, -1).T @ flat_d_z
    d_recurrent_kernel = hiddens[:-1].reshape(timesteps * batch, units).T @ flat_d_z
    d_x = np.empty_like(x)
    d_x[:, order] = (d_z @ kernel.T).transpose(1, 0, 2)
    return d_x, d_kernel, d_recurrent_kernel, flat_d_z.sum(axis=0), d_hidden, d_cell
