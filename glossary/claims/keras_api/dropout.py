"""Claims of the page "`dropout` and `recurrent_dropout`" (``docs/dropout.md``)."""

from __future__ import annotations

import numpy as np

from glossary.claims.keras_backend import host_array, is_keras_2, keras, tensor
from glossary.claims.registry import Evidence, claim
from glossary.claims.samples import built, sample
from glossary.layer_kinds import KINDS

UNITS = 5
SATURATED = 100.0
"""A gate's bias that holds it at 1 (negated, at 0) whatever else it adds: sigmoid(100) is 1 in float32."""


def _copying_layer(kind: str, source: str, **options):
    """An LSTM, GRU or SimpleRNN of 5 units whose output shows which values dropout let through.

    With ``source="input"`` its output at each timestep is ``f(dropout(x_t))``; with ``"state"``,
    ``f(dropout(h_{t-1}))``, where ``f`` keeps 0 at 0 and nothing else: the identity for the
    SimpleRNN, ``tanh`` for the GRU, ``tanh(tanh(.))`` for the LSTM. Its gates are held open or
    shut by saturated biases: the LSTM forgets its cell state and passes its candidate through,
    the GRU takes its candidate, and the copy runs through the candidate's weights.
    """
    layers = keras().layers
    # The weights are set below; zeros start quicker than the orthogonal recurrent kernel.
    options |= {"kernel_initializer": "zeros", "recurrent_initializer": "zeros"}
    eye, zeros = np.eye(UNITS, dtype="float32"), np.zeros((UNITS, UNITS), "float32")
    copy_input = source == "input"
    if kind == "SimpleRNN":
        layer = layers.SimpleRNN(UNITS, activation=None, use_bias=False, return_sequences=True, **options)
        weights = [eye, zeros] if copy_input else [zeros, eye]
    elif kind == "LSTM":  # gate blocks: input, forget, candidate, output
        layer = layers.LSTM(UNITS, return_sequences=True, **options)
        copied = np.concatenate([zeros, zeros, eye, zeros], axis=1)
        nothing = np.zeros_like(copied)
        bias = np.concatenate(
            [np.full(UNITS, value, "float32") for value in (SATURATED, -SATURATED, 0, SATURATED)]
        )
        weights = [copied, nothing, bias] if copy_input else [nothing, copied, bias]
    else:  # GRU, gate blocks: update, reset, candidate; reset_after=True: a bias row for each side
        layer = layers.GRU(UNITS, return_sequences=True, **options)
        copied = np.concatenate([zeros, zeros, eye], axis=1)
        nothing = np.zeros_like(copied)
        row = np.concatenate([np.full(UNITS, value, "float32") for value in (-SATURATED, SATURATED, 0)])
        bias = np.stack([row, np.zeros_like(row)])
        weights = [copied, nothing, bias] if copy_input else [nothing, copied, bias]
    built(layer, UNITS)
    layer.set_weights(weights)
    return layer


def _initial_state(kind: str, batch: int):
    ones = tensor(np.ones((batch, UNITS), "float32"))
    return [ones, ones] if kind == "LSTM" else [ones]


KEPT_INPUT = {"SimpleRNN": 2.0, "GRU": float(np.tanh(2.0)), "LSTM": float(np.tanh(np.tanh(2.0)))}
"""What a copying layer outputs for an input of 1 that dropout at rate 0.5 kept, and so scaled to 2."""


@claim(
    "DROPOUT-ONE-MASK-PER-SEQUENCE",
    "In Keras 3, `dropout` on an LSTM, GRU or SimpleRNN draws one mask per sequence and drops the same "
    "input features at every timestep; the features it keeps are scaled by `1 / (1 - rate)`. In "
    "Keras 2 (`tf-keras`), only the SimpleRNN does: a default LSTM or GRU draws a new mask at every "
    "timestep.",
    page="dropout.md#dropout-on-the-input",
)
def dropout_one_mask():
    found = {}
    for kind in ("SimpleRNN", "GRU", "LSTM"):
        layer = _copying_layer(kind, "input", dropout=0.5)
        seen = host_array(layer(np.ones((4, 6, UNITS), "float32"), training=True))
        kept = np.abs(seen) > 1e-6
        same_every_step = bool(np.all(kept == kept[:, :1]))
        per_sequence = len({tuple(row) for row in kept[:, 0].tolist()}) > 1  # not one mask for the batch
        scaled = bool(np.allclose(seen[kept], KEPT_INPUT[kind], rtol=0, atol=1e-5))
        found[kind] = (same_every_step, per_sequence and scaled and kept.any() and not kept.all())
    one_mask = {kind: same for kind, (same, _) in found.items()}
    expected = {"SimpleRNN": True, "GRU": not is_keras_2(), "LSTM": not is_keras_2()}
    drawn_and_scaled = all(ok for _, ok in found.values())
    return Evidence(
        one_mask == expected and drawn_and_scaled,
        f"same mask at every step: {one_mask}; masks differ between sequences, kept values scaled by 2: "
        f"{drawn_and_scaled}",
    )


