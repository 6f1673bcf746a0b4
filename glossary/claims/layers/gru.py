"""Claims of the page "GRU" (``docs/gru.md``)."""

from __future__ import annotations

import numpy as np

from glossary.claims.keras_backend import FLOAT32_ARITHMETIC, host_array, keras
from glossary.claims.registry import Evidence, claim
from glossary.claims.samples import built, reference_difference, sample


@claim(
    "GRU-REFERENCE",
    "`glossary.reference.gru` gives `keras.layers.GRU`'s numbers to 1e-5 in float32, "
    "with `reset_after` True and False.",
    page="gru.md#the-same-in-numpy",
    depends_on=FLOAT32_ARITHMETIC,
)
def gru_reference():
    difference = max(reference_difference("GRU", reset_after=reset_after) for reset_after in (True, False))
    return Evidence(difference < 1e-5, f"largest difference {difference:.1e}")


@claim(
    "GRU-GATE-ORDER",
    "Keras packs a GRU's gates as update, reset, candidate: a large bias on the first block alone "
    "freezes the hidden state at its initial value.",
    page="gru.md#the-three-blocks",
)
def gru_gate_order():
    layer = built(keras().layers.GRU(4, return_sequences=True), 5)
    kernel, recurrent_kernel, bias = layer.get_weights()
    bias[:, :4] = 20.0  # the update gate saturates at 1: keep the old state entirely
    layer.set_weights([kernel, recurrent_kernel, bias])
    largest = float(np.max(np.abs(host_array(layer(sample())))))
    return Evidence(largest < 1e-6, f"largest |h_t| from a zero initial state: {largest:.1e}")


@claim(
    "ONE-STATE-LAYERS",
    "With `return_state=True`, GRU and SimpleRNN return two arrays, output and `state_h`, "
    "with no cell state; the output is again the hidden state.",
    page="gru.md#one-state-not-two",
)
def one_state_layers():
    x = sample()
    found = []
    for layer_type in ("GRU", "SimpleRNN"):
        returned = getattr(keras().layers, layer_type)(4, return_state=True)(x)
        output, state_h = returned
        found.append(len(returned) == 2 and np.array_equal(host_array(output), host_array(state_h)))
    return Evidence(all(found), f"two arrays, output equal to state_h: {found}")
