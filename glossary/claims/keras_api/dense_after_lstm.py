"""Claims of the page "Dense after an LSTM" (``docs/dense-after-lstm.md``)."""

from __future__ import annotations

import numpy as np

from glossary.claims.keras_backend import host_array, keras
from glossary.claims.registry import Evidence, claim
from glossary.claims.samples import sample


@claim(
    "DENSE-PER-TIMESTEP",
    "`Dense` after `return_sequences=True` acts on every timestep with one shared weight matrix, as "
    "`TimeDistributed(Dense)` does: the same numbers to 1e-6 in float32, the same parameter count.",
    page="dense-after-lstm.md",
)
def dense_per_timestep():
    sequence = keras().layers.LSTM(4, return_sequences=True)(sample())
    dense = keras().layers.Dense(2)
    direct = host_array(dense(sequence))
    wrapper = keras().layers.TimeDistributed(dense)
    wrapped = host_array(wrapper(sequence))
    holds = (
        direct.shape == (3, 7, 2)
        and np.allclose(direct, wrapped, rtol=0, atol=1e-6)  # float32: one product, reshaped or not
        and dense.count_params() == wrapper.count_params() == 10
    )
    return Evidence(
        holds,
        f"shape {direct.shape}, parameters {dense.count_params()}, "
        f"TimeDistributed's {wrapper.count_params()}, the same numbers",
    )
