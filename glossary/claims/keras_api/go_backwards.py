"""Claims of the page "`go_backwards`" (``docs/go-backwards.md``)."""

from __future__ import annotations

import numpy as np

from glossary.claims.keras_backend import FLOAT32_ARITHMETIC, host_array, keras
from glossary.claims.registry import Evidence, claim
from glossary.claims.samples import built, sample
from glossary.layer_kinds import KINDS


@claim(
    "GO-BACKWARDS-IS-FLIPPED-INPUT",
    "`go_backwards=True` gives what the same layer gives on the time-reversed input (to 1e-6 in "
    "float32), returned sequence included: its first row belongs to the last timestep.",
    page="go-backwards.md#what-it-does",
    depends_on="the device on JAX: by Keras 3.15.1's source, its cuDNN path there returns the sequence "
    "in time order (no GPU run of this site has tried it)",
)
def go_backwards_is_flipped_input():
    x = sample()
    differences = {}
    for kind in KINDS:
        backwards = getattr(keras().layers, kind)(4, return_sequences=True, go_backwards=True)
        expected = host_array(backwards(x))
        forwards = built(getattr(keras().layers, kind)(4, return_sequences=True), 5)
        forwards.set_weights(backwards.get_weights())
        differences[kind] = float(np.max(np.abs(host_array(forwards(x[:, ::-1])) - expected)))
    shown = ", ".join(f"{kind} {difference:.1e}" for kind, difference in differences.items())
    return Evidence(max(differences.values()) < 1e-6, f"largest difference: {shown}")


@claim(
    "GO-BACKWARDS-NOT-REALIGNED",
    "A `go_backwards` layer's returned sequence is in time order.",
    page="go-backwards.md#what-it-does",
    verdict=False,
    corrected_by="GO-BACKWARDS-IS-FLIPPED-INPUT",
    depends_on="the device on JAX, as GO-BACKWARDS-IS-FLIPPED-INPUT does (no GPU run of this site has "
    "tried it)",
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
    "row t of its backward half is the backward layer's row T - t + 1, what that layer's weights "
    "make of timestep t reading from the last timestep.",
    page="go-backwards.md#putting-a-returned-sequence-back-in-time-order",
    depends_on="the device on JAX, as GO-BACKWARDS-IS-FLIPPED-INPUT does (no GPU run of this site has "
    "tried it)",
)
def bidirectional_realigns():
    x = sample()
    both = keras().layers.Bidirectional(keras().layers.LSTM(4, return_sequences=True), merge_mode=None)
    _, backward_half = both(x)
    half = host_array(backward_half)
    returned = host_array(both.backward_layer(x))  # the go_backwards layer on its own
    # what the backward layer's weights make of each timestep, reading from the end: a forward
    # LSTM on the reversed input, put back in time order (so a backward layer that read forwards
    # would not pass)
    forwards = built(keras().layers.LSTM(4, return_sequences=True), 5)
    forwards.set_weights(both.backward_layer.get_weights())
    view_of_t = host_array(forwards(x[:, ::-1]))[:, ::-1]
    differences = {
        "the backward layer's row T - t + 1": float(np.max(np.abs(half - returned[:, ::-1]))),
        "its view of timestep t": float(np.max(np.abs(half - view_of_t))),
    }
    shown = ", ".join(f"{name} {difference:.1e}" for name, difference in differences.items())
    return Evidence(max(differences.values()) < 1e-6, f"largest difference of row t from {shown}")


@claim(
    "GO-BACKWARDS-MASK-SKIPS",
    "A mask is reversed with the input: a `go_backwards` LSTM given right-padded sequences and their "
    "mask ends with what it gives on each sequence without its padding.",
    page="go-backwards.md#with-a-mask",
    depends_on=FLOAT32_ARITHMETIC,
)
def go_backwards_mask_skips():
    lengths = (7, 4, 2)
    x = sample()
    mask = np.arange(7)[None, :] < np.array(lengths)[:, None]
    x[~mask] = 100.0  # right padding, of a value that would move the states far if it were read
    backwards = built(keras().layers.LSTM(4, go_backwards=True), 5)
    masked = host_array(backwards(x, mask=mask))
    unpadded = np.concatenate(
        [host_array(backwards(x[row : row + 1, :length])) for row, length in enumerate(lengths)]
    )
    difference = float(np.max(np.abs(masked - unpadded)))
    return Evidence(
        difference < 1e-5,  # float32: a batch of three and a batch of one may round products differently
        f"lengths {lengths} padded to 7, masked vs each sequence alone: {difference:.1e}",
    )
