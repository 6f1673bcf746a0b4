"""Claims of the page "Units and weight shapes" (``docs/units-and-weight-shapes.md``)."""

from __future__ import annotations

import itertools

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
    "`bias` `(4 * units,)`; with `use_bias=False` it has only the first two.",
    page="units-and-weight-shapes.md#the-three-weight-arrays",
)
def weight_shapes():
    # sizes where 4 * units is neither units * units nor features * units, besides the running example
    found, holds = [], True
    for features, units in ((5, 4), (2, 3), (5, 6)):
        shapes = [tuple(w.shape) for w in built(keras().layers.LSTM(units), features).weights]
        holds &= shapes == [(features, 4 * units), (units, 4 * units), (4 * units,)]
        found.append(f"LSTM({units}) on {features} features: {shapes}")
    no_bias = [tuple(w.shape) for w in built(keras().layers.LSTM(3, use_bias=False), 2).weights]
    holds &= no_bias == [(2, 12), (3, 12)]
    return Evidence(holds, "; ".join(found) + f"; LSTM(3, use_bias=False) on 2 features: {no_bias}")


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
        # 1e-3: float32 rounding on a CPU is about 1e-7, TF32 products on a GPU about 2e-4 (GATE-ORDER's
        # record there); a batch read as columns would mix the sequences and miss by about 1e-1
        x[:, 0].shape == (3, 5) and kernel == (5, 16) and difference < 1e-3,
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


GATE_ORDER_TOLERANCE = 1e-3
"""How far the rebuild in Keras's order may be from Keras: float32 rounding on a CPU (about 1e-7), and
TF32 products on a GPU (about 2e-4, recorded), stay under it; every other order of the four blocks
misses by more than ten times it (GATE-ORDER's evidence prints the nearest), so the order is decided
on a GPU too."""


def _rebuilt_step(x_t, h_prev, c_prev, blocks):
    """One LSTM timestep from (kernel, recurrent kernel, bias) blocks, taken as the gates i, f, c, o."""
    pre = [x_t @ kernel + h_prev @ recurrent + bias for kernel, recurrent, bias in blocks]
    cell = reference.sigmoid(pre[1]) * c_prev + reference.sigmoid(pre[0]) * np.tanh(pre[2])
    return reference.sigmoid(pre[3]) * np.tanh(cell)


@claim(
    "GATE-ORDER",
    "Keras packs an LSTM's gates in the order input, forget, candidate, output: rebuilt in that order "
    "its blocks give Keras's numbers, and in any other order they do not.",
    page="units-and-weight-shapes.md#the-order-of-the-gates",
)
def gate_order():
    # Rebuild one timestep gate by gate from the blocks taken in that order, from a non-zero state so
    # that every block of the recurrent kernel counts too, with random biases; compare with Keras, and
    # with the 23 other orders of the four blocks, which must all miss.
    x = sample(timesteps=1)
    rng = np.random.default_rng(1)
    h_prev, c_prev = (rng.normal(size=(3, 4)).astype("float32") for _ in range(2))
    layer = built(keras().layers.LSTM(4), 5)
    # every weight drawn from the seeded generator, so the margin to the wrong orders is the same each run
    layer.set_weights([rng.normal(scale=0.5, size=w.shape).astype("float32") for w in layer.get_weights()])
    expected = host_array(layer(x, initial_state=[tensor(h_prev), tensor(c_prev)]))
    gates = keras_weights.lstm_gate_weights(layer)
    named = [
        (gates[name].kernel, gates[name].recurrent_kernel, gates[name].bias)
        for name in ("input_gate", "forget_gate", "candidate", "output_gate")
    ]
    difference = float(np.max(np.abs(_rebuilt_step(x[:, 0], h_prev, c_prev, named) - expected)))
    blocks = list(zip(*(np.split(array, 4, axis=-1) for array in layer.get_weights()), strict=True))
    others = [
        float(np.max(np.abs(_rebuilt_step(x[:, 0], h_prev, c_prev, [blocks[i] for i in order]) - expected)))
        for order in itertools.permutations(range(4))
        if order != (0, 1, 2, 3)
    ]
    return Evidence(
        difference < GATE_ORDER_TOLERANCE and min(others) > 10 * GATE_ORDER_TOLERANCE,
        f"largest difference rebuilding by named blocks: {difference:.1e}; by the nearest of the "
        f"{len(others)} other orders: {min(others):.1e}",
    )
