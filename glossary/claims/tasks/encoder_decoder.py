"""Claims of the page "Encoder-decoder models" (``docs/encoder-decoder.md``)."""

from __future__ import annotations

import inspect

import numpy as np

from glossary.claims.keras_backend import (
    accelerator,
    backend,
    host_array,
    is_keras_2,
    keras,
    tensor,
    with_gradients,
)
from glossary.claims.registry import Evidence, NotApplicable, claim
from glossary.claims.samples import message_of, sample
from glossary.reference import lstm

TOLERANCE = 1e-5
"""float32: the same products summed in other orders (the reference's, a one-step model's) stay
within a few units of float32's resolution over the few timesteps these checks run."""


@claim(
    "INITIAL-STATE-TAKES-RETURNED-STATES",
    "The `[h, c]` an encoder LSTM returns with `return_state=True` is what a decoder LSTM's "
    "`initial_state` takes, in that order: the decoder starts its first step from them.",
    page="encoder-decoder.md#passing-the-states",
)
def initial_state_takes_returned_states():
    biases = keras().initializers.RandomNormal(stddev=0.5, seed=1)  # not zero: every gate's bias counts
    _, h, c = keras().layers.LSTM(4, return_state=True, bias_initializer=biases)(sample(seed=1))
    decoder = keras().layers.LSTM(4, return_sequences=True, unit_forget_bias=False, bias_initializer=biases)
    x = sample(timesteps=5, features=3, seed=2)
    started = host_array(decoder(x, initial_state=[h, c]))
    kernel, recurrent_kernel, bias = decoder.get_weights()
    expected = lstm(x, kernel, recurrent_kernel, bias, return_sequences=True,
                    initial_state=[host_array(h), host_array(c)])  # fmt: skip
    swapped = host_array(decoder(x, initial_state=[c, h]))
    gap, swap_gap = float(np.max(np.abs(started - expected))), float(np.max(np.abs(swapped - expected)))
    return Evidence(
        gap <= TOLERANCE and swap_gap > 1e-3,
        f"random biases; vs the reference started from [h, c]: {gap:.1e}; "
        f"given [c, h] instead: {swap_gap:.2f}",
    )


def _teacher_forced_and_stepped():
    """A small untrained encoder-decoder: its teacher-forced run, and its step-by-step run.

    Both call the models directly, as the page's decoding loop does.
    """
    layers = keras().layers
    units, vocabulary, length = 8, 7, 5
    encoder_tokens, decoder_tokens = (
        keras().Input((None,), dtype="int32"),
        keras().Input((None,), dtype="int32"),
    )
    embed_source, embed_target = layers.Embedding(vocabulary, 4), layers.Embedding(vocabulary, 4)
    decoder = layers.LSTM(units, return_sequences=True, return_state=True)
    to_token = layers.Dense(vocabulary, activation="softmax")
    _, h, c = layers.LSTM(units, return_state=True)(embed_source(encoder_tokens))
    decoded, _, _ = decoder(embed_target(decoder_tokens), initial_state=[h, c])
    model = keras().Model([encoder_tokens, decoder_tokens], to_token(decoded))
    summarize = keras().Model(encoder_tokens, [h, c])
    token, states = keras().Input((1,), dtype="int32"), [keras().Input((units,)), keras().Input((units,))]
    one, next_h, next_c = decoder(embed_target(token), initial_state=states)
    step = keras().Model([token, *states], [to_token(one), next_h, next_c])

    rng = np.random.default_rng(3)
    source = rng.integers(1, vocabulary, size=(4, 6)).astype("int32")
    previous = rng.integers(0, vocabulary, size=(4, length)).astype("int32")
    teacher_forced = host_array(model([tensor(source), tensor(previous)]))
    carried = list(summarize(tensor(source)))
    stepped = []
    for t in range(length):
        probabilities, *carried = step([tensor(previous[:, t : t + 1]), *carried])
        stepped.append(host_array(probabilities)[:, 0])
    return teacher_forced, np.stack(stepped, axis=1)


@claim(
    "STEPPED-DECODER-EQUALS-TEACHER-FORCED",
    "A decoder run one step at a time, carrying its states from step to step and fed the same "
    "previous tokens, gives the teacher-forced run's output at every step.",
    page="encoder-decoder.md#the-same-decoder-one-step-at-a-time",
)
def stepped_decoder_equals_teacher_forced():
    teacher_forced, stepped = _teacher_forced_and_stepped()
    gap = float(np.max(np.abs(teacher_forced - stepped)))
    return Evidence(gap <= TOLERANCE, f"5 steps, 4 sequences: largest difference {gap:.1e}")