@claim(
    "RECURRENT-DROPOUT-ONE-MASK",
    "`recurrent_dropout` on an LSTM, GRU or SimpleRNN drops the same units of the previous hidden state "
    "at every timestep of a sequence, each sequence of the batch with units of its own (in an LSTM or "
    "GRU, checked on the state's way to the candidate).",
    page="dropout.md#recurrent-dropout-on-the-state",
)
def recurrent_dropout_one_mask():
    found = {}
    for kind in ("SimpleRNN", "GRU", "LSTM"):
        layer = _copying_layer(kind, "state", recurrent_dropout=0.5)
        ones = np.ones((4, 6, UNITS), "float32")
        seen = host_array(layer(ones, initial_state=_initial_state(kind, 4), training=True))
        dropped = np.abs(seen) <= 1e-6  # (sequence, step, unit)
        every_step = bool(np.all(dropped == dropped[:, :1]) and dropped.any() and not dropped.all())
        # One mask for the whole batch would drop the same units in all four sequences.
        own = len({tuple(row) for row in dropped[:, 0]}) > 1
        found[kind] = {"same units at every step": every_step, "a mask for each sequence": own}
    holds = all(all(seen.values()) for seen in found.values())
    return Evidence(holds, f"units dropped, by layer: {found}")


@claim(
    "DROPOUT-ONLY-IN-TRAINING",
    "`dropout` and `recurrent_dropout` act only in training: at inference, in a plain call or in "
    "`predict`, an LSTM, GRU or SimpleRNN with them returns what the same layer without them returns "
    "(to 1e-6).",
    page="dropout.md#only-while-training",
)
def dropout_only_in_training():
    x = sample()
    found = {}
    for kind in KINDS:
        with_dropout = getattr(keras().layers, kind)(4, dropout=0.5, recurrent_dropout=0.5)
        expected = host_array(with_dropout(x))
        # recurrent_dropout keeps Keras on its step-by-step loop, which sums in another order than
        # the plain layer's whole-sequence path (not bit for bit, then), and on a GPU in another
        # order than cuDNN's kernel, which the plain layer is kept off.
        off_cudnn = {} if is_keras_2() or kind == "SimpleRNN" else {"use_cudnn": False}
        plain = built(getattr(keras().layers, kind)(4, **off_cudnn), 5)
        plain.set_weights(with_dropout.get_weights())
        sequences = keras().Input((7, 5))
        predicted = keras().Model(sequences, with_dropout(sequences)).predict(x, verbose=0)
        found[kind] = {
            "inference equal": bool(np.allclose(host_array(plain(x)), expected, rtol=0, atol=1e-6)),
            "predict equal": bool(np.allclose(host_array(predicted), expected, rtol=0, atol=1e-6)),
            "training differs": not np.allclose(host_array(with_dropout(x, training=True)), expected),
        }
    return Evidence(all(all(seen.values()) for seen in found.values()), str(found))


@claim(
    "DROPOUT-LAYER-PER-TIMESTEP",
    "A plain `Dropout` layer on a `(batch, timesteps, features)` sequence draws a new mask at every "
    "timestep. `Dropout(rate, noise_shape=(None, 1, features))` and `SpatialDropout1D(rate)` draw one "
    "mask per sequence and drop the same features at every timestep.",
    page="dropout.md#the-cost-of-recurrent_dropout",
)
def dropout_layer_per_timestep():
    # 8 sequences: that all 8 draw the same mask of 8 features by chance has odds of 2**-56
    ones = np.ones((8, 6, 8), "float32")
    layers = {
        "Dropout(0.5)": keras().layers.Dropout(0.5),
        "Dropout(0.5, noise_shape=(None, 1, 8))": keras().layers.Dropout(0.5, noise_shape=(None, 1, 8)),
        "SpatialDropout1D(0.5)": keras().layers.SpatialDropout1D(0.5),
    }
    found = {}
    for name, layer in layers.items():
        kept = host_array(layer(tensor(ones), training=True)) != 0  # (8, 6, 8): which values got through
        found[name] = {
            "one mask per sequence": bool(np.all(kept == kept[:, :1])),
            "sequences' masks differ": bool(np.any(kept[:, 0] != kept[:1, 0])),
            "drops some, keeps some": bool(kept.any() and not kept.all()),
        }
    per_sequence = [result["one mask per sequence"] for result in found.values()]
    holds = (
        per_sequence == [False, True, True]
        and all(result["sequences' masks differ"] for result in found.values())
        and all(result["drops some, keeps some"] for result in found.values())
    )
    return Evidence(holds, f"on ones of shape (8, 6, 8), in training: {found}")
