"""Claims about the GRU and SimpleRNN layers, and the flags every recurrent layer shares."""

from __future__ import annotations

import functools

import numpy as np

from glossary import reference
from glossary.claims._keras import (
    FLOAT32_ARITHMETIC,
    backend,
    built,
    error_of,
    host_array,
    is_keras_2,
    keras,
    reference_difference,
    sample,
    tensor,
    variable,
)
from glossary.claims.registry import Evidence, NotApplicable, claim


@claim(
    "GRU-REFERENCE",
    "`glossary.reference.gru` gives `keras.layers.GRU`'s numbers to 1e-5 in float32, "
    "with `reset_after` True and False.",
    page="gru.md#the-same-in-numpy",
    depends_on=FLOAT32_ARITHMETIC,
)
def gru_reference():
    difference = max(reference_difference("GRU", reset_after=reset_after) for reset_after in (True, False))
    return Evidence(difference < 1e-5, f"largest difference {difference:.1e}")


@claim(
    "GRU-GATE-ORDER",
    "Keras packs a GRU's gates as update, reset, candidate: a large bias on the first block alone "
    "freezes the hidden state at its initial value.",
    page="gru.md#the-three-blocks",
)
def gru_gate_order():
    layer = built(keras().layers.GRU(4, return_sequences=True), 5)
    kernel, recurrent_kernel, bias = layer.get_weights()
    bias[:, :4] = 20.0  # the update gate saturates at 1: keep the old state entirely
    layer.set_weights([kernel, recurrent_kernel, bias])
    largest = float(np.max(np.abs(host_array(layer(sample())))))
    return Evidence(largest < 1e-6, f"largest |h_t| from a zero initial state: {largest:.1e}")


@claim(
    "ONE-STATE-LAYERS",
    "With `return_state=True`, GRU and SimpleRNN return two arrays, output and `state_h`, "
    "with no cell state; the output is again the hidden state.",
    page="gru.md#one-state-not-two",
)
def one_state_layers():
    x = sample()
    found = []
    for layer_type in ("GRU", "SimpleRNN"):
        returned = getattr(keras().layers, layer_type)(4, return_state=True)(x)
        output, state_h = returned
        found.append(len(returned) == 2 and np.array_equal(host_array(output), host_array(state_h)))
    return Evidence(all(found), f"two arrays, output equal to state_h: {found}")


@claim(
    "SIMPLERNN-REFERENCE",
    "A SimpleRNN is one equation, `h_t = tanh(x_t W + h_{t-1} U + b)`: `glossary.reference.simple_rnn` "
    "gives Keras's numbers to 1e-5.",
    page="simple-rnn.md#one-equation",
)
def simple_rnn_reference():
    difference = reference_difference("SimpleRNN")
    return Evidence(difference < 1e-5, f"largest difference {difference:.1e}")


@claim(
    "GO-BACKWARDS-IS-FLIPPED-INPUT",
    "`go_backwards=True` gives exactly what the same layer gives on the time-reversed input, returned "
    "sequence included: its first row belongs to the last timestep.",
    page="go-backwards.md#what-it-does",
)
def go_backwards_is_flipped_input():
    x = sample()
    backwards = keras().layers.LSTM(4, return_sequences=True, go_backwards=True)
    expected = host_array(backwards(x))
    forwards = built(keras().layers.LSTM(4, return_sequences=True), 5)
    forwards.set_weights(backwards.get_weights())
    difference = float(np.max(np.abs(host_array(forwards(x[:, ::-1])) - expected)))
    return Evidence(difference < 1e-6, f"largest difference {difference:.1e}")


@claim(
    "GO-BACKWARDS-NOT-REALIGNED",
    "A `go_backwards` layer's returned sequence is in time order.",
    page="go-backwards.md#what-it-does",
    verdict=False,
    corrected_by="GO-BACKWARDS-IS-FLIPPED-INPUT",
)
def go_backwards_not_realigned():
    x = sample()
    backwards = keras().layers.LSTM(4, return_sequences=True, go_backwards=True)
    returned = host_array(backwards(x))
    forwards = built(keras().layers.LSTM(4, return_sequences=True), 5)
    forwards.set_weights(backwards.get_weights())
    in_time_order = host_array(forwards(x[:, ::-1]))[:, ::-1]
    difference = float(np.max(np.abs(returned - in_time_order)))
    return Evidence(difference < 1e-6, f"largest difference from the time-ordered sequence {difference:.2f}")


