"""Claims of the page "`go_backwards`" (``docs/go-backwards.md``)."""

from __future__ import annotations

import numpy as np

from glossary.claims.keras_backend import host_array, keras
from glossary.claims.registry import Evidence, claim
from glossary.claims.samples import built, sample


@claim(
    "GO-BACKWARDS-IS-FLIPPED-INPUT",
    "`go_backwards=True` gives exactly what the same layer gives on the time-reversed input, returned "
    "sequence included: its first row belongs to the last timestep.",
    page="go-backwards.md#what-it-does",
)
def go_backwards_is_flipped_input():
    x = sample()
    backwards = keras().layers.LSTM(4, return_sequences=True, go_backwards=True)
    expected = host_array(backwards(x))
    forwards = built(keras().layers.LSTM(4, return_sequences=True), 5)
    forwards.set_weights(backwards.get_weights())
    difference = float(np.max(np.abs(host_array(forwards(x[:, ::-1])) - expected)))
    return Evidence(difference < 1e-6, f"largest difference {difference:.1e}")


@claim(
    "GO-BACKWARDS-NOT-REALIGNED",
    "A `go_backwards` layer's returned sequence is in time order.",
    page="go-backwards.md#what-it-does",
    verdict=False,
    corrected_by="GO-BACKWARDS-IS-FLIPPED-INPUT",
)
def go_backwards_not_realigned():
    x = sample()
    backwards = keras().layers.LSTM(4, return_sequences=True, go_backwards=True)
    returned = host_array(backwards(x))
    forwards = built(keras().layers.LSTM(4, return_sequences=True), 5)
    forwards.set_weights(backwards.get_weights())
    in_time_order = host_array(forwards(x[:, ::-1]))[:, ::-1]
    difference = float(np.max(np.abs(returned - in_time_order)))
    return Evidence(difference < 1e-6, f"largest difference from the time-ordered sequence {difference:.2f}")


@claim(
    "BIDIRECTIONAL-REALIGNS",
    "`Bidirectional` puts its backward layer's returned sequence back in time order before merging: "
    "row t of its backward half is the backward layer's row T - t + 1.",
    page="go-backwards.md#putting-a-returned-sequence-back-in-time-order",
)
def bidirectional_realigns():
    x = sample()
    both = keras().layers.Bidirectional(keras().layers.LSTM(4, return_sequences=True), merge_mode=None)
    _, backward_half = both(x)
    returned = host_array(both.backward_layer(x))  # the go_backwards layer on its own
    difference = float(np.max(np.abs(host_array(backward_half) - returned[:, ::-1])))
    return Evidence(difference < 1e-6, f"largest difference {difference:.1e}")