def _sequence_model(vocabulary: int = 6):
    """Token ids in, a probability for each id at every timestep out; compiled, with fixed weights."""
    layers = keras().layers
    tokens = keras().Input((None,), dtype="int32")
    probabilities = layers.Dense(vocabulary, activation="softmax")(
        layers.LSTM(8, return_sequences=True)(layers.Embedding(vocabulary, 4)(tokens))
    )
    model = keras().Model(tokens, probabilities)
    model.compile(optimizer=keras().optimizers.SGD(0.1), loss="sparse_categorical_crossentropy")
    return model


@claim(
    "ZERO-WEIGHT-LEFT-OUT-OF-LOSS",
    "Given a `sample_weight` shaped like the targets, `(batch, timesteps)`, `fit` and `evaluate` leave "
    "out every timestep whose weight is 0: whichever id of the vocabulary the target holds there "
    "changes neither the loss nor the weights that training ends with. The loss they report still "
    "divides the weighted sum by every timestep, padding included, not by the weights' sum.",
    page="encoder-decoder.md#training-with-teacher-forcing",
)
def zero_weight_left_out_of_loss():
    rng = np.random.default_rng(4)
    tokens = rng.integers(1, 6, size=(4, 5)).astype("int32")
    targets = rng.integers(1, 6, size=(4, 5)).astype("int32")
    weights = np.ones((4, 5), "float32")
    weights[:, 3:] = 0.0  # the last two timesteps of every sequence: padding
    padding_changed = targets.copy()
    padding_changed[:, 3:] = (targets[:, 3:] % 5) + 1  # other ids where the weight is 0
    word_changed = targets.copy()
    word_changed[:, 0] = (targets[:, 0] % 5) + 1  # other ids where the weight is 1

    start = _sequence_model()
    initial = start.get_weights()
    per_step = host_array(
        keras().losses.sparse_categorical_crossentropy(targets, start.predict(tokens, verbose=0))
    )  # (4, 5)
    weighted = float(np.sum(weights * per_step))
    averages = {"every step": weighted / weights.size, "weights' sum": weighted / float(np.sum(weights))}
    losses, trained, first_epoch = {}, {}, {}
    for name, wanted in (
        ("as given", targets),
        ("padding changed", padding_changed),
        ("word changed", word_changed),
    ):
        model = _sequence_model()
        model.set_weights(initial)
        losses[name] = float(model.evaluate(tokens, wanted, sample_weight=weights, verbose=0))
        with with_gradients():
            history = model.fit(
                tokens, wanted, sample_weight=weights, epochs=2, batch_size=4, shuffle=False, verbose=0
            )
        first_epoch[name] = float(history.history["loss"][0])  # one batch, before its update
        trained[name] = model.get_weights()

    def same_weights(a, b):
        return all(np.array_equal(x, y) for x, y in zip(trained[a], trained[b], strict=True))

    kept = {name: same_weights(name, "as given") for name in ("padding changed", "word changed")}

    # Which average the reported loss is: 1e-5 relative is float32 rounding of a mean of 20 terms;
    # the two averages differ by the share of padding, 40% here.
    def divides_by(loss: float) -> list[str]:
        return [name for name, mean in averages.items() if abs(loss - mean) <= 1e-5 * mean]

    holds = (
        divides_by(losses["as given"]) == divides_by(first_epoch["as given"]) == ["every step"]
        and losses["padding changed"] == losses["as given"]
        and first_epoch["padding changed"] == first_epoch["as given"]
        and losses["word changed"] != losses["as given"]
        and first_epoch["word changed"] != first_epoch["as given"]
        and kept["padding changed"]
        and not kept["word changed"]
    )
    shown = ", ".join(f"{name} {loss:.6f}" for name, loss in losses.items())
    return Evidence(
        holds,
        f"loss with the targets {shown} (changed where the weight is 0, then where it is 1); "
        f"weights after fit the same as with the targets as given: {kept}; fit's first epoch "
        f"{first_epoch['as given']:.6f}; the weighted sum divided by "
        + ", ".join(f"{name} {mean:.6f}" for name, mean in averages.items()),
    )


