"""Claims of the page "`return_sequences` and `return_state`" (``docs/return-sequences-and-state.md``)."""

from __future__ import annotations

import numpy as np

from glossary.claims.keras_backend import host_array, keras
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


@claim(
    "RETURN-STATE-TUPLE",
    "With `return_state=True` an LSTM returns a tuple of three: `output`, `state_h`, `state_c`.",
    page="return-sequences-and-state.md#return_state",
    depends_on="Keras 3 returns a tuple; Keras 2 (tf-keras) returns a list",
)
def return_state_tuple():
    result = keras().layers.LSTM(4, return_state=True)(sample())
    return Evidence(type(result) is tuple and len(result) == 3, f"{type(result).__name__} of {len(result)}")


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
