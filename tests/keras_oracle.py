"""Build Keras layers with chosen weights, the oracle every reference test compares against."""

import keras
import numpy as np


def random_lstm_case(seed: int, *, batch: int, timesteps: int, features: int, units: int):
    """Inputs and weights of moderate size, so that gates are neither all open nor all shut."""
    rng = np.random.default_rng(seed)
    scale = 1.0 / np.sqrt(features + units)
    return {
        "x": rng.normal(size=(batch, timesteps, features)).astype("float32"),
        "kernel": rng.normal(scale=scale, size=(features, 4 * units)).astype("float32"),
        "recurrent_kernel": rng.normal(scale=scale, size=(units, 4 * units)).astype("float32"),
        "bias": rng.normal(scale=0.5, size=(4 * units,)).astype("float32"),
        "initial_state": [
            rng.normal(scale=0.5, size=(batch, units)).astype("float32"),
            rng.normal(scale=0.5, size=(batch, units)).astype("float32"),
        ],
        # Mostly real timesteps, some padding, and now and then a row that is all padding.
        "mask": rng.random((batch, timesteps)) < rng.choice([0.0, 0.5, 0.8]),
    }


def keras_lstm(units: int, features: int, weights, **flags) -> keras.layers.LSTM:
    """A built ``keras.layers.LSTM`` holding ``weights`` = (kernel, recurrent_kernel, bias)."""
    layer = keras.layers.LSTM(units, **flags)
    layer.build((None, None, features))
    layer.set_weights(list(weights))
    return layer


def as_numpy(result):
    """Keras returns a tensor or a tuple of tensors; the tests compare NumPy arrays."""
    if isinstance(result, tuple | list):
        return tuple(np.asarray(r) for r in result)
    return np.asarray(result)
