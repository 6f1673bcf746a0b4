"""The reference's gradients through time against Keras's own, finite differences and SGD steps.

Keras's gradient is its backend's own, for the loss ``sum(output * output_gradient)``, whose
gradient with respect to the output is ``output_gradient``: what ``glossary.backprop`` is given.
TensorFlow's ``GradientTape`` (Keras 3 and Keras 2), ``jax.grad`` over the layer's
``stateless_call``, and PyTorch's autograd; the compatibility matrix runs this file on each.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from keras_oracle import BACKEND, keras

from glossary import backprop, fused, reference

KINDS = {
    "LSTM": ({}, backprop.lstm_backward, reference.lstm, 4, 2),
    "GRU": ({"reset_after": True}, backprop.gru_backward, reference.gru, 3, 1),
    "GRU-reset-before": ({"reset_after": False}, backprop.gru_backward, reference.gru, 3, 1),
    "SimpleRNN": ({}, backprop.simple_rnn_backward, reference.simple_rnn, 1, 1),
}
"""name: (options, backward, forward, gate blocks, number of states)."""
FLAGS = ("return_sequences", "go_backwards", "initial_state", "mask")
EVERY_COMBINATION = [
    dict(zip(FLAGS, values, strict=True)) for values in itertools.product([False, True], repeat=4)
]

FLOAT64_AGREEMENT = 1e-10
"""Largest difference allowed, relative to the largest gradient Keras finds. Both sides add the
same float64 products in different orders: they agree to about 1e-15 at these sizes. A mistake
in one equation shows at 1e-2 and above."""
FLOAT64_AGREEMENT_ON_TORCH = 1e-6
"""On PyTorch, Keras's float64 layers hold float64 weights and outputs, yet outside torch's own
LSTM and GRU kernels (a mask, a GRU resetting before its product, a SimpleRNN) some step runs in
float32: a float64 SimpleRNN's output differs from float64 arithmetic by 7.5e-8. Its gradients
differ from the reference's by about 2e-7 of the largest; 1e-6 still catches any wrong equation."""
FLOAT32_AGREEMENT = 1e-4
"""The same in float32, whose rounding (about 6e-8 a product) compounds over the timesteps."""


def case(kind: str, flags: dict, seed: int, dtype="float64"):
    """Random sizes, weights, inputs and an output gradient for one layer and set of flags."""
    options, _, _, gates, state_count = KINDS[kind]
    rng = np.random.default_rng(seed)
    batch, timesteps, features, units = (int(n) for n in rng.integers(1, [4, 7, 5, 5], endpoint=True))
    two_bias_rows = options.get("reset_after", False)
    arrays = {
        "x": rng.normal(size=(batch, timesteps, features)),
        "kernel": rng.normal(scale=0.5, size=(features, gates * units)),
        "recurrent_kernel": rng.normal(scale=0.5, size=(units, gates * units)),
        "bias": rng.normal(scale=0.5, size=(2, gates * units) if two_bias_rows else (gates * units,)),
        "output_gradient": rng.normal(
            size=(batch, timesteps, units) if flags["return_sequences"] else (batch, units)
        ),
    }
    arrays = {name: array.astype(dtype) for name, array in arrays.items()}
    arrays["initial_state"] = (
        [rng.normal(size=(batch, units)).astype(dtype) for _ in range(state_count)]
        if flags["initial_state"]
        else None
    )
    if flags["mask"]:  # some padding, and in every sequence at least one real timestep
        arrays["mask"] = rng.random((batch, timesteps)) > 0.3
        arrays["mask"][np.arange(batch), rng.integers(timesteps, size=batch)] = True
    else:
        arrays["mask"] = None
    return arrays


