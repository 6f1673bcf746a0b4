"""Claims of the page "Stacked LSTMs" (``docs/stacked-layers.md``)."""

from __future__ import annotations

from glossary.claims.keras_backend import keras
from glossary.claims.registry import Evidence, claim
from glossary.claims.samples import error_of


@claim(
    "STACK-NEEDS-SEQUENCES",
    "A second LSTM stacked on a first one needs `return_sequences=True` on the first; without it Keras "
    "raises `expected ndim=3, found ndim=2`.",
    page="stacked-layers.md#the-ndim-error-between-layers",
)
def stack_needs_sequences():
    inputs = keras().Input(shape=(7, 5))
    # Named, so that the message quoted as evidence is the same whatever ran before in the process.
    message = error_of(lambda: keras().layers.LSTM(4, name="second")(keras().layers.LSTM(8)(inputs)))
    stacked = keras().layers.LSTM(4)(keras().layers.LSTM(8, return_sequences=True)(inputs))
    holds = "expected ndim=3, found ndim=2" in message and tuple(stacked.shape) == (None, 4)
    return Evidence(holds, f"{message!r}; with return_sequences: {tuple(stacked.shape)}")
