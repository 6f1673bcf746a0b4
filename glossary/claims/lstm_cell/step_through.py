"""Claims of the page "Step through a cell" (``docs/step-through.md``), and the layers it steps.

The page computes with the initial weights of new Keras layers of one input feature, stored in
``step_through_weights.json`` beside this module (``initial_weights`` writes them from Keras; a test
holds the file equal to what Keras gives). The claims run Keras layers given the stored weights,
so that they measure the layers the reader sees, on every backend.
"""

from __future__ import annotations

import json
from importlib.resources import files

import numpy as np

from glossary.claims.keras_backend import host_array, keras
from glossary.claims.registry import Evidence, claim
from glossary.claims.samples import built

WEIGHTS_FILE = files("glossary.claims.lstm_cell").joinpath("step_through_weights.json")
FEATURES = 1
"""One number per timestep: a sequence a reader can type."""
UNITS = (1, 2, 3, 4)
SEED = 7
LAYERS = {
    # the page's name for a layer: its Keras class and options
    "LSTM": ("LSTM", {}),
    "GRU": ("GRU", {"reset_after": True}),
    "GRU_reset_before": ("GRU", {"reset_after": False}),
}
PULSE = (1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
STEADY = (1.0,) * 8
"""Two of the page's presets: one pulse then zeros, and a steady input."""
EXAMPLE_UNITS = 2
"""The size the page starts with, and that its claims measure."""


def initial_weights() -> dict:
    """The initial weights of each layer of ``LAYERS`` at each size of ``UNITS``, from Keras.

    Keras's default initializers (``glorot_uniform`` kernel, ``orthogonal`` recurrent kernel, zero
    bias with the LSTM's forget block at 1), each given the seed ``SEED`` so that a rerun gives the
    same arrays. Float32 values, as the float64 numbers equal to them.
    """
    initializers = keras().initializers
    weights = {}
    for name, (kind, options) in LAYERS.items():
        weights[name] = {}
        for units in UNITS:
            layer = getattr(keras().layers, kind)(
                units,
                kernel_initializer=initializers.GlorotUniform(seed=SEED),
                recurrent_initializer=initializers.Orthogonal(seed=SEED),
                **options,
            )
            kernel, recurrent_kernel, bias = built(layer, FEATURES).get_weights()
            weights[name][str(units)] = {
                "kernel": kernel.tolist(),
                "recurrent_kernel": recurrent_kernel.tolist(),
                "bias": bias.tolist(),
            }
    return {"features": FEATURES, "seed": SEED, "layers": weights}


def stored_weights() -> dict:
    """The weights of ``WEIGHTS_FILE``: those the page computes with."""
    return json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))


def page_lstm(forget_bias: float, units: int = EXAMPLE_UNITS):
    """A Keras LSTM with the page's weights of ``units`` units, its forget bias at ``forget_bias``.

    The forget block of the bias is set as the page's field sets it. The layer returns every
    timestep and its final states.
    """
    arrays = stored_weights()["layers"]["LSTM"][str(units)]
    bias = np.array(arrays["bias"], "float32")
    bias[units : 2 * units] = forget_bias  # Keras's blocks: input, forget, candidate, output
    layer = keras().layers.LSTM(units, return_sequences=True, return_state=True)
    built(layer, FEATURES).set_weights(
        [np.array(arrays["kernel"], "float32"), np.array(arrays["recurrent_kernel"], "float32"), bias]
    )
    return layer


def _run(layer, sequence) -> list[np.ndarray]:
    x = np.array(sequence, "float32").reshape(1, len(sequence), FEATURES)
    return [host_array(output)[0] for output in layer(x)]


@claim(
    "STEP-ZEROS-STAY-ZERO",
    "A new Keras LSTM or GRU (either `reset_after`) given only zeros returns zeros at every timestep: "
    "its candidate's bias starts at zero, so nothing is ever written.",
    page="step-through.md#what-to-look-for",
)
def zeros_stay_zero():
    largest = {}
    for name, (kind, options) in LAYERS.items():
        layer = getattr(keras().layers, kind)(4, return_sequences=True, **options)
        largest[name] = float(np.max(np.abs(host_array(layer(np.zeros((2, 10, 3), "float32"))))))
    shown = ", ".join(f"{name} {value}" for name, value in largest.items())
    return Evidence(max(largest.values()) == 0.0, f"largest |output| over 10 zero timesteps: {shown}")


@claim(
    "STEP-PULSE-FADES-WITH-FORGET-BIAS",
    "Given one pulse and then zeros, the page's LSTM keeps more of the pulse in its cell state the "
    "higher its forget gate's bias: after seven zeros, more with a bias of 3 than 1, and more with 1 "
    "than -2.",
    page="step-through.md#what-to-look-for",
)
def pulse_fades_with_forget_bias():
    left = {bias: float(np.max(np.abs(_run(page_lstm(bias), PULSE)[2]))) for bias in (3.0, 1.0, -2.0)}
    shown = ", ".join(f"bias {bias:g}: {value:.2e}" for bias, value in left.items())
    return Evidence(left[3.0] > left[1.0] > left[-2.0], f"largest |c_8| of {EXAMPLE_UNITS} units: {shown}")


@claim(
    "STEP-STEADY-CELL-PASSES-ONE",
    "Given a steady input of 1 with its forget gate's bias at 3, the page's LSTM has a cell state "
    "that passes 1 in size within eight timesteps, while its hidden state stays between -1 and 1.",
    page="step-through.md#what-to-look-for",
)
def steady_cell_passes_one():
    hidden, _, cell = _run(page_lstm(3.0), STEADY)
    largest_hidden = float(np.max(np.abs(hidden)))
    largest_cell = float(np.max(np.abs(cell)))
    return Evidence(
        largest_cell > 1 and largest_hidden < 1,
        f"{EXAMPLE_UNITS} units: largest |c_8| {largest_cell:.3f}; "
        f"largest |h_t| over 8 steps {largest_hidden:.3f}",
    )
