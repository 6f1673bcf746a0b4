"""Claims of the page "Bidirectional layers" (``docs/bidirectional.md``)."""

from __future__ import annotations

import numpy as np

from glossary.claims.keras_backend import host_array, keras
from glossary.claims.registry import Evidence, claim
from glossary.claims.samples import built, sample


@claim(
    "BIDIRECTIONAL-WIDTH",
    "`Bidirectional(LSTM(units))` outputs `2 * units` values by default (`merge_mode='concat'`); "
    "`sum`, `mul` and `ave` keep `units`, and `None` returns the two directions separately.",
    page="bidirectional.md#why-the-width-doubles",
)
def bidirectional_width():
    x = sample()
    found = {}
    for mode in ("concat", "sum", "mul", "ave", None):
        result = keras().layers.Bidirectional(keras().layers.LSTM(4), merge_mode=mode)(x)
        found[mode] = [tuple(r.shape) for r in result] if mode is None else tuple(result.shape)
    expected = {"concat": (3, 8), "sum": (3, 4), "mul": (3, 4), "ave": (3, 4), None: [(3, 4), (3, 4)]}
    shown = "; ".join(f"{mode}: {shape}" for mode, shape in found.items())
    return Evidence(found == expected, f"Bidirectional(LSTM(4)) on (3, 7, 5), by merge_mode: {shown}")


@claim(
    "BIDIRECTIONAL-STATES",
    "With `return_state=True`, `Bidirectional(LSTM)` returns five arrays: output, then forward `h` and "
    "`c`, then backward `h` and `c`.",
    page="bidirectional.md#returned-states",
)
def bidirectional_states():
    result = keras().layers.Bidirectional(keras().layers.LSTM(4, return_state=True))(sample())
    output, forward_h, _, backward_h, _ = (host_array(r) for r in result)
    ordered = np.array_equal(output, np.concatenate([forward_h, backward_h], axis=-1))
    return Evidence(
        len(result) == 5 and ordered, f"{len(result)} arrays; output = [forward h, backward h]: {ordered}"
    )


@claim(
    "BIDIRECTIONAL-PARAMS",
    "A `Bidirectional` layer holds two copies of the wrapped layer, the second with "
    "`go_backwards=True`, so it has twice the parameters.",
    page="bidirectional.md#returned-states",
)
def bidirectional_params():
    wrapper = keras().layers.Bidirectional(keras().layers.LSTM(4))
    wrapper.build((None, None, 5))
    single = built(keras().layers.LSTM(4), 5).count_params()
    backwards = wrapper.backward_layer.go_backwards
    return Evidence(
        wrapper.count_params() == 2 * single and backwards, f"{wrapper.count_params()} = 2 x {single}"
    )
