"""Claims of the page "The gates" (``docs/gates.md``)."""

from __future__ import annotations

import numpy as np

from glossary import reference
from glossary.claims.keras_backend import FLOAT32_ARITHMETIC, host_array, keras, tensor
from glossary.claims.registry import Evidence, claim, opposite
from glossary.claims.samples import built, sample


def _with_output_gate_changed(units=4, features=5):
    """Random weights and biases, the same kernel with its output gate's block changed, and the rng."""
    rng = np.random.default_rng(0)
    kernel = rng.normal(scale=0.4, size=(features, 4 * units)).astype("float32")
    changed = kernel.copy()
    changed[:, 3 * units :] += 1.0  # the output gate's block
    recurrent = rng.normal(scale=0.4, size=(units, 4 * units)).astype("float32")
    bias = rng.normal(scale=0.5, size=4 * units).astype("float32")  # not zero: every block counts
    return kernel, changed, recurrent, bias, rng


def keras_lstm(kernel, recurrent_kernel, bias):
    """A Keras LSTM with these weights, returning every timestep's output and its final states."""
    units = recurrent_kernel.shape[0]
    layer = keras().layers.LSTM(units, return_sequences=True, return_state=True)
    built(layer, kernel.shape[0]).set_weights([kernel, recurrent_kernel, bias])
    return layer


@claim(
    "REFERENCE-MATCHES-KERAS",
    "`glossary.reference.lstm` gives `keras.layers.LSTM`'s numbers, to 1e-5 in float32, "
    "with the same weights.",
    page="gates.md#the-six-equations",
    depends_on=FLOAT32_ARITHMETIC,
)
def reference_matches_keras():
    # Random biases in every block, the forget block's too: a new layer's biases are zeros and ones,
    # which a bias added to the wrong gate would mostly leave unchanged.
    x = sample(batch=4, timesteps=20, features=5)
    biases = keras().initializers.RandomNormal(stddev=0.5, seed=1)
    layer = keras().layers.LSTM(8, return_sequences=True, unit_forget_bias=False, bias_initializer=biases)
    expected = host_array(layer(x))
    difference = float(
        np.max(np.abs(reference.lstm(x, *layer.get_weights(), return_sequences=True) - expected))
    )
    return Evidence(difference < 1e-5, f"random biases in every gate: largest difference {difference:.1e}")


@claim(
    "DEFAULT-ACTIVATIONS",
    "A Keras LSTM uses `tanh` for its values and the logistic `sigmoid` (not a hard sigmoid) for its gates.",
    page="gates.md#two-squashing-functions-two-jobs",
    depends_on="Keras 3's default recurrent_activation; early Keras 2 used hard_sigmoid",
)
def default_activations():
    layer = keras().layers.LSTM(4)
    names = (layer.activation.__name__, layer.recurrent_activation.__name__)
    return Evidence(names == ("tanh", "sigmoid"), f"activation, recurrent_activation = {names}")


@claim(
    "FORGET-BIAS-ONE",
    "A new Keras LSTM starts with its forget gate's biases at 1 and every other bias at 0.",
    page="gates.md#forget-gate",
)
def forget_bias_one():
    bias = built(keras().layers.LSTM(4), 5).get_weights()[2].reshape(4, 4)
    expected = np.zeros((4, 4))
    expected[1] = 1.0
    return Evidence(bool(np.array_equal(bias, expected)), f"bias by gate (i, f, c, o): {bias.tolist()}")