@claim(
    "OUT-OF-VOCABULARY-TARGET-AT-ZERO-WEIGHT",
    "A target id outside the vocabulary (-1, the vocabulary's size, or -100) at a timestep whose "
    "`sample_weight` is 0 stops `evaluate` and `fit` with an error on TensorFlow (Keras 3 and Keras 2), "
    "on a CPU. On PyTorch, on a CPU, -1 and the vocabulary's size do too, while -100, the "
    "`ignore_index` of PyTorch's own loss, is left out. On JAX all three run, and the loss is the one "
    "an id of the vocabulary there gives.",
    page="encoder-decoder.md#training-with-teacher-forcing",
    depends_on="the backend, and a CPU: TensorFlow documents that on a GPU its sparse cross-entropy "
    "gives NaN for such an id instead of raising, and PyTorch's fails inside a CUDA kernel",
)
def out_of_vocabulary_target_at_zero_weight():
    if backend() != "jax" and accelerator():
        raise NotApplicable("a GPU computes here, where an id outside the vocabulary does not raise")
    rng = np.random.default_rng(4)
    tokens = rng.integers(1, 6, size=(4, 5)).astype("int32")
    targets = rng.integers(1, 6, size=(4, 5)).astype("int32")
    weights = np.ones((4, 5), "float32")
    weights[:, 3:] = 0.0
    model = _sequence_model()
    initial = model.get_weights()
    found = {}
    for outside in (None, -1, 6, -100):  # None: an id of the vocabulary, 0 .. 5, as given
        wanted = targets.copy()
        if outside is not None:
            wanted[:, 3:] = outside
        found[outside] = {
            call: _loss_or_error(model, initial, call, tokens, wanted, weights)
            for call in ("evaluate", "fit")
        }
    given = found.pop(None)
    left_out = {"jax": (-1, 6, -100), "torch": (-100,)}.get(backend(), ())
    holds = all(
        said == given if outside in left_out else all(isinstance(value, str) for value in said.values())
        for outside, said in found.items()
    )
    shown = "; ".join(f"target {outside}: {said}" for outside, said in found.items())
    return Evidence(holds, f"{backend()}: with ids of the vocabulary there {given}; {shown}")


@claim(
    "ZERO-WEIGHT-KEEPS-A-NAN",
    "A weight of 0 does not cancel a timestep whose loss is NaN: Keras multiplies each step's loss "
    "by its weight, 0 times NaN is NaN, so the batch's loss is NaN. Where that step's gradient is NaN "
    "too, one step of `fit` turns the weights NaN; a NaN loss whose gradient is finite leaves them finite.",
    page="encoder-decoder.md#training-with-teacher-forcing",
)
def zero_weight_keeps_a_nan():
    rng = np.random.default_rng(4)
    inputs = rng.normal(size=(4, 5, 3)).astype("float32")  # finite everywhere: the NaN comes from the loss
    targets = rng.integers(0, 6, size=(4, 5)).astype("int32")
    weights = np.ones((4, 5), "float32")
    weights[:, 3:] = 0.0
    marked = targets.copy()
    marked[:, 3:] = -1  # tells the loss below which steps to make NaN: those weighted 0
    if is_keras_2():
        import tensorflow as tf

        where, cast = tf.where, tf.cast
    else:
        where, cast = keras().ops.where, keras().ops.cast

    def nan_loss(with_gradient):
        def loss(y_true, y_pred):
            y_true = cast(y_true, "int32")
            bad = y_true < 0
            base = keras().losses.sparse_categorical_crossentropy(where(bad, 0, y_true), y_pred)
            nan = where(bad, float("nan"), 0.0)
            # times a prediction, the NaN has a NaN gradient; added alone, it is a constant with none
            return base + (nan * y_pred[..., 0] if with_gradient else nan)

        return loss

    found = {}
    for name, loss, given in (
        ("finite", "sparse_categorical_crossentropy", targets),
        ("NaN loss and gradient at the zero-weight steps", nan_loss(True), marked),
        ("NaN loss only at the zero-weight steps", nan_loss(False), marked),
    ):
        # One Dense layer per step, no LSTM: a NaN cannot reach the steps weighted 1.
        model = keras().Sequential([keras().Input((None, 3)), keras().layers.Dense(6, activation="softmax")])
        model.compile(optimizer=keras().optimizers.SGD(0.1), loss=loss)
        with with_gradients():  # one batch: the loss fit reports is the batch's, before the step
            history = model.fit(inputs, given, sample_weight=weights, epochs=1, batch_size=4, verbose=0)
        kernel = model.get_weights()[0]
        found[name] = (
            float(history.history["loss"][0]),
            bool(np.isnan(kernel).all()),
            bool(np.isnan(kernel).any()),
        )
    finite = found["finite"]
    both = found["NaN loss and gradient at the zero-weight steps"]
    loss_only = found["NaN loss only at the zero-weight steps"]
    holds = (
        np.isfinite(finite[0])
        and not finite[2]
        and np.isnan(both[0])
        and both[1]
        and np.isnan(loss_only[0])
        and not loss_only[2]
    )
    return Evidence(
        holds,
        "; ".join(
            f"{name}: loss {loss:.4g}, kernel {'all NaN' if nan else 'part NaN' if part else 'finite'} after"
            for name, (loss, nan, part) in found.items()
        )
        + f"; 0 times NaN = {np.float32(0) * np.float32(np.nan)}",
    )


