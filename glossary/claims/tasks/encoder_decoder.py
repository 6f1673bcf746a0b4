"""Claims of the page "Encoder-decoder models" (``docs/encoder-decoder.md``)."""

from __future__ import annotations

import numpy as np

from glossary.claims.keras_backend import host_array, keras
from glossary.claims.registry import Evidence, claim
from glossary.claims.samples import sample
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
    _, h, c = keras().layers.LSTM(4, return_state=True)(sample(seed=1))
    decoder = keras().layers.LSTM(4, return_sequences=True)
    x = sample(timesteps=5, features=3, seed=2)
    started = host_array(decoder(x, initial_state=[h, c]))
    kernel, recurrent_kernel, bias = decoder.get_weights()
    expected = lstm(x, kernel, recurrent_kernel, bias, return_sequences=True,
                    initial_state=[host_array(h), host_array(c)])  # fmt: skip
    swapped = host_array(decoder(x, initial_state=[c, h]))
    gap, swap_gap = float(np.max(np.abs(started - expected))), float(np.max(np.abs(swapped - expected)))
    return Evidence(
        gap <= TOLERANCE and swap_gap > 1e-3,
        f"vs the reference started from [h, c]: {gap:.1e}; given [c, h] instead: {swap_gap:.2f}",
    )


def _teacher_forced_and_stepped():
    """A small untrained encoder-decoder: its teacher-forced run, and its step-by-step run."""
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
    teacher_forced = model.predict([source, previous], verbose=0)
    carried = summarize.predict(source, verbose=0)
    stepped = []
    for t in range(length):
        probabilities, *carried = step.predict([previous[:, t : t + 1], *carried], verbose=0)
        stepped.append(probabilities[:, 0])
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
