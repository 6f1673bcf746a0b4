"""Claims of the page "`return_sequences` and `return_state`" (``docs/return-sequences-and-state.md``)."""

from __future__ import annotations

import numpy as np

from glossary.claims.keras_backend import host_array, is_keras_2, keras, tensor
from glossary.claims.registry import Evidence, claim, opposite
from glossary.claims.samples import error_of, sample


@claim(
    "OUTPUT-IS-HIDDEN",
    "An LSTM's output is its hidden state: with `return_state=True`, `output` and `state_h` are identical.",
    page="return-sequences-and-state.md#return_state",
)
def output_is_hidden():
    output, state_h, _ = (host_array(t) for t in keras().layers.LSTM(4, return_state=True)(sample()))
    same = bool(np.array_equal(output, state_h))
    return Evidence(
        same, f"LSTM(4): output and state_h are {'identical' if same else 'different'}, {output.size} numbers"
    )


@claim(
    "RETURN-SEQUENCES-SHAPES",
    "`return_sequences=True` returns `(batch, timesteps, units)`; the default returns `(batch, units)`.",
    page="return-sequences-and-state.md#return_sequences",
)
def return_sequences_shapes():
    found = {
        flag: tuple(keras().layers.LSTM(4, return_sequences=flag)(sample()).shape) for flag in (False, True)
    }
    return Evidence(
        found == {False: (3, 4), True: (3, 7, 4)},
        f"LSTM(4) on (3, 7, 5): {found[False]} by default, {found[True]} with return_sequences=True",
    )


def _final_states_by_cell(layer, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The final ``h`` and ``c`` of ``layer`` on ``x``, from Keras's own cell stepped by hand.

    ``layer.cell(x_t, [h, c])`` is one timestep of the layer, with its weights; it returns
    ``h, [h, c]`` in Keras 3 and in Keras 2.
    """
    units = layer.cell.units
    h = c = tensor(np.zeros((len(x), units), "float32"))
    for t in range(x.shape[1]):
        _, (h, c) = layer.cell(tensor(x[:, t]), [h, c])
    return host_array(h), host_array(c)


@claim(
    "RETURN-STATE-TUPLE",
    "With `return_state=True` an LSTM returns three arrays, in this order: the output, `state_h` (the "
    "final hidden state) and `state_c` (the final cell state). Keras 3 returns them as a tuple, Keras 2 "
    "(tf-keras) as a list; both unpack the same way.",
    page="return-sequences-and-state.md#return_state",
    depends_on="Keras 3 returns a tuple; Keras 2 (tf-keras) returns a list",
)
def return_state_tuple():
    x = sample()
    biases = keras().initializers.RandomNormal(stddev=0.5, seed=1)  # not zero: every block counts
    layer = keras().layers.LSTM(4, return_sequences=True, return_state=True, bias_initializer=biases)
    result = layer(x)
    container = "list" if is_keras_2() else "tuple"
    if type(result).__name__ != container or len(result) != 3:
        return Evidence(False, f"{type(result).__name__} of {len(result)}; expected a {container} of 3")
    output, second, third = (host_array(t) for t in result)
    h, c = _final_states_by_cell(layer, x)
    gaps = {
        "output's last timestep vs the cell's h": float(np.max(np.abs(output[:, -1] - h))),
        "second vs the cell's h": float(np.max(np.abs(second - h))),
        "third vs the cell's c": float(np.max(np.abs(third - c))),
    }
    apart = float(np.max(np.abs(h - c)))  # h and c must differ, or the order could not be told
    # The order, not the rounding, is in question: 1e-3 leaves room for cuDNN's (TF32 on PyTorch)
    # while h and c stay far apart.
    holds = output.shape == (3, 7, 4) and max(gaps.values()) < 1e-3 and apart > 1e-1
    shown = "; ".join(f"{name} {gap:.1e}" for name, gap in gaps.items())
    return Evidence(
        holds,
        f"a {container} of 3, the output {output.shape}; {shown}; the cell's h and c differ by {apart:.2f}",
    )


@claim(
    "GUIDE-RETURN-STATE-IS-CELL-ONLY",
    "`return_state` adds only the cell state to what the layer returns.",
    verdict=False,
    page="return-sequences-and-state.md#return_state",
    corrected_by="RETURN-STATE-TUPLE",
)
def return_state_is_cell_only():
    result = keras().layers.LSTM(4, return_state=True)(sample())
    return Evidence(len(result) == 2, f"return_state=True returns {len(result)} arrays")


@claim(
    "LAST-ROW-IS-STATE",
    "With `return_sequences=True`, `state_h` equals the last timestep of the returned sequence.",
    page="return-sequences-and-state.md#return_state",
)
def last_row_is_state():
    returned = keras().layers.LSTM(4, return_sequences=True, return_state=True)(sample())
    sequence, state_h, _ = (host_array(t) for t in returned)
    same = bool(np.array_equal(sequence[:, -1], state_h))
    return Evidence(
        same, f"last timestep of the sequence and state_h: {'identical' if same else 'different'}"
    )


@claim(
    "RETURN-STATES-REFUSED",
    "`return_states` (with an s) is not a Keras argument: Keras 3 refuses it when the layer is created.",
    page="return-sequences-and-state.md#it-is-return_state-singular",
    depends_on="Keras 3 refuses unknown keyword arguments",
)
def return_states_refused():
    message = error_of(lambda: keras().layers.LSTM(4, return_states=True))
    return Evidence("return_states" in message, repr(message))


@claim(
    "GUIDE-RETURN-STATES",
    "Keras has a `return_states` argument, and it returns the cell state.",
    verdict=False,
    page="return-sequences-and-state.md#it-is-return_state-singular",
    corrected_by="RETURN-STATES-REFUSED",
)
def return_states_exists():
    return opposite(return_states_refused)