def keras_gradients(kind: str, flags: dict, arrays: dict, dtype="float64") -> dict:
    """Keras's gradients of ``sum(output * output_gradient)``, named as ``glossary.backprop`` names them."""
    if BACKEND == "jax" and arrays["initial_state"] and arrays["mask"] is not None:
        pytest.skip("on JAX a leading masked timestep outputs the initial state (claim MASK-LEADING-OUTPUT)")
    if BACKEND == "jax" and dtype == "float64":
        import jax

        if not jax.config.jax_enable_x64:
            pytest.skip("JAX computes in float32 unless JAX_ENABLE_X64 is set")
    options = KINDS[kind][0]
    layer_class = {"LSTM": keras.layers.LSTM, "SimpleRNN": keras.layers.SimpleRNN}.get(kind, keras.layers.GRU)
    units = arrays["recurrent_kernel"].shape[0]
    layer = layer_class(
        units,
        return_sequences=flags["return_sequences"],
        go_backwards=flags["go_backwards"],
        dtype=dtype,
        **options,
    )
    layer.build((None, None, arrays["x"].shape[-1]))
    layer.set_weights([arrays["kernel"], arrays["recurrent_kernel"], arrays["bias"]])
    states = arrays["initial_state"] or []
    found = GRADIENT_OF[BACKEND](layer, arrays, states, dtype)
    gradients = dict(zip(["x", "kernel", "recurrent_kernel", "bias"], found[:4], strict=True))
    if states:
        gradients["initial_state"] = found[4:]
    return gradients


def _tensorflow_gradients(layer, arrays, states, dtype):
    import tensorflow as tf

    x, states = tf.Variable(arrays["x"]), [tf.Variable(state) for state in states]
    mask = None if arrays["mask"] is None else tf.constant(arrays["mask"])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(x, initial_state=states or None, mask=mask) * arrays["output_gradient"])
    return [np.asarray(gradient) for gradient in tape.gradient(loss, [x, *layer.weights, *states])]


def _jax_gradients(layer, arrays, states, dtype):
    import jax
    import jax.numpy as jnp

    mask = None if arrays["mask"] is None else jnp.asarray(arrays["mask"])

    def loss(x, weights, states):
        output, _ = layer.stateless_call(weights, fixed, x, initial_state=states or None, mask=mask)
        return jnp.sum(output * arrays["output_gradient"])

    # The arrays the layer was given: its get_weights() warns on JAX under NumPy 2 (__array__'s copy).
    weights = [jnp.asarray(arrays[name]) for name in ("kernel", "recurrent_kernel", "bias")]
    fixed = [variable.value for variable in layer.non_trainable_variables]  # a dropout seed's state
    d_x, d_weights, d_states = jax.grad(loss, argnums=(0, 1, 2))(
        jnp.asarray(arrays["x"]), weights, [jnp.asarray(state) for state in states]
    )
    return [np.array(jax.device_get(gradient)) for gradient in (d_x, *d_weights, *d_states)]


def _torch_gradients(layer, arrays, states, dtype):
    import torch

    x = torch.tensor(arrays["x"], requires_grad=True)
    states = [torch.tensor(state, requires_grad=True) for state in states]
    mask = None if arrays["mask"] is None else torch.tensor(arrays["mask"])
    output = layer(x, initial_state=states or None, mask=mask)
    (output * torch.tensor(arrays["output_gradient"])).sum().backward()
    found = [x.grad, *(weight.value.grad for weight in layer.weights), *(state.grad for state in states)]
    return [gradient.detach().cpu().numpy() for gradient in found]


GRADIENT_OF = {"tensorflow": _tensorflow_gradients, "jax": _jax_gradients, "torch": _torch_gradients}
"""Keras's gradient of a layer's loss, in each backend's own terms."""


def ours(kind: str, flags: dict, arrays: dict) -> dict:
    options, backward, _, _, _ = KINDS[kind]
    return backward(
        arrays["x"], arrays["kernel"], arrays["recurrent_kernel"], arrays["bias"], arrays["output_gradient"],
        return_sequences=flags["return_sequences"], go_backwards=flags["go_backwards"],
        initial_state=arrays["initial_state"], mask=arrays["mask"], **options,
    )  # fmt: skip


def largest_relative_difference(got: dict, want: dict) -> float:
    assert got.keys() == want.keys()
    pairs = [(got[name], want[name]) for name in want if name != "initial_state"]
    pairs += list(zip(got.get("initial_state", []), want.get("initial_state", []), strict=True))
    for mine, theirs in pairs:
        assert mine.shape == theirs.shape
    scale = max(float(np.max(np.abs(theirs))) for _, theirs in pairs)
    return max(float(np.max(np.abs(mine - theirs))) for mine, theirs in pairs) / max(scale, 1e-300)


