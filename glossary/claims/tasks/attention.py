"""Claims of the page "Attention" (``docs/attention.md``)."""

from __future__ import annotations

import numpy as np

from glossary.claims.keras_backend import host_array, keras, tensor
from glossary.claims.registry import Evidence, claim
from glossary.claims.samples import error_of, sample

TOLERANCE = 1e-5
"""float32: a softmax over a handful of scores and a weighted sum of a handful of vectors, computed
in Keras's order and in NumPy's, differ by a few units of float32's resolution."""


def _softmax(scores: np.ndarray) -> np.ndarray:
    exponentials = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return exponentials / exponentials.sum(axis=-1, keepdims=True)


def _queries_and_values():
    return sample(batch=3, timesteps=4, features=8, seed=4), sample(batch=3, timesteps=6, features=8)


def _gaps(weights, context, expected_weights, values) -> tuple[float, float]:
    weights, context = host_array(weights), host_array(context)
    return (
        float(np.max(np.abs(weights - expected_weights))),
        float(np.max(np.abs(context - expected_weights @ values))),
    )


@claim(
    "ATTENTION-IS-DOT-PRODUCT-SOFTMAX",
    "`Attention` weighs each source timestep by the softmax, over the source timesteps, of the dot "
    "product of the query with that timestep's value, and returns the values mixed with those "
    "weights; `return_attention_scores=True` returns the weights, after the softmax.",
    page="attention.md#dot-product-attention",
)
def attention_is_dot_product_softmax():
    queries, values = _queries_and_values()
    context, weights = keras().layers.Attention()([queries, values], return_attention_scores=True)
    expected = _softmax(queries @ values.transpose(0, 2, 1))
    weight_gap, context_gap = _gaps(weights, context, expected, values)
    return Evidence(
        max(weight_gap, context_gap) <= TOLERANCE,
        f"weights vs softmax(q·vᵀ): {weight_gap:.1e}; context vs weights @ v: {context_gap:.1e}",
    )


@claim(
    "ADDITIVE-ATTENTION-IS-TANH-SCORE",
    "`AdditiveAttention` scores a source timestep by the sum over features of a learned `scale` "
    "vector, its only weight, times `tanh(query + value)`, then mixes the values by the softmax of "
    "the scores, as `Attention` does.",
    page="attention.md#additive-attention",
)
def additive_attention_is_tanh_score():
    queries, values = _queries_and_values()
    layer = keras().layers.AdditiveAttention()
    context, weights = layer([queries, values], return_attention_scores=True)
    scale = host_array(layer.weights[0])
    expected = _softmax((scale * np.tanh(queries[:, :, None, :] + values[:, None, :, :])).sum(axis=-1))
    weight_gap, context_gap = _gaps(weights, context, expected, values)
    return Evidence(
        max(weight_gap, context_gap) <= TOLERANCE and len(layer.weights) == 1 and scale.shape == (8,),
        f"{len(layer.weights)} weight, scale {scale.shape}; weights vs softmax(Σ scale·tanh(q + v)): "
        f"{weight_gap:.1e}; context: {context_gap:.1e}",
    )


@claim(
    "ATTENTION-MASK-GIVES-NO-WEIGHT",
    "A mask on the values (`mask=[None, value_mask]`) gives masked source timesteps a weight of "
    "exactly 0, and the weights of the others still add up to 1.",
    page="attention.md#padded-sources-and-the-mask",
)
def attention_mask_gives_no_weight():
    queries, values = _queries_and_values()
    value_mask = np.ones((3, 6), bool)
    value_mask[0, 4:] = False  # the first source sequence is padded after 4 timesteps
    _, weights = keras().layers.Attention()(
        [queries, values], mask=[None, value_mask], return_attention_scores=True
    )
    weights = host_array(weights)
    on_padding = float(np.max(weights[0, :, 4:]))
    total_gap = float(np.max(np.abs(weights.sum(axis=-1) - 1)))
    return Evidence(
        on_padding == 0.0 and total_gap <= TOLERANCE,
        f"largest weight on a padded step: {on_padding}; weights' sums differ from 1 by {total_gap:.1e}",
    )


@claim(
    "ATTENTION-TAKES-THE-EMBEDDING-MASK",
    "In a functional model whose encoder LSTM (`return_sequences=True`) reads an "
    "`Embedding(mask_zero=True)`, `Attention([queries, encoded])` gives the padded source steps a "
    "weight of exactly 0 with no `mask=` argument: the mask travels with the encoder's outputs. "
    "Without `mask_zero`, the same steps draw weight.",
    page="attention.md#in-a-decoder",
)
def attention_takes_the_embedding_mask():
    source = np.array([[3, 4, 0, 0], [5, 6, 2, 0]], "int32")  # ids, padded with 0 after the text
    queries = sample(batch=2, timesteps=3, features=8, seed=4)
    on_padding = {}
    for mask_zero in (True, False):
        tokens, asking = keras().Input((None,), dtype="int32"), keras().Input((None, 8))
        embedded = keras().layers.Embedding(7, 4, mask_zero=mask_zero)(tokens)
        encoded = keras().layers.LSTM(8, return_sequences=True)(embedded)
        _, scores = keras().layers.Attention()([asking, encoded], return_attention_scores=True)
        weights = host_array(keras().Model([tokens, asking], scores)([source, queries]))
        on_padding[mask_zero] = float(max(np.max(weights[0, :, 2:]), np.max(weights[1, :, 3:])))
    return Evidence(
        on_padding[True] == 0.0 and on_padding[False] > 0.0,
        f"largest weight on a padded source step: with mask_zero {on_padding[True]}, "
        f"without {on_padding[False]:.3f}",
    )


