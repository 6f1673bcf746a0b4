"""Claims about input shapes, units, weight shapes and parameter counts."""

from __future__ import annotations

import numpy as np

from glossary import keras_weights, reference, shapes
from glossary.claims._keras import FLOAT32_ARITHMETIC, built, error_of, host_array, keras, sample, tensor
from glossary.claims.registry import Evidence, claim


@claim(
    "INPUT-3D",
    "A Keras recurrent layer reads `(batch, timesteps, features)` and refuses a 2-D array with "
    "`expected ndim=3, found ndim=2`.",
    page="input-shape.md#expected-ndim3-found-ndim2",
)
def input_is_3d():
    # Named, so that the message quoted as evidence is the same whatever ran before in the process.
    message = error_of(lambda: keras().layers.LSTM(4, name="lstm")(np.zeros((3, 5), "float32")))
    shape = tuple(keras().layers.LSTM(4)(sample()).shape)
    return Evidence(
        "expected ndim=3, found ndim=2" in message and shape == (3, 4), f"{message!r}; 3-D in: {shape}"
    )


@claim(
    "INPUT-NO-BATCH-AXIS",
    "`keras.Input(shape=(timesteps, features))` describes one sample; Keras adds the batch axis as `None`.",
    page="input-shape.md#why-inputshape-leaves-one-axis-out",
)
def input_has_no_batch_axis():
    shape = tuple(keras().Input(shape=(7, 5)).shape)
    return Evidence(shape == (None, 7, 5), f"Input(shape=(7, 5)).shape = {shape}")


@claim(
    "INPUT-ANY-LENGTH",
    "A recurrent layer reads sequences of any length with the same weights.",
    page="input-shape.md#why-inputshape-leaves-one-axis-out",
)
def any_length():
    layer = keras().layers.LSTM(4)
    outputs = {steps: tuple(layer(sample(timesteps=steps)).shape) for steps in (1, 7, 50)}
    return Evidence(
        set(outputs.values()) == {(3, 4)} and len(layer.weights) == 3, f"output shape by timesteps: {outputs}"
    )


@claim(
    "UNITS-IS-STATE-SIZE",
    "`units` is the size of the hidden state and of the cell state: both are `(batch, units)`.",
    page="units-and-weight-shapes.md",
)
def units_is_state_size():
    _, state_h, state_c = keras().layers.LSTM(6, return_state=True)(sample())
    found = (tuple(state_h.shape), tuple(state_c.shape))
    return Evidence(found == ((3, 6), (3, 6)), f"LSTM(6): state_h {found[0]}, state_c {found[1]}")


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
    "GATE-ORDER",
    "Keras packs an LSTM's gates in the order input, forget, candidate, output.",
    page="units-and-weight-shapes.md#the-order-of-the-gates",
    depends_on=FLOAT32_ARITHMETIC,
)
def gate_order():
    # Rebuild one timestep gate by gate from the blocks taken in that order, from a non-zero state so
    # that every block of the recurrent kernel counts too; compare with Keras.
    x = sample(timesteps=1)
    rng = np.random.default_rng(1)
    h_prev, c_prev = (rng.normal(size=(3, 4)).astype("float32") for _ in range(2))
    layer = keras().layers.LSTM(4)
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


@claim(
    "PARAMS-FORMULA",
    "An LSTM has `4 * units * (features + units + 1)` parameters.",
    page="parameter-count.md#the-lstm-formula",
)
def params_formula():
    cases = [(5, 4), (1, 1), (32, 256), (100, 7)]
    found = {(f, u): (built(keras().layers.LSTM(u), f).count_params(), 4 * u * (f + u + 1)) for f, u in cases}
    shown = "; ".join(
        f"{f} features, {u} units: {keras_count} and {formula}"
        for (f, u), (keras_count, formula) in found.items()
    )
    return Evidence(all(a == b for a, b in found.values()), f"Keras's count and the formula's: {shown}")


@claim(
    "PARAMS-4X-SIMPLERNN",
    "An LSTM has exactly four times the parameters of a SimpleRNN of the same size.",
    page="parameter-count.md#four-times-a-simplernn",
)
def params_four_times():
    lstm = built(keras().layers.LSTM(4), 5).count_params()
    simple = built(keras().layers.SimpleRNN(4), 5).count_params()
    return Evidence(lstm == 4 * simple, f"LSTM {lstm}, SimpleRNN {simple}")


@claim(
    "PARAMS-NO-BATCH-TIME",
    "The parameter count depends on neither the batch size nor the number of timesteps.",
    page="parameter-count.md#batch-size-and-timesteps-do-not-count",
)
def params_no_batch_time():
    counts = set()
    for batch, timesteps in ((1, 1), (32, 10), (512, 1000)):
        layer = keras().layers.LSTM(4)
        layer.build((batch, timesteps, 5))
        counts.add(layer.count_params())
    return Evidence(counts == {shapes.parameter_count("LSTM", 5, 4)}, f"counts seen: {sorted(counts)}")


@claim(
    "GRU-TWO-COUNTS",
    "`GRU(5)` on 4 features has 165 parameters with `reset_after=True`, Keras 3's default, and 150 with "
    "`reset_after=False`.",
    page="parameter-count.md#gru-two-counts-for-the-same-layer",
    depends_on="the reset_after default: True in Keras 3 and in TensorFlow 2's Keras 2; False before",
)
def gru_two_counts():
    default = keras().layers.GRU(5).reset_after
    counts = {
        flag: built(keras().layers.GRU(5, reset_after=flag), 4).count_params() for flag in (True, False)
    }
    return Evidence(
        default is True and counts == {True: 165, False: 150},
        f"reset_after defaults to {default}; GRU(5) on 4 features has {counts[True]} parameters with True, "
        f"{counts[False]} with False",
    )
