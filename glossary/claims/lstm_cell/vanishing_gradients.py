"""Claims of the page "Vanishing gradients" (``docs/vanishing-gradients.md``)."""

from __future__ import annotations

import functools
import inspect

import numpy as np

from glossary.claims.keras_backend import backend, host_array, is_keras_2, keras, tensor, variable
from glossary.claims.registry import Evidence, NotApplicable, claim, opposite
from glossary.claims.samples import built, error_of, sample

PER_TIMESTEP_LAYERS = {
    "LSTM": ("LSTM", {}),
    "LSTM, forget bias 0": ("LSTM", {"unit_forget_bias": False}),
    "GRU": ("GRU", {}),
    "SimpleRNN": ("SimpleRNN", {}),
}
"""The layers the page's figure follows back through time: name, Keras layer and its options."""


@functools.cache  # the claim and the page's figure read the same computation
def gradient_per_timestep(batch: int = 16, timesteps: int = 100, features: int = 8, units: int = 32):
    """For each of ``PER_TIMESTEP_LAYERS``: |d sum(h_T) / d x_t| for each t, divided by the last.

    Computed by ``glossary.backprop`` in float64 (float32 underflows to 0 for the smallest), on the
    initial weights of Keras layers created after seeding Keras with 0, and the experiment's inputs.
    """
    from glossary import backprop

    backward = {
        "LSTM": backprop.lstm_backward,
        "GRU": backprop.gru_backward,
        "SimpleRNN": backprop.simple_rnn_backward,
    }
    x = sample(batch=batch, timesteps=timesteps, features=features).astype("float64")
    relative = {}
    for name, (layer_type, options) in PER_TIMESTEP_LAYERS.items():
        keras().utils.set_random_seed(0)
        layer = built(getattr(keras().layers, layer_type)(units, **options), features)
        weights = [weight.astype("float64") for weight in layer.get_weights()]
        gradient = backward[layer_type](x, *weights, np.ones((batch, units)))["x"]
        norms = np.linalg.norm(gradient, axis=(0, 2))  # (timesteps,): how much reaches each x_t
        relative[name] = norms / norms[-1]
    return relative


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
    "FORGET-BIAS-ONE-KEEPS-GRADIENT",
    "Over 100 timesteps, an untrained LSTM with Keras's forget bias of 1 passes at least a million "
    "times more gradient back to the first timestep, relative to the last, than the same LSTM with "
    "its forget bias at 0 (`unit_forget_bias=False`), which keeps less than a SimpleRNN.",
    page="vanishing-gradients.md#every-timestep-four-layers",
)
def forget_bias_one_keeps_gradient():
    first = {name: float(values[0]) for name, values in gradient_per_timestep().items()}
    with_one, with_zero, simple = first["LSTM"], first["LSTM, forget bias 0"], first["SimpleRNN"]
    shown = f"forget bias 1 {with_one:.0e}, forget bias 0 {with_zero:.0e}, SimpleRNN {simple:.0e}"
    return Evidence(with_one > 1e6 * with_zero and with_zero < simple, f"first/last gradient: {shown}")


@claim(
    "GRADIENT-FALLS-GEOMETRICALLY",
    "In the figure's run (`glossary.backprop` on the initial weights of Keras layers, 100 timesteps), "
    "the gradient reaching each timestep shrinks by about the same factor at every step back, for each "
    "of the four layers: a straight line fitted to its logarithm explains over 99% of its variance.",
    page="vanishing-gradients.md#every-timestep-four-layers",
)
def gradient_falls_geometrically():
    found = {}
    for name, relative in gradient_per_timestep().items():
        logarithm = np.log10(relative)
        steps = np.arange(len(logarithm))
        slope, intercept = np.polyfit(steps, logarithm, 1)
        residual = logarithm - (slope * steps + intercept)
        explained = 1 - np.sum(residual**2) / np.sum((logarithm - logarithm.mean()) ** 2)
        found[name] = (10 ** (-slope), explained)  # the factor of one step back, and R²
    shown = "; ".join(f"{name}: x{factor:.2f}, R² {r2:.4f}" for name, (factor, r2) in found.items())
    return Evidence(
        all(r2 > 0.99 for _, r2 in found.values()), f"each step back multiplies the gradient by {shown}"
    )


