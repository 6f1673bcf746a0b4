"""Claims of the page "Vanishing gradients" (``docs/vanishing-gradients.md``)."""

from __future__ import annotations

import functools

import numpy as np

from glossary.claims.keras_backend import backend, keras, tensor, variable
from glossary.claims.registry import Evidence, NotApplicable, claim
from glossary.claims.samples import built, sample


@functools.cache  # three claims read the same experiment; every run starts from the same seed
def _gradient_ratios(timesteps: int = 100) -> dict[str, float]:
    """For each layer type: |d sum(h_T) / d x_1| divided by |d sum(h_T) / d x_T|, at initialisation."""
    if backend() != "tensorflow":
        raise NotApplicable("the gradient experiment uses TensorFlow's GradientTape")
    import tensorflow as tf

    x = tf.constant(sample(batch=16, timesteps=timesteps, features=8))
    ratios = {}
    for layer_type in ("SimpleRNN", "LSTM", "GRU"):
        layer = getattr(keras().layers, layer_type)(32)
        with tf.GradientTape() as tape:
            tape.watch(x)
            total = tf.reduce_sum(layer(x))
        norms = np.linalg.norm(tape.gradient(total, x).numpy(), axis=(0, 2))  # one per timestep
        ratios[layer_type] = float(norms[0] / norms[-1])
    return ratios


@claim(
    "GRADIENT-LSTM-KEEPS-MORE",
    "Over 100 timesteps an untrained LSTM passes at least 10,000 times more gradient back to the first "
    "timestep, relative to the last, than a SimpleRNN of the same size.",
    page="vanishing-gradients.md#the-experiment",
    depends_on="TensorFlow backend (uses GradientTape)",
)
def gradient_lstm_keeps_more():
    ratios = _gradient_ratios()
    advantage = ratios["LSTM"] / ratios["SimpleRNN"]
    detail = ", ".join(f"{name} {ratio:.0e}" for name, ratio in ratios.items())
    return Evidence(advantage > 1e4, f"first/last gradient: {detail}; LSTM over SimpleRNN {advantage:.0e}")


@claim(
    "LSTM-NO-VANISHING",
    "An LSTM does not suffer from vanishing gradients.",
    page="vanishing-gradients.md#the-experiment",
    verdict=False,
    corrected_by="GRADIENT-LSTM-KEEPS-MORE",
    depends_on="TensorFlow backend (uses GradientTape)",
)
def lstm_no_vanishing():
    ratio = _gradient_ratios()["LSTM"]
    return Evidence(ratio > 1e-3, f"the first of 100 timesteps gets {ratio:.0e} of the last one's gradient")


@claim(
    "GRU-UNTRAINED-NO-BETTER",
    "An untrained GRU, whose biases all start at zero, passes no more gradient back over 100 timesteps "
    "than a SimpleRNN of the same size.",
    page="vanishing-gradients.md#the-experiment",
    depends_on="TensorFlow backend (uses GradientTape)",
)
def gru_untrained_no_better():
    ratios = _gradient_ratios()
    bias = built(keras().layers.GRU(32), 8).get_weights()[2]
    holds = not bias.any() and ratios["GRU"] <= ratios["SimpleRNN"]
    return Evidence(
        holds, f"first/last gradient: GRU {ratios['GRU']:.0e}, SimpleRNN {ratios['SimpleRNN']:.0e}"
    )


@claim(
    "CLIPNORM-CAPS-GRADIENT",
    "A Keras optimiser built with `clipnorm=1.0` rescales each weight's gradient whose norm exceeds 1 to "
    "norm 1, each on its own; `global_clipnorm=1.0` rescales all of them together when their joint norm "
    "exceeds 1; `clipvalue=1.0` clips each element to [-1, 1].",
    page="vanishing-gradients.md#exploding-gradients",
)
def clipnorm_caps_gradient():
    gradients = [np.array([3.0, 0.5], "float32"), np.array([-4.0], "float32")]  # of two weights
    joint = float(np.sqrt(sum(np.sum(g**2) for g in gradients)))
    expected = {
        "clipnorm": [g / np.linalg.norm(g) for g in gradients],
        "global_clipnorm": [g / joint for g in gradients],
        "clipvalue": [np.clip(g, -1.0, 1.0) for g in gradients],
    }
    steps = {}
    for clipping in expected:
        weights = [variable(np.zeros_like(g)) for g in gradients]
        optimizer = keras().optimizers.SGD(learning_rate=1.0, **{clipping: 1.0})
        optimizer.apply_gradients([(tensor(g), w) for g, w in zip(gradients, weights, strict=True)])
        steps[clipping] = [-w.numpy() for w in weights]  # a Keras or tf.Variable; both copy to the host
    holds = all(
        np.allclose(step, want)
        for name in expected
        for step, want in zip(steps[name], expected[name], strict=True)
    )
    shown = "; ".join(
        f"{name}: {', '.join(str(np.round(step.astype('float64'), 3).tolist()) for step in applied)}"
        for name, applied in steps.items()
    )
    return Evidence(holds, f"gradients [3, 0.5] and [-4] of two weights applied as {shown}")
