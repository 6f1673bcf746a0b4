"""Small helpers the checks share; Keras is imported only when a check runs."""

from __future__ import annotations

import numpy as np


def keras():
    import keras as imported

    return imported


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