@claim(
    "ATTENTION-STEP-NEEDS-THE-SOURCE-MASK",
    "The encoder's outputs from `predict` are a NumPy array and carry no mask: a one-step model "
    "whose `Attention` reads them as an input gives the padded source steps weight. Called directly, "
    "the encoder returns a tensor that keeps its mask, and the same model gives them a weight of exactly "
    "0. Given the source mask as one more input and `mask=[None, source_mask]`, it gives them a weight "
    "of exactly 0 from either.",
    page="attention.md#in-a-decoder",
)
def attention_step_needs_the_source_mask():
    source = np.array([[3, 4, 0, 0], [5, 6, 2, 0]], "int32")  # ids, padded with 0 after the text
    query = sample(batch=2, timesteps=1, features=8, seed=4)  # one decoder step
    tokens = keras().Input((None,), dtype="int32")
    embedded = keras().layers.Embedding(7, 4, mask_zero=True)(tokens)
    encoder = keras().Model(tokens, keras().layers.LSTM(8, return_sequences=True)(embedded))
    encoded = encoder.predict(source, verbose=0)
    direct = encoder(source)  # a tensor that keeps the Embedding's mask; Keras 3 takes no NumPy beside it
    asking, reading = keras().Input((None, 8)), keras().Input((None, 8))
    source_mask = keras().Input((None,), dtype="bool")
    _, unmasked = keras().layers.Attention()([asking, reading], return_attention_scores=True)
    _, masked = keras().layers.Attention()(
        [asking, reading], mask=[None, source_mask], return_attention_scores=True
    )
    without_mask = keras().Model([asking, reading], unmasked)
    with_mask = keras().Model([asking, reading, source_mask], masked)
    on_padding = {}
    for name, model, inputs in (
        ("from predict, without the mask", without_mask, [query, encoded]),
        ("from predict, with it", with_mask, [query, encoded, source != 0]),
        ("called directly, without the mask", without_mask, [tensor(query), direct]),
        ("called directly, with it", with_mask, [tensor(query), direct, tensor(source != 0)]),
    ):
        weights = host_array(model(inputs))
        on_padding[name] = float(max(np.max(weights[0, :, 2:]), np.max(weights[1, :, 3:])))
    return Evidence(
        isinstance(encoded, np.ndarray)
        and not isinstance(direct, np.ndarray)
        and on_padding["from predict, without the mask"] > 0.0
        and all(
            value == 0.0 for name, value in on_padding.items() if name != "from predict, without the mask"
        ),
        f"encoder outputs from predict: {type(encoded).__name__}, called directly: {type(direct).__name__}; "
        "largest weight on a padded source step: "
        + ", ".join(f"{name} {value:.3g}" for name, value in on_padding.items()),
    )


@claim(
    "ATTENTION-CAUSAL-MASK",
    "With `use_causal_mask=True`, timestep t of a sequence attending to itself gives weight 0 to "
    "every later timestep.",
    page="attention.md#self-attention-and-the-causal-mask",
)
def attention_causal_mask():
    sequence = sample(batch=2, timesteps=5, features=8)
    _, weights = keras().layers.Attention()(
        [sequence, sequence], use_causal_mask=True, return_attention_scores=True
    )
    weights = host_array(weights)
    later = float(np.max(np.triu(weights, k=1)))  # above the diagonal: a later timestep
    earlier = float(np.min(np.tril(weights)[np.tril(np.ones((5, 5), bool))[None].repeat(2, axis=0)]))
    return Evidence(
        later == 0.0 and earlier > 0.0,
        f"largest weight on a later timestep: {later}; smallest on an earlier one or itself: {earlier:.1e}",
    )


@claim(
    "ATTENTION-SAME-WIDTH",
    "Given a query and a value of different widths, `Attention` and `AdditiveAttention` both fail, "
    "inside their computation, with an error of the backend's own.",
    page="attention.md#additive-attention",
)
def attention_same_width():
    queries, values = sample(features=8, seed=4), sample(features=6)
    messages = {
        name: error_of(lambda name=name: getattr(keras().layers, name)()([queries, values]))
        for name in ("Attention", "AdditiveAttention")
    }
    same_width = {
        name: tuple(getattr(keras().layers, name)()([queries, sample(features=8)]).shape)
        for name in ("Attention", "AdditiveAttention")
    }
    shown = "; ".join(
        f"{name}: {message.splitlines()[0] if message else 'accepted'}" for name, message in messages.items()
    )
    return Evidence(
        # Keras's own checks raise ValueError; the backends' matrix products raise other types.
        all(message and not message.startswith("ValueError") for message in messages.values())
        and set(same_width.values()) == {(3, 7, 8)},
        f"widths 8 and 6: {shown}; widths 8 and 8: {same_width}",
    )
