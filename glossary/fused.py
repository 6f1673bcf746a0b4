"""The LSTM's fast path: the same equations as ``reference.lstm_step``, arranged for speed.

``reference.lstm`` runs this for unmasked input; the tests hold it equal to the plain loop.
What makes it fast, each measured on ``benchmarks/speed.py``'s large shape:

1. One matrix product per timestep. ``x_t``, ``h`` and a column of ones sit side by side in
   one buffer, and ``kernel``, ``recurrent_kernel`` and ``bias`` are stacked to match, so
   ``[x_t, h, 1] @ [[kernel], [recurrent_kernel], [bias]]`` gives every gate's
   pre-activation at once. Hoisting ``x @ kernel`` out of the loop instead was slower here:
   that product has only ``features`` terms per output, runs far below the machine's
   matrix-multiply rate, and writes a (timesteps, batch, 4 * units) array to memory.
2. One ``tanh`` for all four gates. The columns are reordered to (input, forget, output,
   candidate) and the three sigmoid blocks pre-scaled by 1/2, because
   sigmoid(z) = (1 + tanh(z / 2)) / 2. The loop then keeps each gate doubled, 1 + tanh(z / 2),
   and pays the 1/2 back where it is cheaper: once on the cell state, and on the hidden state
   by halving the recurrent kernel rows that multiply it. Scaling by 1/2 is exact in binary
   floating point.
3. No allocation inside the loop: every array it writes exists before it starts.
4. Both cores busy throughout. Sequences of a batch never interact, so a large batch is cut
   in two and each half runs in its own thread with single-threaded BLAS: the element-wise
   work, which NumPy does on one core, then runs on both, and so does the matrix product.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import numpy as np
from threadpoolctl import threadpool_limits

ROWS_PER_THREAD = 64
"""Below this many sequences per thread, the threads' overhead costs more than they save."""


def lstm_sequence(
    x: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    hidden_state: np.ndarray,
    cell_state: np.ndarray,
    go_backwards: bool,
    return_sequences: bool,
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Run an LSTM over validated, same-dtype arrays; return (output, (hidden_state, cell_state))."""
    units = recurrent_kernel.shape[0]
    stacked = _stacked_weights(kernel, recurrent_kernel, bias, units)
    threads = min(os.cpu_count() or 1, x.shape[0] // ROWS_PER_THREAD)
    if threads < 2:
        return _run(x, stacked, hidden_state, cell_state, go_backwards, return_sequences)

    parts = np.array_split(np.arange(x.shape[0]), threads)
    rows = [slice(part[0], part[-1] + 1) for part in parts]
    with threadpool_limits(limits=1, user_api="blas"):
        results = list(
            _pool(threads).map(
                lambda r: _run(x[r], stacked, hidden_state[r], cell_state[r], go_backwards, return_sequences),
                rows,
            )
        )
    output = np.concatenate([result[0] for result in results])
    hidden, cell = (np.concatenate([result[1][k] for result in results]) for k in (0, 1))
    return output, (hidden, cell)


def _stacked_weights(kernel, recurrent_kernel, bias, units) -> np.ndarray:
    """[[kernel], [recurrent_kernel], [bias]], columns as (i, f, o, c), sigmoid blocks halved."""
    i, f, c, o = (slice(k * units, (k + 1) * units) for k in range(4))
    order = np.r_[i, f, o, c]
    half = np.ones(4 * units, kernel.dtype)
    half[: 3 * units] = 0.5
    # The loop keeps 2 * h, so the rows that multiply h are halved too.
    rows = np.concatenate([np.ones(len(kernel)), np.full(units, 0.5), [1.0]]).astype(kernel.dtype)
    return np.concatenate([kernel, recurrent_kernel, bias[None]])[:, order] * half * rows[:, None]


def _run(x, stacked, hidden_state, cell_state, go_backwards, return_sequences):
    batch, timesteps, features = x.shape
    units = hidden_state.shape[1]
    inputs = np.empty((batch, features + units + 1), x.dtype)  # [x_t, h, 1]
    inputs[:, -1] = 1.0
    doubled_h = inputs[:, features:-1]  # (batch, units), a view: writing it fills the next product's input
    np.multiply(hidden_state, 2.0, out=doubled_h)
    cell = cell_state.copy()  # (batch, units)
    z = np.empty((batch, 4 * units), x.dtype)
    scratch = np.empty((batch, units), x.dtype)
    sequence = np.empty((batch, timesteps, units), x.dtype) if return_sequences else None
    # Each of the three gates is held doubled: 2 * sigmoid = 1 + tanh(z / 2).
    doubled_input, doubled_forget, doubled_output, candidate = (
        z[:, k * units : (k + 1) * units] for k in range(4)
    )
    sigmoid_gates = z[:, : 3 * units]

    by_timestep = np.ascontiguousarray(x.transpose(1, 0, 2))  # (timesteps, batch, features): rows copy fast
    steps = range(timesteps - 1, -1, -1) if go_backwards else range(timesteps)
    for position, t in enumerate(steps):
        inputs[:, :features] = by_timestep[t]
        np.matmul(inputs, stacked, out=z)
        np.tanh(z, out=z)
        sigmoid_gates += 1.0
        cell *= doubled_forget
        np.multiply(doubled_input, candidate, out=scratch)
        cell += scratch
        cell *= 0.5  # c = f * c_prev + i * candidate
        np.tanh(cell, out=scratch)
        np.multiply(doubled_output, scratch, out=doubled_h)  # 2 * h = 2 * o * tanh(c)
        if sequence is not None:
            np.multiply(doubled_h, 0.5, out=sequence[:, position])
    hidden = doubled_h * 0.5
    return (sequence if sequence is not None else hidden.copy()), (hidden, cell)


@cache
def _pool(threads: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(threads, thread_name_prefix="glossary-lstm")