@pytest.mark.parametrize(
    "flags", EVERY_COMBINATION, ids=lambda flags: "-".join(k for k, v in flags.items() if v) or "plain"
)
@pytest.mark.parametrize("kind", KINDS)
def test_float64_gradients_are_keras_gradients(kind, flags):
    seed = list(KINDS).index(kind) * 100 + EVERY_COMBINATION.index(flags)
    arrays = case(kind, flags, seed)
    allowed = FLOAT64_AGREEMENT_ON_TORCH if BACKEND == "torch" else FLOAT64_AGREEMENT
    assert (
        largest_relative_difference(ours(kind, flags, arrays), keras_gradients(kind, flags, arrays)) < allowed
    )


@pytest.mark.parametrize("kind", KINDS)
def test_float32_gradients_are_keras_gradients(kind):
    flags = dict.fromkeys(FLAGS, True) | {"initial_state": BACKEND != "jax"}  # MASK-LEADING-OUTPUT on JAX
    arrays = case(kind, flags, seed=7, dtype="float32")
    got = ours(kind, flags, arrays)
    assert got["x"].dtype == np.float32
    assert (
        largest_relative_difference(got, keras_gradients(kind, flags, arrays, "float32")) < FLOAT32_AGREEMENT
    )


FINITE_STEP = 1e-6
FINITE_AGREEMENT = 1e-6
"""Central differences err by about step² times the third derivative (1e-12 here) plus rounding
of about 1e-16 / step (1e-10): 1e-6, relative to the largest gradient, leaves room for both."""


@pytest.mark.parametrize("kind", KINDS)
def test_gradients_are_the_slopes_of_the_loss(kind):
    """Independent of any framework: nudging one number of each array changes the loss by the
    gradient times the nudge."""
    flags = dict.fromkeys(FLAGS, True)
    arrays = case(kind, flags, seed=11)
    options, _, forward, _, _ = KINDS[kind]

    def loss(values: dict) -> float:
        output = forward(
            values["x"], values["kernel"], values["recurrent_kernel"], values["bias"], return_sequences=True,
            go_backwards=True, initial_state=values["initial_state"], mask=values["mask"], **options,
        )  # fmt: skip
        return float(np.sum(output * values["output_gradient"]))

    gradients = ours(kind, flags, arrays)
    rng = np.random.default_rng(0)
    scale = max(
        float(np.max(np.abs(gradient))) for name, gradient in gradients.items() if name != "initial_state"
    )
    nudged = [(name, None) for name in ("x", "kernel", "recurrent_kernel", "bias")]
    nudged += [("initial_state", index) for index in range(len(arrays["initial_state"]))]
    for name, index in nudged:
        array = arrays[name] if index is None else arrays[name][index]
        gradient = gradients[name] if index is None else gradients[name][index]
        for _ in range(3):
            where = tuple(int(rng.integers(size)) for size in array.shape)
            original = array[where]
            array[where] = original + FINITE_STEP
            above = loss(arrays)
            array[where] = original - FINITE_STEP
            below = loss(arrays)
            array[where] = original
            slope = (above - below) / (2 * FINITE_STEP)
            assert abs(slope - gradient[where]) < FINITE_AGREEMENT * scale, (name, index, where)


LEARNING_RATE = 0.125


