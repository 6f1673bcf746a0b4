"""Claims of the page "Input shape" (``docs/input-shape.md``)."""

from __future__ import annotations

import numpy as np

from glossary.claims.keras_backend import keras
from glossary.claims.registry import Evidence, claim
from glossary.claims.samples import error_of, sample


@claim(
    "INPUT-3D",
    "A Keras recurrent layer reads `(batch, timesteps, features)` and refuses a 2-D array with "
    "`expected ndim=3, found ndim=2`.",
    page="input-shape.md#expected-ndim3-found-ndim2",
)
def input_is_3d():
    # Named, so that the message quoted as evidence is the same whatever ran before in the process.
    message = error_of(lambda: keras().layers.LSTM(4, name="lstm")(np.zeros((3, 5), "float32")))
    shape = tuple(keras().layers.LSTM(4)(sample()).shape)
    return Evidence(
        "expected ndim=3, found ndim=2" in message and shape == (3, 4), f"{message!r}; 3-D in: {shape}"
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
    "A recurrent layer reads sequences of any length with the same weights.",
    page="input-shape.md#why-inputshape-leaves-one-axis-out",
)
def any_length():
    layer = keras().layers.LSTM(4)
    outputs = {steps: tuple(layer(sample(timesteps=steps)).shape) for steps in (1, 7, 50)}
    return Evidence(
        set(outputs.values()) == {(3, 4)} and len(layer.weights) == 3, f"output shape by timesteps: {outputs}"
    )
