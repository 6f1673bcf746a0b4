"""Small helpers the checks share; Keras is imported only when a check runs."""

from __future__ import annotations

import contextlib
import importlib
import os

import numpy as np

KERAS_MODULE = "GLOSSARY_KERAS"
"""The environment variable naming the Keras to check: ``keras`` (Keras 3, the default) or ``tf_keras``."""


def keras():
    """The Keras the claims run against: Keras 3, or Keras 2 (``tf_keras``) if ``GLOSSARY_KERAS`` says so."""
    return importlib.import_module(os.environ.get(KERAS_MODULE, "keras"))


def backend() -> str:
    """The backend of that Keras; Keras 2 has only TensorFlow."""
    imported = keras()
    return imported.backend.backend() if hasattr(imported.backend, "backend") else "tensorflow"


def is_keras_2() -> bool:
    return keras().__name__ == "tf_keras"


def tensor(array: np.ndarray):
    """``array`` as Keras's own tensor: Keras 2 takes no NumPy array for ``initial_state``."""
    if is_keras_2():
        import tensorflow as tf

        return tf.constant(array)
    return keras().ops.convert_to_tensor(array)


def variable(array: np.ndarray):
    if is_keras_2():
        import tensorflow as tf

        return tf.Variable(array)
    return keras().Variable(array)


def without_gradients():
    """On the PyTorch backend, no autograd: its outputs then convert to NumPy like any other backend's."""
    if backend() != "torch":
        return contextlib.nullcontext()
    import torch

    return torch.no_grad()


def built(layer, features: int):
    """``layer``, built for inputs with ``features`` features and any batch or length."""
    layer.build((None, None, features))
    return layer


def sample(batch: int = 3, timesteps: int = 7, features: int = 5, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(batch, timesteps, features)).astype("float32")


def error_of(call) -> str:
    """The message of the exception ``call`` raises, or '' if it raises none."""
    try:
        call()
    except Exception as error:  # the message is the evidence, whatever the exception
        return f"{type(error).__name__}: {error}"
    return ""


REFERENCE_FUNCTIONS = {"LSTM": "lstm", "GRU": "gru", "SimpleRNN": "simple_rnn"}


def reference_difference(layer_type: str, **options) -> float:
    """The largest |glossary.reference - Keras| for a new layer of ``layer_type`` with the same weights."""
    from glossary import reference

    x = sample(batch=4, timesteps=20, features=5)
    layer = getattr(keras().layers, layer_type)(8, return_sequences=True, **options)
    expected = np.asarray(layer(x))
    run = getattr(reference, REFERENCE_FUNCTIONS[layer_type])
    actual = run(x, *layer.get_weights(), return_sequences=True, **options)
    return float(np.max(np.abs(actual - expected)))