@claim(
    "REFERENCE-GRADIENTS-MATCH-KERAS",
    "`glossary.backprop` gives the gradients Keras's `GradientTape` finds through an LSTM, a GRU and a "
    "SimpleRNN, to 1e-4 of the largest in float32, with the same weights: the figure of this page is "
    "drawn from it.",
    page="vanishing-gradients.md#every-timestep-four-layers",
    depends_on="TensorFlow backend (uses GradientTape)",
)
def reference_gradients_match_keras():
    if backend() != "tensorflow":
        raise NotApplicable("Keras's gradient is taken with TensorFlow's GradientTape")
    import tensorflow as tf

    from glossary import backprop

    x = sample(batch=4, timesteps=30, features=8)
    backward = {
        "SimpleRNN": backprop.simple_rnn_backward,
        "GRU": backprop.gru_backward,
        "LSTM": backprop.lstm_backward,
    }
    differences = {}
    for layer_type, reference_backward in backward.items():
        # Random biases in every block (the LSTM's forget block too): a new layer's biases are zeros
        # and ones, which would hide a bias gradient computed for the wrong gate.
        options = {"bias_initializer": keras().initializers.RandomNormal(stddev=0.5, seed=1)}
        if layer_type == "LSTM":
            options["unit_forget_bias"] = False
        layer = built(getattr(keras().layers, layer_type)(16, **options), 8)
        watched = tf.constant(x)
        with tf.GradientTape() as tape:
            tape.watch(watched)
            total = tf.reduce_sum(layer(watched))
        theirs = [np.asarray(g) for g in tape.gradient(total, [watched, *layer.weights])]
        ours = reference_backward(x, *layer.get_weights(), np.ones((4, 16), "float32"))
        mine = [ours["x"], ours["kernel"], ours["recurrent_kernel"], ours["bias"]]
        scale = max(float(np.max(np.abs(g))) for g in theirs)
        differences[layer_type] = (
            max(float(np.max(np.abs(a - b))) for a, b in zip(mine, theirs, strict=True)) / scale
        )
    shown = ", ".join(f"{name} {difference:.0e}" for name, difference in differences.items())
    return Evidence(
        max(differences.values()) < 1e-4,
        f"random biases; largest difference, relative to the largest gradient: {shown}",
    )


@claim(
    "LSTM-GRADIENT-STILL-VANISHES",
    "An untrained LSTM's gradient still vanishes over 100 timesteps: the first timestep gets less "
    "than a thousandth of the gradient the last one gets.",
    page="vanishing-gradients.md#the-experiment",
    depends_on="TensorFlow backend (uses GradientTape)",
)
def lstm_gradient_still_vanishes():
    ratio = _gradient_ratios()["LSTM"]
    return Evidence(ratio < 1e-3, f"the first of 100 timesteps gets {ratio:.0e} of the last one's gradient")


@claim(
    "LSTM-NO-VANISHING",
    "An LSTM does not suffer from vanishing gradients.",
    page="vanishing-gradients.md#the-experiment",
    verdict=False,
    corrected_by="LSTM-GRADIENT-STILL-VANISHES",
    depends_on="TensorFlow backend (uses GradientTape)",
)
def lstm_no_vanishing():
    return opposite(lstm_gradient_still_vanishes)


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
    large = [np.array([3.0, 0.5], "float32"), np.array([-4.0], "float32")]  # of two weights, joint norm 5.04
    # One gradient under the limit beside one over it (clipnorm must leave the first alone), and two
    # whose joint norm is under it (global_clipnorm must leave both alone).
    mixed = [np.array([0.3, 0.4], "float32"), np.array([-4.0], "float32")]
    small = [np.array([0.3, 0.4], "float32"), np.array([-0.5], "float32")]  # joint norm 0.71
    joint = float(np.sqrt(sum(np.sum(g**2) for g in large)))
    cases = [
        ("clipnorm", large, [g / np.linalg.norm(g) for g in large]),
        ("clipnorm", mixed, [mixed[0], mixed[1] / 4.0]),
        ("global_clipnorm", large, [g / joint for g in large]),
        ("global_clipnorm", small, small),
        ("clipvalue", large, [np.clip(g, -1.0, 1.0) for g in large]),
    ]
    holds, shown = True, []
    for clipping, gradients, want in cases:
        weights = [variable(np.zeros_like(g)) for g in gradients]
        optimizer = keras().optimizers.SGD(learning_rate=1.0, **{clipping: 1.0})
        optimizer.apply_gradients([(tensor(g), w) for g, w in zip(gradients, weights, strict=True)])
        applied = [-w.numpy() for w in weights]  # a Keras or tf.Variable; both copy to the host
        holds &= all(np.allclose(step, g) for step, g in zip(applied, want, strict=True))
        given = " and ".join(str(np.round(g.astype("float64"), 3).tolist()) for g in gradients)
        steps = ", ".join(str(np.round(step.astype("float64"), 3).tolist()) for step in applied)
        shown.append(f"{clipping}: {given} applied as {steps}")
    return Evidence(holds, "gradients of two weights; " + "; ".join(shown))


WRAPPERS = ("LossScaleOptimizer", "MultiOptimizer")
"""Keras 3's optimisers that wrap others: built from another optimiser, they take no clipping of their own."""

CLIPPING = ("clipnorm", "global_clipnorm", "clipvalue")
"""The three clipping arguments of a Keras optimiser."""


