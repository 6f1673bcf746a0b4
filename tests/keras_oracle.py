"""Build Keras layers with chosen weights, the oracle every reference test compares against.

The Keras is the one the claims run against: Keras 3, or Keras 2 where ``GLOSSARY_KERAS=tf_keras``
(the compatibility matrix runs both).
"""

import numpy as np
from hypothesis import strategies as st

from glossary import reference
from glossary.claims.keras_backend import backend, host_array, is_keras_2, tensor
from glossary.claims.keras_backend import keras as selected_keras

keras = selected_keras()
KERAS_2 = is_keras_2()
BACKEND = backend()

LAYERS = {
    "LSTM": (keras.layers.LSTM, reference.lstm, 4, 2),
    "GRU": (keras.layers.GRU, reference.gru, 3, 1),
    "SimpleRNN": (keras.layers.SimpleRNN, reference.simple_rnn, 1, 1),
}
"""name: (Keras layer, reference function, gate blocks, number of states)."""


def random_case(
    seed: int, layer: str = "LSTM", *, batch: int, timesteps: int, features: int, units: int, **options
):
    """Inputs and weights of moderate size, so that gates are neither all open nor all shut."""
    _, _, gates, state_count = LAYERS[layer]
    rng = np.random.default_rng(seed)
    scale = 1.0 / np.sqrt(features + units)
    two_bias_rows = layer == "GRU" and options.get("reset_after", True)
    return {
        "x": rng.normal(size=(batch, timesteps, features)).astype("float32"),
        "kernel": rng.normal(scale=scale, size=(features, gates * units)).astype("float32"),
        "recurrent_kernel": rng.normal(scale=scale, size=(units, gates * units)).astype("float32"),
        "bias": rng.normal(scale=0.5, size=(2, gates * units) if two_bias_rows else (gates * units,)).astype(
            "float32"
        ),
        "initial_state": [
            rng.normal(scale=0.5, size=(batch, units)).astype("float32") for _ in range(state_count)
        ],
        # Mostly real timesteps, some padding, and now and then a row that is all padding.
        "mask": rng.random((batch, timesteps)) < rng.choice([0.0, 0.5, 0.8]),
    }


def random_lstm_case(seed: int, **sizes):
    return random_case(seed, "LSTM", **sizes)


def keras_layer(layer: str, units: int, features: int, weights, **flags):
    """A built Keras layer of type ``layer`` holding ``weights`` = (kernel, recurrent_kernel, bias)."""
    built = LAYERS[layer][0](units, **flags)
    built.build((None, None, features))
    built.set_weights(list(weights))
    return built


def keras_lstm(units: int, features: int, weights, **flags):
    return keras_layer("LSTM", units, features, weights, **flags)


def as_numpy(result):
    """Keras returns a tensor or a tuple of tensors; the tests compare NumPy arrays."""
    if isinstance(result, tuple | list):
        return tuple(as_numpy(r) for r in result)
    return host_array(result)  # the claims' conversion: copies a GPU tensor to the host too


def call_inputs(initial_state, mask):
    """Keras 2 takes tensors, not NumPy arrays, for ``initial_state`` and ``mask``."""
    convert = tensor if KERAS_2 else (lambda array: array)
    return {
        "initial_state": None if initial_state is None else [convert(s) for s in initial_state],
        "mask": None if mask is None else convert(mask),
    }


# Layer sizes the random tests draw: small enough for Keras's eager loop, large enough to mix.
sizes = st.fixed_dictionaries(
    {
        "units": st.integers(1, 64),
        "features": st.integers(1, 16),
        "timesteps": st.integers(1, 40),
        "batch": st.integers(1, 8),
    }
)
