"""Claims of the page "`dropout` and `recurrent_dropout`" (``docs/dropout.md``)."""

from __future__ import annotations

import numpy as np

from glossary.claims.keras_backend import host_array, is_keras_2, keras, tensor
from glossary.claims.registry import Evidence, claim
from glossary.claims.samples import built, sample


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