@claim(
    "OPTIMISERS-ACCEPT-CLIPPING",
    "Every optimiser of `keras.optimizers` accepts `clipnorm`, `global_clipnorm` and `clipvalue`, except, "
    "in Keras 3, the two that wrap other optimisers, `LossScaleOptimizer` and `MultiOptimizer`, which "
    "refuse all three.",
    page="vanishing-gradients.md#exploding-gradients",
    depends_on="Keras 3 has the two wrappers in keras.optimizers; Keras 2 has neither there",
)
def optimisers_accept_clipping():
    optimizers = keras().optimizers
    names = [
        name
        for name in sorted(dir(optimizers))
        if inspect.isclass(getattr(optimizers, name))
        and issubclass(getattr(optimizers, name), optimizers.Optimizer)
        and getattr(optimizers, name) is not optimizers.Optimizer
    ]
    # each (optimiser, argument) on its own: a wrapper that took one of the three must fail the claim
    refused, failed = set(), []
    for name in names:
        # a wrapper is given the optimiser it wraps, so that only the clipping argument can be refused
        inner = (optimizers.SGD(),) if name in WRAPPERS else ()
        for argument in CLIPPING:
            said = error_of(
                lambda name=name, argument=argument, inner=inner: getattr(optimizers, name)(
                    *inner, **{argument: 1.0}
                )
            )
            if said and argument in said.partition(":")[2]:
                refused.add((name, argument))
            elif said:
                failed.append(f"{name}({argument}=1.0): {said[:100]}")
    expected = set() if is_keras_2() else {(name, argument) for name in WRAPPERS for argument in CLIPPING}
    accepted = [name for name in names if not any((name, argument) in refused for argument in CLIPPING)]
    refusals = sorted({name for name, _ in refused})
    said_no = [f"{name} ({', '.join(a for a in CLIPPING if (name, a) in refused)})" for name in refusals]
    return Evidence(
        refused == expected and not failed,
        f"Keras {keras().__version__}: {len(accepted)} accept all three ({', '.join(accepted)}); "
        f"refused, naming the argument, when built around an SGD: {', '.join(said_no) or 'none'}"
        + (f"; failed otherwise: {'; '.join(failed)}" if failed else ""),
    )


@claim(
    "MULTIOPTIMIZER-CLIPS-PER-GROUP",
    "Inside a Keras 3 `MultiOptimizer`, each wrapped optimiser's `global_clipnorm` caps the joint norm of "
    "its own group's gradients only: with gradients 0.8 and 0.8 (joint norm 1.13) routed to one "
    "`SGD(global_clipnorm=1.0)` and 0.3 to another, the first group is scaled to 0.707 each and the 0.3 "
    "is applied in full (the update's joint norm, 1.04, is over the limit), where one such `SGD` for all "
    "three divides them by their joint norm, 1.17.",
    page="vanishing-gradients.md#exploding-gradients",
    depends_on="Keras 3 (Keras 2 has no MultiOptimizer in keras.optimizers)",
)
def multioptimizer_clips_per_group():
    if is_keras_2():
        raise NotApplicable("Keras 2 has no MultiOptimizer in keras.optimizers")
    optimizers = keras().optimizers
    # group A holds two weights over the limit together, group B one weight under it alone: a wrapper that
    # dropped its optimisers' clipping would apply 0.8 to A, one that clipped the whole model 0.3/1.17 to B
    gradients = np.array([0.8, 0.8, 0.3], "float32")
    steps = {}
    for how in ("two SGDs in a MultiOptimizer", "one SGD"):
        weights = [variable(np.zeros(1, "float32")) for _ in gradients]
        if how == "one SGD":
            optimizer = optimizers.SGD(learning_rate=1.0, global_clipnorm=1.0)
        else:
            first, second = (optimizers.SGD(learning_rate=1.0, global_clipnorm=1.0) for _ in range(2))
            group = {id(w): first for w in weights[:2]} | {id(weights[2]): second}
            optimizer = optimizers.MultiOptimizer(lambda weight, group=group: group[id(weight)])
        optimizer.apply_gradients(
            [(tensor(np.array([g], "float32")), w) for g, w in zip(gradients, weights, strict=True)]
        )
        steps[how] = [float(-host_array(w.value)[0]) for w in weights]
    group_a = float(np.linalg.norm(gradients[:2]))
    whole = float(np.linalg.norm(gradients))
    expected = {
        "two SGDs in a MultiOptimizer": [0.8 / group_a, 0.8 / group_a, 0.3],
        "one SGD": list(gradients / whole),
    }
    # float32 steps of size about 1: 1e-6 is rounding, far below the 0.05 that separates the cases
    applied = float(np.linalg.norm(steps["two SGDs in a MultiOptimizer"]))  # the page: "together exceed it"
    holds = all(np.allclose(steps[how], expected[how], atol=1e-6) for how in expected) and applied > 1.0
    shown = [f"{', '.join(f'{step:.3f}' for step in update)} by {how}" for how, update in steps.items()]
    return Evidence(
        holds,
        f"gradients 0.8, 0.8 (group A, joint norm {group_a:.2f}) and 0.3 (group B); whole model's joint norm "
        f"{whole:.2f}; applied as "
        + "; ".join(shown)
        + f"; joint norm of the MultiOptimizer's update {applied:.2f}",
    )