@claim(
    "OUTPUT-GATE-SKIPS-CELL",
    "Within one timestep the output gate does not touch the cell state: changing its weights (its block "
    "of the kernel, of the recurrent kernel or of the bias) changes the hidden state only.",
    page="gates.md#output-gate",
)
def output_gate_skips_cell():
    kernel, changed, recurrent, bias, rng = _with_output_gate_changed()
    x_t = rng.normal(size=(3, 1, 5)).astype("float32")  # one timestep
    start = [tensor(rng.normal(scale=0.5, size=(3, 4)).astype("float32")) for _ in range(2)]  # [h, c]
    _, h, c = (host_array(t) for t in keras_lstm(kernel, recurrent, bias)(x_t, initial_state=start))
    # Each of the three arrays in turn: a backend that placed the output gate's recurrent weights or
    # bias in another block would change the cell state for that array only.
    output_block = slice(3 * 4, 4 * 4)
    changed_recurrent, changed_bias = recurrent.copy(), bias.copy()
    changed_recurrent[:, output_block] += 1.0
    changed_bias[output_block] += 1.0
    variants = {
        "kernel": (changed, recurrent, bias),
        "recurrent kernel": (kernel, changed_recurrent, bias),
        "bias": (kernel, recurrent, changed_bias),
    }
    found, holds = [], True
    for name, weights in variants.items():
        _, h2, c2 = (host_array(t) for t in keras_lstm(*weights)(x_t, initial_state=start))
        same_cell, changed_hidden = bool(np.array_equal(c, c2)), not np.array_equal(h, h2)
        holds &= same_cell and changed_hidden
        found.append(
            f"its {name} block: cell state unchanged: {same_cell}, hidden state changed: {changed_hidden}"
            f" (by up to {float(np.max(np.abs(h - h2))):.2f})"
        )
    return Evidence(holds, "Keras LSTM, one timestep from the same [h, c], changing " + "; ".join(found))


@claim(
    "GUIDE-OUTPUT-GATE-FEEDS-CELL",
    "The output gate's result is written into the cell state.",
    verdict=False,
    page="gates.md#output-gate",
    corrected_by="OUTPUT-GATE-SKIPS-CELL",
)
def output_gate_feeds_cell():
    return opposite(output_gate_skips_cell)


@claim(
    "OUTPUT-GATE-STEERS-LATER-CELL",
    "Over a sequence the output gate does change later cell states, through the hidden state it feeds back.",
    page="gates.md#output-gate",
)
def output_gate_steers_later_cell():
    kernel, changed, recurrent, bias, rng = _with_output_gate_changed()
    x = rng.normal(size=(3, 7, 5)).astype("float32")
    _, _, cell = (host_array(t) for t in keras_lstm(kernel, recurrent, bias)(x))
    _, _, cell2 = (host_array(t) for t in keras_lstm(changed, recurrent, bias)(x))
    difference = float(np.max(np.abs(cell - cell2)))
    return Evidence(
        difference > 1e-3, f"Keras LSTM, 7 timesteps: largest change of the final cell state {difference:.3f}"
    )


@claim(
    "SIGMOID-SLOPE-QUARTER",
    "The sigmoid's slope is at most 1/4, so going back through a sigmoid to its input multiplies a "
    "gradient by at most 1/4; it cannot by itself keep gradients from vanishing.",
    page="gates.md#two-squashing-functions-two-jobs",
)
def sigmoid_slope_quarter():
    # Keras's own sigmoid, on the backend, by central differences over [-20, 20] in float32: steps of
    # 1e-2 keep the float32 rounding of a difference quotient (about 1e-5) and the error of the
    # difference itself (about 1e-6) both well under the 1e-4 that separates 1/4 from anything else
    # a slope could plausibly be (a hard sigmoid's is 0.2).
    z = np.linspace(-20, 20, 4001).astype("float32")
    step = np.float32(1e-2)
    sigmoid = keras().activations.sigmoid
    rise = host_array(sigmoid(tensor(z + step))) - host_array(sigmoid(tensor(z - step)))
    slope = rise.astype("float64") / (2 * float(step))
    largest = float(slope.max())
    steepest_at = float(z[int(slope.argmax())])
    return Evidence(
        abs(largest - 0.25) < 1e-4 and abs(steepest_at) < 0.05,
        f"keras.activations.sigmoid, slope by central differences on [-20, 20]: largest {largest:.5f}, "
        f"at z = {steepest_at:.2f}",
    )


@claim(
    "GUIDE-SIGMOID-STOPS-VANISHING",
    "Using the sigmoid function prevents vanishing or exploding gradients.",
    verdict=False,
    page="gates.md#two-squashing-functions-two-jobs",
    corrected_by="SIGMOID-SLOPE-QUARTER",
)
def sigmoid_stops_vanishing():
    return opposite(sigmoid_slope_quarter)
