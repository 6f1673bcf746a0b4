"""Claims of the page "`unit_forget_bias`" (``docs/unit-forget-bias.md``)."""

from __future__ import annotations

import numpy as np

from glossary import reference
from glossary.claims.keras_backend import host_array, keras, tensor
from glossary.claims.registry import Evidence, claim
from glossary.claims.samples import built, error_of


@claim(
    "UNIT-FORGET-BIAS-OVERRIDES",
    "`unit_forget_bias=True` (the default) sets the forget gate's biases, the second block, to 1 whatever "
    "`bias_initializer` says, and the other three blocks from `bias_initializer`; with "
    "`unit_forget_bias=False` all four come from `bias_initializer`.",
    page="unit-forget-bias.md#what-it-sets",
)
def unit_forget_bias_overrides():
    units = 3
    forget = slice(units, 2 * units)
    random = built(keras().layers.LSTM(units, bias_initializer="random_normal"), 5).get_weights()[2]
    half = keras().initializers.Constant(0.5)  # not 0: every block must follow it, not stay at 0
    on = built(keras().layers.LSTM(units, bias_initializer=half), 5).get_weights()[2]
    off = built(keras().layers.LSTM(units, unit_forget_bias=False, bias_initializer=half), 5).get_weights()[2]
    others = np.delete(on, np.r_[forget])
    holds = (
        np.all(random[forget] == 1)
        and not np.any(np.delete(random, np.r_[forget]) == 1)
        and np.all(on[forget] == 1)
        and np.all(others == 0.5)
        and np.all(off == 0.5)
    )
    return Evidence(
        bool(holds),
        f"forget block with random_normal: {random[forget]}; with Constant(0.5): {on}; "
        f"Constant(0.5) without it: {off}",
    )


@claim(
    "FORGET-BIAS-KEEPS-SIGMOID-ONE",
    "With every weight at zero, the default biases make an LSTM keep sigmoid(1) ≈ 0.731 of its cell "
    "state at each timestep: after T steps, sigmoid(1)**T of it is left.",
    page="unit-forget-bias.md#why-one",
)
def forget_bias_keeps_sigmoid_one():
    timesteps, units = 5, 2
    layer = built(keras().layers.LSTM(units, return_state=True), 3)
    kernel, recurrent_kernel, bias = layer.get_weights()
    layer.set_weights([np.zeros_like(kernel), np.zeros_like(recurrent_kernel), bias])
    start = [tensor(np.zeros((1, units), "float32")), tensor(np.ones((1, units), "float32"))]
    _, _, cell_state = layer(np.zeros((1, timesteps, 3), "float32"), initial_state=start)
    kept = float(host_array(cell_state)[0, 0])
    expected = float(reference.sigmoid(np.float64(1.0)) ** timesteps)
    return Evidence(
        abs(kept - expected) < 1e-6,
        f"left after {timesteps} steps: {kept:.4f}, sigmoid(1)**{timesteps} = {expected:.4f}",
    )


@claim(
    "UNIT-FORGET-BIAS-LSTM-ONLY",
    "Of the LSTM, GRU and SimpleRNN and their cells, only the LSTM and `LSTMCell` have `unit_forget_bias`: "
    "GRU, SimpleRNN and their cells refuse it as an unknown argument. `ConvLSTM1D`, `ConvLSTM2D` and "
    "`ConvLSTM3D` have it too, on by default: their forget block of biases starts at one.",
    page="unit-forget-bias.md#what-it-sets",
    depends_on="the error's type: ValueError in Keras 3, TypeError in Keras 2",
)
def unit_forget_bias_lstm_only():
    messages = [
        error_of(lambda t=t: getattr(keras().layers, t)(2, unit_forget_bias=True))
        for t in ("GRU", "SimpleRNN", "GRUCell", "SimpleRNNCell")
    ]
    refused = all(m.startswith(("ValueError", "TypeError")) and "unit_forget_bias" in m for m in messages)
    accepted = [
        error_of(lambda t=t: getattr(keras().layers, t)(2, unit_forget_bias=True))
        for t in ("LSTM", "LSTMCell")
    ]
    blocks = {}
    for axes in (1, 2, 3):
        convolutional = getattr(keras().layers, f"ConvLSTM{axes}D")(2, 3)
        convolutional.build((None, 4, *[6] * axes, 3))
        # the bias's blocks: input, forget, candidate, output gate
        blocks[f"ConvLSTM{axes}D"] = host_array(convolutional.cell.bias).reshape(4, 2).tolist()
    convolutional_on = all(found == [[0, 0], [1, 1], [0, 0], [0, 0]] for found in blocks.values())
    return Evidence(
        refused and accepted == ["", ""] and convolutional_on,
        "; ".join(messages) + f"; new ConvLSTM layers' bias blocks: {blocks}",
    )
