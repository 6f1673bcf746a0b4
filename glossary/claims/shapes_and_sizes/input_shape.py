"""Claims of the page "Input shape" (``docs/input-shape.md``)."""

from __future__ import annotations

import numpy as np

from glossary.claims.keras_backend import keras
from glossary.claims.registry import Evidence, claim
from glossary.claims.samples import error_of, sample


@claim(
    "INPUT-3D",
    "Keras's recurrent layers read `(batch, timesteps, features)`: `LSTM`, `GRU` and `SimpleRNN` refuse a "
    "2-D array with `expected ndim=3, found ndim=2`; the generic `RNN` around a cell refuses it too, "
    "with an error of its loop that does not say so.",
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
    generic = messages["RNN"].splitlines()[0] if messages["RNN"] else "accepted"
    return Evidence(
        refused == ["LSTM", "GRU", "SimpleRNN"]
        and generic != "accepted"
        and set(shapes.values()) == {(3, 4)},
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
    "A recurrent layer reads sequences of any length with the same weights.",
    page="input-shape.md#why-inputshape-leaves-one-axis-out",
)
def any_length():
    layer = keras().layers.LSTM(4)
    outputs = {steps: tuple(layer(sample(timesteps=steps)).shape) for steps in (1, 7, 50)}
    return Evidence(
        set(outputs.values()) == {(3, 4)} and len(layer.weights) == 3, f"output shape by timesteps: {outputs}"
    )