def _loss_or_error(model, initial, call: str, tokens, targets, weights) -> float | str:
    """The loss ``evaluate``, or one epoch of ``fit``, gives from the weights ``initial``.

    Or, where it raises, the name of the error.
    """
    model.set_weights(initial)
    losses = []

    def run():
        with with_gradients():
            if call == "evaluate":
                losses.append(float(model.evaluate(tokens, targets, sample_weight=weights, verbose=0)))
            else:
                history = model.fit(
                    tokens, targets, sample_weight=weights, epochs=1, batch_size=4, shuffle=False, verbose=0
                )
                losses.append(float(history.history["loss"][0]))

    said = message_of(run)
    return said.split(":")[0] if said else losses[0]


@claim(
    "PREDICT-NOT-FOR-LOOPS",
    "Keras's own documentation of `Model.predict` says it is not meant for loops that process a few "
    "inputs at a time, and to call the model directly, `model(x)`, for inputs that fit in one batch.",
    page="encoder-decoder.md#the-same-decoder-one-step-at-a-time",
)
def predict_not_for_loops():
    said = " ".join((inspect.getdoc(keras().Model.predict) or "").split())
    phrases = ("not intended for use inside of loops", "directly use `__call__()` for faster execution")
    found = {phrase: phrase in said for phrase in phrases}
    return Evidence(
        all(found.values()),
        "; ".join(f"{phrase!r}: {'said' if present else 'not said'}" for phrase, present in found.items()),
    )


@claim(
    "REPEATVECTOR-REPEATS",
    "`RepeatVector(n)` turns a `(batch, units)` summary into `(batch, n, units)`, the same vector at "
    "every one of the `n` timesteps.",
    page="encoder-decoder.md#the-repeatvector-variant",
)
def repeatvector_repeats():
    summary = sample(batch=3, timesteps=1, features=4)[:, 0]
    repeated = host_array(keras().layers.RepeatVector(6)(summary))
    same = all(np.array_equal(repeated[:, t], summary) for t in range(6))
    return Evidence(
        repeated.shape == (3, 6, 4) and same, f"(3, 4) became {repeated.shape}; every step equal: {same}"
    )


@claim(
    "ATTENTION-SHAPES",
    "`Attention()([queries, values], return_attention_scores=True)` returns a context of the "
    "queries' shape, `(batch, target timesteps, units)`, and scores `(batch, target timesteps, "
    "source timesteps)` that add up to 1 over the source timesteps.",
    page="encoder-decoder.md#attention-over-the-encoders-outputs",
)
def attention_shapes():
    queries = sample(batch=3, timesteps=4, features=8, seed=4)  # 4 target timesteps
    values = sample(batch=3, timesteps=6, features=8)  # 6 source timesteps
    holds, shown = True, []
    for kind in ("Attention", "AdditiveAttention"):
        context, scores = getattr(keras().layers, kind)()([queries, values], return_attention_scores=True)
        context, scores = host_array(context), host_array(scores)
        total_gap = float(np.max(np.abs(scores.sum(axis=-1) - 1)))  # float32 sums of 6 numbers
        holds = holds and context.shape == (3, 4, 8) and scores.shape == (3, 4, 6) and total_gap < 1e-5
        shown.append(f"{kind}: context {context.shape}, scores {scores.shape}")
    return Evidence(holds, "; ".join(shown))