@pytest.mark.skipif(BACKEND != "tensorflow", reason="the steps are taken with TensorFlow's GradientTape")
def test_sgd_steps_with_the_reference_are_kerass_steps():
    """Three steps of plain SGD on the same loss: the reference's gradients move the weights where
    Keras's optimizer moves them."""
    import tensorflow as tf

    flags = {"return_sequences": True, "go_backwards": False, "initial_state": False, "mask": False}
    arrays = case("LSTM", flags, seed=3)
    layer = keras.layers.LSTM(arrays["recurrent_kernel"].shape[0], return_sequences=True, dtype="float64")
    layer.build((None, None, arrays["x"].shape[-1]))
    layer.set_weights([arrays["kernel"], arrays["recurrent_kernel"], arrays["bias"]])
    # A rate float32 holds exactly: Keras keeps the optimizer's rate in float32, and 0.1 there is
    # 0.100000001..., which moves the weights 1e-9 further than the reference's 0.1 does.
    optimizer = keras.optimizers.SGD(learning_rate=LEARNING_RATE)
    weights = [arrays["kernel"].copy(), arrays["recurrent_kernel"].copy(), arrays["bias"].copy()]
    for _ in range(3):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(layer(arrays["x"]) * arrays["output_gradient"])
        steps = tape.gradient(loss, layer.trainable_weights)
        optimizer.apply_gradients(zip(steps, layer.trainable_weights, strict=True))
        gradients = backprop.lstm_backward(
            arrays["x"], *weights, arrays["output_gradient"], return_sequences=True
        )
        weights = [
            w - LEARNING_RATE * gradients[name]
            for w, name in zip(weights, ("kernel", "recurrent_kernel", "bias"), strict=True)
        ]
    for mine, theirs in zip(weights, layer.get_weights(), strict=True):
        assert np.max(np.abs(mine - theirs)) < FLOAT64_AGREEMENT * np.max(np.abs(theirs))


@pytest.mark.parametrize(
    "output_gradient, problem",
    [
        (np.ones((2, 3)), r"output_gradient must have the output's shape \(2, 4\), not \(2, 3\)"),
        (np.ones((2, 5, 4)), r"output_gradient must have the output's shape \(2, 4\)"),
        (np.full((2, 4), np.nan), "none of them NaN"),
        (np.ones((2, 4), int), "floating-point"),
    ],
    ids=["too-narrow", "a-sequence-for-the-last-output", "nan", "integers"],
)
def test_a_wrong_output_gradient_is_named(output_gradient, problem):
    x = np.ones((2, 5, 3))
    kernel, recurrent_kernel, bias = np.ones((3, 16)), np.ones((4, 16)), np.ones(16)
    with pytest.raises(ValueError, match=problem):
        backprop.lstm_backward(x, kernel, recurrent_kernel, bias, output_gradient)


def test_a_layer_without_bias_has_no_bias_gradient():
    arrays = case("LSTM", dict.fromkeys(FLAGS, False), seed=5)
    gradients = backprop.lstm_backward(
        arrays["x"], arrays["kernel"], arrays["recurrent_kernel"], None, arrays["output_gradient"]
    )
    assert gradients["bias"] is None and "initial_state" not in gradients


WITHOUT_MASK = [flags for flags in EVERY_COMBINATION if not flags["mask"]]


@pytest.mark.parametrize("batch", [5, 2 * fused.ROWS_PER_THREAD + 3], ids=["one-part", "parts-in-threads"])
@pytest.mark.parametrize(
    "flags", WITHOUT_MASK, ids=lambda flags: "-".join(k for k, v in flags.items() if v) or "plain"
)
def test_the_fast_lstm_gradients_are_the_loops(flags, batch):
    """Without a mask ``lstm_backward`` runs ``fused.lstm_gradients``; with a mask that hides
    nothing it runs the readable loop over ``lstm_step_backward``. The two agree to float64
    rounding, on one part of the batch and on parts run in threads."""
    rng = np.random.default_rng(batch)
    x = rng.normal(size=(batch, 6, 3))
    kernel, recurrent_kernel, bias = rng.normal(size=(3, 16)), rng.normal(size=(4, 16)), rng.normal(size=16)
    states = [rng.normal(size=(batch, 4)) for _ in range(2)] if flags["initial_state"] else None
    output_gradient = rng.normal(size=(batch, 6, 4) if flags["return_sequences"] else (batch, 4))
    common = dict(
        return_sequences=flags["return_sequences"], go_backwards=flags["go_backwards"], initial_state=states
    )
    fast = backprop.lstm_backward(x, kernel, recurrent_kernel, bias, output_gradient, **common)
    loop = backprop.lstm_backward(
        x, kernel, recurrent_kernel, bias, output_gradient, **common, mask=np.ones((batch, 6), bool)
    )
    assert largest_relative_difference(fast, loop) < 1e-12  # float64 sums in another order
