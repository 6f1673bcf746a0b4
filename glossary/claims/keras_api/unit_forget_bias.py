"""Claims of the page "`unit_forget_bias`" (``docs/unit-forget-bias.md``)."""

from __future__ import annotations

import numpy as np

from glossary import reference
from glossary.claims.keras_backend import host_array, keras, tensor
from glossary.claims.registry import Evidence, claim
from glossary.claims.samples import built, error_of


@claim(
    "UNIT-FORGET-BIAS-OVERRIDES",
    "`unit_forget_bias=True` (the default) sets the forget gate's biases to 1 whatever `bias_initializer` "
    "says; with `unit_forget_bias=False` they come from `bias_initializer` like the rest.",
    page="unit-forget-bias.md#what-it-sets",
)
def unit_forget_bias_overrides():
    units = 3
    forget = slice(units, 2 * units)
    on = built(keras().layers.LSTM(units, bias_initializer="random_normal"), 5).get_weights()[2]
    half = keras().initializers.Constant(0.5)  # not 0: the forget block must follow it, not stay at 0
    off = built(keras().layers.LSTM(units, unit_forget_bias=False, bias_initializer=half), 5).get_weights()[2]
    holds = np.all(on[forget] == 1) and not np.any(on[:units] == 1) and np.all(off == 0.5)
    return Evidence(bool(holds), f"forget block with it: {on[forget]}, without it: {off[forget]}")


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
    "Of the LSTM, GRU and SimpleRNN, only the LSTM has `unit_forget_bias`: GRU and SimpleRNN refuse it "
    "as an unknown argument.",
    page="unit-forget-bias.md#what-it-sets",
    depends_on="the error's type: ValueError in Keras 3, TypeError in Keras 2",
)
def unit_forget_bias_lstm_only():
    messages = [
        error_of(lambda t=t: getattr(keras().layers, t)(2, unit_forget_bias=True))
        for t in ("GRU", "SimpleRNN")
    ]
    refused = all(m.startswith(("ValueError", "TypeError")) and "unit_forget_bias" in m for m in messages)
    return Evidence(
        refused and not error_of(lambda: keras().layers.LSTM(2, unit_forget_bias=True)), "; ".join(messages)
    )