def _identity_rnn(**flags):
    """A linear SimpleRNN whose output shows exactly which values dropout kept."""
    return keras().layers.SimpleRNN(5, activation=None, use_bias=False, return_sequences=True, **flags)


@claim(
    "DROPOUT-ONE-MASK-PER-SEQUENCE",
    "`dropout` draws one mask per sequence and drops the same input features at every timestep; "
    "the features it keeps are scaled by `1 / (1 - rate)`.",
    page="dropout.md#dropout-on-the-input",
)
def dropout_one_mask():
    layer = _identity_rnn(dropout=0.5, kernel_initializer="identity", recurrent_initializer="zeros")
    seen = host_array(layer(np.ones((4, 6, 5), "float32"), training=True))
    same_every_step = bool(np.all(seen == seen[:, :1]))
    per_sequence = len({tuple(row) for row in seen[:, 0].tolist()}) > 1  # not one mask for the batch
    values = sorted(set(np.unique(seen).tolist()))
    return Evidence(
        same_every_step and per_sequence and values == [0.0, 2.0],
        f"same mask at every step: {same_every_step}; masks differ between sequences: {per_sequence}; "
        f"values {values}",
    )


@claim(
    "RECURRENT-DROPOUT-ONE-MASK",
    "`recurrent_dropout` drops the same units of the previous hidden state at every timestep.",
    page="dropout.md#recurrent-dropout-on-the-state",
)
def recurrent_dropout_one_mask():
    layer = _identity_rnn(recurrent_dropout=0.5, kernel_initializer="zeros", recurrent_initializer="identity")
    ones = np.ones((4, 6, 5), "float32")
    seen = host_array(layer(ones, initial_state=[tensor(np.ones((4, 5), "float32"))], training=True))
    dropped = seen == 0
    same_every_step = bool(np.all(dropped == dropped[:, :1]))
    return Evidence(same_every_step and dropped.any(), f"same units dropped at every step: {same_every_step}")


@claim(
    "DROPOUT-ONLY-IN-TRAINING",
    "`dropout` and `recurrent_dropout` act only in training: at inference a layer with them returns "
    "what the same layer without them returns (to 1e-6).",
    page="dropout.md#only-while-training",
)
def dropout_only_in_training():
    x = sample()
    with_dropout = keras().layers.LSTM(4, dropout=0.5, recurrent_dropout=0.5)
    expected = host_array(with_dropout(x))
    # recurrent_dropout keeps Keras on its step-by-step loop, which sums in another order than the
    # plain layer's whole-sequence path (not bit for bit, then), and on a GPU in another order than
    # cuDNN's kernel, which the plain layer is kept off.
    plain = built(keras().layers.LSTM(4, **({} if is_keras_2() else {"use_cudnn": False})), 5)
    plain.set_weights(with_dropout.get_weights())
    inference_equal = np.allclose(host_array(plain(x)), expected, rtol=0, atol=1e-6)
    training_differs = not np.allclose(host_array(with_dropout(x, training=True)), expected)
    return Evidence(
        inference_equal and training_differs,
        f"inference equal: {inference_equal}, training differs: {training_differs}",
    )


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


@claim(
    "BIDIRECTIONAL-REALIGNS",
    "`Bidirectional` puts its backward layer's returned sequence back in time order before merging: "
    "row t of its backward half is the backward layer's row T - t + 1.",
    page="go-backwards.md#putting-a-returned-sequence-back-in-time-order",
)
def bidirectional_realigns():
    x = sample()
    both = keras().layers.Bidirectional(keras().layers.LSTM(4, return_sequences=True), merge_mode=None)
    _, backward_half = both(x)
    returned = host_array(both.backward_layer(x))  # the go_backwards layer on its own
    difference = float(np.max(np.abs(host_array(backward_half) - returned[:, ::-1])))
    return Evidence(difference < 1e-6, f"largest difference {difference:.1e}")
