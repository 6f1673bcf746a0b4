"""Claims of the page "Input shape" (``docs/input-shape.md``)."""

from __future__ import annotations

import numpy as np

from glossary.claims.keras_backend import backend, is_keras_2, keras
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
    "INPUT-KERAS-2-TIME-MAJOR",
    "Keras 2's `LSTM` also reads `(timesteps, batch, features)` with `time_major=True`; Keras 3's "
    "rejects `time_major` as an unknown argument.",
    page="input-shape.md#why-inputshape-leaves-one-axis-out",
)
def keras_2_time_major():
    layers = keras().layers
    said = error_of(lambda: layers.LSTM(4, time_major=True))
    if is_keras_2():
        seen = said or f"accepted: (3, 7, 5) in, {tuple(layers.LSTM(4, time_major=True)(sample()).shape)} out"
        holds = seen == "accepted: (3, 7, 5) in, (7, 4) out"  # 3 timesteps of a batch of 7
    else:
        seen = said
        holds = "Unrecognized keyword arguments passed to LSTM: {'time_major': True}" in said
    return Evidence(holds, f"Keras {keras().__version__}, time_major=True: {seen}")


RAGGED_IN_KERAS_3 = "Cannot index into an inner ragged dimension."
"""What Keras 3's LSTM says of a ragged tensor: its loop indexes the time axis, which is ragged."""


@claim(
    "INPUT-KERAS-2-RAGGED",
    "Keras 2's `LSTM` also reads a `tf.RaggedTensor` whose sequences differ in length, each row giving "
    "what that sequence alone gives; in Keras 3 on "
    f"TensorFlow such a tensor fails inside the layer: '{RAGGED_IN_KERAS_3}'",
    page="input-shape.md#why-inputshape-leaves-one-axis-out",
    depends_on="TensorFlow, whose tensor a ragged tensor is, as Keras's backend",
)
def keras_2_ragged():
    if not is_keras_2() and backend() != "tensorflow":
        raise NotApplicable(f"a ragged tensor is TensorFlow's; Keras 3's backend here is {backend()}")
    try:
        import tensorflow as tf
    except ImportError:
        raise NotApplicable("a ragged tensor is TensorFlow's, and TensorFlow is not installed") from None
    layers = keras().layers
    # Random steps, so that a row read in another order (reversed) differs.
    steps = sample(batch=1, timesteps=7, features=1)[0]
    rows = [steps[:2], steps[2:]]  # lengths 2 and 5
    ragged = tf.RaggedTensor.from_row_lengths(np.concatenate(rows), [2, 5])
    said = message_of(lambda: layers.LSTM(4)(ragged))
    if is_keras_2():
        if said:
            seen, holds = said.splitlines()[0], False
        else:
            layer = layers.LSTM(4)
            out = layer(ragged).numpy()
            # each row must be that sequence run alone: a row read reversed is 5e-3 to 0.1 off here,
            # and the short row padded at its end to the longest and run unmasked, about 1e-3
            alone = [layer(tf.constant(row[None])).numpy()[0] for row in rows]
            gap = max(float(np.max(np.abs(out[i] - alone[i]))) for i in range(2))
            # float32 outputs of size below 1: 1e-6 is rounding, far below either mistake
            holds = out.shape == (2, 4) and gap < 1e-6
            seen = f"accepted: {out.shape} out, each row {gap:.1e} from its sequence run alone"
    else:
        seen = next((line for line in said.splitlines() if RAGGED_IN_KERAS_3 in line), said[:200])
        holds = RAGGED_IN_KERAS_3 in said
    return Evidence(holds, f"Keras {keras().__version__}, sequences of 2 and 5 timesteps, ragged: {seen}")
