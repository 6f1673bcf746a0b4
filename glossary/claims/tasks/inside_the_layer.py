"""Claims of the page "Gate values and the cell at every timestep" (``docs/inside-the-layer.md``)."""

from __future__ import annotations

import numpy as np

from glossary.claims.keras_backend import host_array, keras, tensor
from glossary.claims.registry import Evidence, claim
from glossary.claims.samples import NONZERO_LSTM_BIASES, random_biases, sample
from glossary.reference import lstm_step

TOLERANCE = 1e-5
"""float32: the step equations and Keras add the same products in different orders. Over a few
dozen timesteps the differences measured stay below 1e-6 (tens of units of float32's resolution
near 1, 6e-8); 1e-5 is ten times that, and still far below any difference in behaviour."""


@claim(
    "LSTM-RETURNS-NO-CELL-SEQUENCE",
    "With `return_sequences=True` and `return_state=True` an LSTM returns three arrays: the hidden "
    "state of every timestep, `(batch, timesteps, units)`, and the final hidden and cell states, "
    "`(batch, units)` each. No array holds the cell state of every timestep.",
    page="inside-the-layer.md#what-keras-returns",
)
def lstm_returns_no_cell_sequence():
    outputs = keras().layers.LSTM(4, return_sequences=True, return_state=True)(sample())
    shapes = [tuple(host_array(output).shape) for output in outputs]
    return Evidence(shapes == [(3, 7, 4), (3, 4), (3, 4)], f"LSTM(4) on (3, 7, 5) returns {shapes}")


@claim(
    "STEPS-REPRODUCE-LAYER",
    "Running the step equations over a Keras LSTM's own weights reproduces the hidden state the "
    "layer returns at every timestep, and its final cell state, to float32 rounding: from zero "
    "states, and from an `initial_state` `[h, c]` when both start from it.",
    page="inside-the-layer.md#every-timestep-from-the-weights",
)
def steps_reproduce_layer():
    x = sample(batch=4, timesteps=30, features=6, seed=1)
    # random biases: with a new layer's zeros, a bias in the wrong gate block would not show
    layer = keras().layers.LSTM(
        5, return_sequences=True, return_state=True, bias_initializer=random_biases(), **NONZERO_LSTM_BIASES
    )
    gaps = {}
    carried = sample(batch=4, timesteps=2, features=5, seed=3)  # h and c, not zeros, for the second run
    for name, start in (("zero states", None), ("initial_state [h, c]", [carried[:, 0], carried[:, 1]])):
        sequence, _, final_cell = (
            host_array(output)
            for output in layer(x, initial_state=start and [tensor(state) for state in start])
        )
        kernel, recurrent_kernel, bias = layer.get_weights()
        hidden, cell = (
            start if start is not None else (np.zeros((4, 5), "float32"), np.zeros((4, 5), "float32"))
        )
        hidden_states = []
        for t in range(x.shape[1]):
            hidden, cell = lstm_step(x[:, t], hidden, cell, kernel, recurrent_kernel, bias)
            hidden_states.append(hidden)
        gaps[name] = (
            float(np.max(np.abs(np.stack(hidden_states, axis=1) - sequence))),
            float(np.max(np.abs(cell - final_cell))),
        )
    return Evidence(
        max(max(pair) for pair in gaps.values()) <= TOLERANCE,
        "30 timesteps, random biases: largest difference "
        + "; ".join(
            f"from {name} {hidden:.1e} in the hidden states, {cell:.1e} in the final cell state"
            for name, (hidden, cell) in gaps.items()
        ),
    )


@claim(
    "SUBMODEL-GIVES-LAYER-INPUT",
    "`keras.Model(model.input, layer.input)` computes what a layer inside a model receives: the "
    "layer applied to it gives the layer's output in the model.",
    page="inside-the-layer.md#a-layer-inside-a-model",
)
def submodel_gives_layer_input():
    inputs = keras().Input((7, 5))
    features = keras().layers.Dense(6, activation="relu")(inputs)
    encoder = keras().layers.LSTM(4)
    model = keras().Model(inputs, keras().layers.Dense(1)(encoder(features)))
    x = sample()
    received = keras().Model(model.input, encoder.input)(x)
    in_model = host_array(keras().Model(model.input, encoder.output)(x))
    gap = float(np.max(np.abs(host_array(encoder(received)) - in_model)))
    return Evidence(gap <= TOLERANCE, f"the encoder on the sub-model's output vs in the model: {gap:.1e}")
