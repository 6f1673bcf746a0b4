"""Claims of the page "Input shape" (``docs/input-shape.md``)."""

from __future__ import annotations

import numpy as np

from glossary.claims.keras_backend import is_keras_2, keras
from glossary.claims.registry import Evidence, NotApplicable, claim
from glossary.claims.samples import error_of, message_of, sample


@claim(
    "INPUT-3D",
    "Keras's recurrent layers read `(batch, timesteps, features)`: `LSTM`, `GRU` and `SimpleRNN` refuse a "
    "2-D array with `expected ndim=3, found ndim=2`; the generic `RNN` around a cell refuses it too, "
    "with its loop's own error, which depends on the backend and mentions no time axis (Keras 2's "
    "says the shape 'must have rank at least 3').",
    page="input-shape.md#expected-ndim3-found-ndim2",
)
def input_is_3d():
    layers = keras().layers
    makers = {
        "LSTM": lambda: layers.LSTM(4, name="lstm"),  # named: the quoted message is the same in any process
        "GRU": lambda: layers.GRU(4),
        "SimpleRNN": lambda: layers.SimpleRNN(4),
        "RNN": lambda: layers.RNN(layers.LSTMCell(4)),
    }
    messages = {
        name: error_of(lambda make=make: make()(np.zeros((3, 5), "float32"))) for name, make in makers.items()
    }
    shapes = {name: tuple(make()(sample()).shape) for name, make in makers.items()}
    refused = [name for name, message in messages.items() if "expected ndim=3, found ndim=2" in message]
    said = message_of(lambda: makers["RNN"]()(np.zeros((3, 5), "float32")))
    # the loop's own error: not the layers' check, no time axis named, and Keras 2's rank message there
    own = bool(said) and "ndim=3" not in said and "time" not in said.lower()
    own &= ("must have rank at least 3" in said) == is_keras_2()
    kind, _, text = said.partition(":")
    # the error itself, without Keras's "Exception encountered when calling ..." and TensorFlow's op names
    line = next(
        (line for line in text.splitlines() if line.strip() and not line.strip().startswith("Exception")),
        "",
    )
    line = line.rpartition("}}")[2].partition(" [Op:")[0]
    generic = f"{kind}: {line.strip()[:90]}" if said else "accepted"
    return Evidence(
        refused == ["LSTM", "GRU", "SimpleRNN"] and own and set(shapes.values()) == {(3, 4)},
        f"{messages['LSTM']!r}; the same refusal from {refused}; RNN(LSTMCell): {generic!r}; "
        f"3-D in: {shapes}",
    )


@claim(
    "INPUT-NO-BATCH-AXIS",
    "`keras.Input(shape=(timesteps, features))` describes one sample; Keras adds the batch axis as `None`.",
    page="input-shape.md#why-inputshape-leaves-one-axis-out",
)
def input_has_no_batch_axis():
    shape = tuple(keras().Input(shape=(7, 5)).shape)
    return Evidence(shape == (None, 7, 5), f"Input(shape=(7, 5)).shape = {shape}")


@claim(
    "INPUT-ANY-LENGTH",
    "An LSTM (without `unroll=True`) reads sequences of any length with the same weights: one model on "
    "`keras.Input((None, features))` predicts for each length.",
    page="input-shape.md#why-inputshape-leaves-one-axis-out",
)
def any_length():
    sequences = keras().Input((None, 5))
    layer = keras().layers.LSTM(4)
    model = keras().Model(sequences, layer(sequences))
    # predict traces the model, as fit and serving do: an unrolled LSTM fails here for a second length
    outputs = {steps: model.predict(sample(timesteps=steps), verbose=0).shape for steps in (1, 7, 50)}
    return Evidence(
        set(outputs.values()) == {(3, 4)} and len(layer.weights) == 3,
        f"one model, predict's output shape by timesteps: {outputs}; the LSTM's weight arrays: "
        f"{len(layer.weights)}",
    )


@claim(
    "INPUT-KERAS-2-TIME-MAJOR-RAGGED",
    "Keras 2's `LSTM` also reads `(timesteps, batch, features)` with `time_major=True`, and a "
    "`tf.RaggedTensor` whose sequences differ in length; Keras 3's refuses both.",
    page="input-shape.md#why-inputshape-leaves-one-axis-out",
    depends_on="the Keras: these are Keras 2's options; the ragged input needs TensorFlow",
)
def keras_2_time_major_ragged():
    layers = keras().layers
    time_major = error_of(lambda: layers.LSTM(4, time_major=True))
    if not time_major:
        shape = tuple(layers.LSTM(4, time_major=True)(sample()).shape)  # 3 timesteps of a batch of 7
        time_major = f"accepted: (3, 7, 5) in, {shape} out"
    try:
        import tensorflow as tf
    except ImportError:
        raise NotApplicable("a ragged tensor is TensorFlow's, and TensorFlow is not installed") from None
    ragged = tf.ragged.constant([[[1.0]] * 2, [[1.0]] * 5], ragged_rank=1)  # lengths 2 and 5
    said = error_of(lambda: layers.LSTM(4)(ragged))
    ragged_seen = said.splitlines()[0] if said else f"accepted: {tuple(layers.LSTM(4)(ragged).shape)} out"
    if is_keras_2():
        holds = time_major == "accepted: (3, 7, 5) in, (7, 4) out" and ragged_seen == "accepted: (2, 4) out"
    else:
        holds = "time_major" in time_major and bool(said)
    return Evidence(
        holds, f"time_major=True: {time_major}; sequences of 2 and 5 timesteps, ragged: {ragged_seen}"
    )
