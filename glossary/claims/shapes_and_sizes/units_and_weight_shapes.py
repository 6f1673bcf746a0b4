"""Claims of the page "Units and weight shapes" (``docs/units-and-weight-shapes.md``)."""

from __future__ import annotations

import numpy as np

from glossary import keras_weights, reference
from glossary.claims.keras_backend import FLOAT32_ARITHMETIC, host_array, keras, tensor
from glossary.claims.registry import Evidence, claim, opposite
from glossary.claims.samples import built, sample


@claim(
    "GUIDE-WEIGHTS-GROW-WITH-BATCH",
    "When sequences are processed in batches, the weight matrices take the batch size as a dimension.",
    verdict=False,
    page="units-and-weight-shapes.md#the-forget-gate-with-real-dimensions",
    corrected_by="PARAMS-NO-BATCH-TIME",
)
def weights_grow_with_batch():
    shapes = set()
    for batch in (1, 3, 64):
        layer = keras().layers.LSTM(4)
        layer.build((batch, 7, 5))
        shapes.add(tuple(tuple(w.shape) for w in layer.weights))
    return Evidence(len(shapes) > 1, f"weight shapes for batches 1, 3 and 64: {sorted(shapes)}")


@claim(
    "UNITS-IS-STATE-SIZE",
    "`units` is the size of the hidden state and of the cell state, both `(batch, units)`, and of the "
    "output at each timestep: `LSTM(4)` keeps 4 numbers of each state per sequence and emits 4 per timestep.",
    page="units-and-weight-shapes.md",
)
def units_is_state_size():
    found = {}
    for units in (4, 6):
        sequence, state_h, state_c = keras().layers.LSTM(units, return_sequences=True, return_state=True)(
            sample()
        )
        found[units] = (tuple(sequence.shape), tuple(state_h.shape), tuple(state_c.shape))
    expected = {units: ((3, 7, units), (3, units), (3, units)) for units in (4, 6)}
    shown = "; ".join(f"LSTM({u}): output {o}, state_h {h}, state_c {c}" for u, (o, h, c) in found.items())
    return Evidence(found == expected, f"on (3, 7, 5): {shown}")


@claim(
    "UNITS-NOT-TIMESTEPS",
    "`units` need not match the number of timesteps: `LSTM(4)` returns 4 numbers per sequence "
    "for any length.",
    page="units-and-weight-shapes.md#what-units-is-not",
)
def units_not_timesteps():
    layer = keras().layers.LSTM(4)
    found = {steps: tuple(layer(sample(timesteps=steps)).shape)[1] for steps in (2, 4, 30)}
    return Evidence(set(found.values()) == {4}, f"units per sequence by timesteps: {found}")


@claim(
    "WEIGHT-SHAPES",
    "An LSTM's weights are `kernel` `(features, 4 * units)`, `recurrent_kernel` `(units, 4 * units)` and "
    "`bias` `(4 * units,)`.",
    page="units-and-weight-shapes.md#the-three-weight-arrays",
)
def weight_shapes():
    layer = built(keras().layers.LSTM(4), 5)
    found = [tuple(w.shape) for w in layer.weights]
    return Evidence(found == [(5, 16), (4, 16), (16,)], f"LSTM(4) on 5 features: {found}")


@claim(
    "GUIDE-INPUT-WEIGHTS-UNITS-BY-FEATURES",
    "A gate's input weight matrix is `(units, features)`: `(4, 5)` for 5 features and 4 units.",
    verdict=False,
    page="units-and-weight-shapes.md#one-gate-at-a-time",
    corrected_by="WEIGHT-SHAPES",
)
def input_weights_units_by_features():
    from glossary.keras_weights import lstm_gate_weights

    shape = lstm_gate_weights(built(keras().layers.LSTM(4), 5))["forget_gate"].kernel.shape
    return Evidence(shape == (4, 5), f"forget gate kernel in Keras: {shape}")


@claim(
    "BATCH-IS-ROWS",
    "A batch is a stack of rows: at each timestep Keras multiplies a `(batch, features)` input by the "
    "`(features, 4 * units)` kernel, and each row gives what its sequence gives alone.",
    page="units-and-weight-shapes.md#the-forget-gate-with-real-dimensions",
    depends_on=FLOAT32_ARITHMETIC,
)
def batch_is_rows():
    x = sample(batch=3, features=5)
    layer = keras().layers.LSTM(4)
    together = host_array(layer(x))
    alone = np.concatenate([host_array(layer(x[row : row + 1])) for row in range(3)])
    difference = float(np.max(np.abs(together - alone)))
    kernel = tuple(layer.weights[0].shape)
    return Evidence(
        x[:, 0].shape == (3, 5) and kernel == (5, 16) and difference < 1e-6,
        f"x[:, t] is {x[:, 0].shape} for 3 sequences of 5 features; kernel {kernel}; "
        f"each sequence run alone differs from its row of the batch by at most {difference:.1e}",
    )


@claim(
    "GUIDE-BATCH-AS-COLUMNS",
    "With a batch, each timestep's input becomes a matrix with one column per sequence.",
    verdict=False,
    page="units-and-weight-shapes.md#the-forget-gate-with-real-dimensions",
    corrected_by="BATCH-IS-ROWS",
)
def batch_as_columns():
    return opposite(batch_is_rows)


@claim(
    "GATE-ORDER",
    "Keras packs an LSTM's gates in the order input, forget, candidate, output.",
    page="units-and-weight-shapes.md#the-order-of-the-gates",
    depends_on=FLOAT32_ARITHMETIC,
)
def gate_order():
    # Rebuild one timestep gate by gate from the blocks taken in that order, from a non-zero state so
    # that every block of the recurrent kernel counts too, with random biases; compare with Keras.
    x = sample(timesteps=1)
    rng = np.random.default_rng(1)
    h_prev, c_prev = (rng.normal(size=(3, 4)).astype("float32") for _ in range(2))
    layer = built(keras().layers.LSTM(4), 5)
    kernel, recurrent_kernel, bias = layer.get_weights()
    layer.set_weights([kernel, recurrent_kernel, rng.normal(scale=0.5, size=bias.shape).astype("float32")])
    expected = host_array(layer(x, initial_state=[tensor(h_prev), tensor(c_prev)]))
    gates = keras_weights.lstm_gate_weights(layer)

    def pre(name):
        return x[:, 0] @ gates[name].kernel + h_prev @ gates[name].recurrent_kernel + gates[name].bias

    cell = reference.sigmoid(pre("forget_gate")) * c_prev + reference.sigmoid(pre("input_gate")) * np.tanh(
        pre("candidate")
    )
    hidden = reference.sigmoid(pre("output_gate")) * np.tanh(cell)
    difference = float(np.max(np.abs(hidden - expected)))
    return Evidence(difference < 1e-6, f"largest difference rebuilding by named blocks: {difference:.1e}")
