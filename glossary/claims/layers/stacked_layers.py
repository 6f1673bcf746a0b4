"""Claims of the page "Stacked LSTMs" (``docs/stacked-layers.md``)."""

from __future__ import annotations

from glossary.claims.keras_backend import keras
from glossary.claims.registry import Evidence, claim
from glossary.claims.samples import error_of


@claim(
    "STACK-NEEDS-SEQUENCES",
    "A second LSTM stacked on a first one needs `return_sequences=True` on the first; without it Keras "
    "raises `expected ndim=3, found ndim=2`, the error a 2-D input to the first layer gives.",
    page="stacked-layers.md#the-ndim-error-between-layers",
)
def stack_needs_sequences():
    inputs = keras().Input(shape=(7, 5))
    # Named, so that the message quoted as evidence is the same whatever ran before in the process.
    message = error_of(lambda: keras().layers.LSTM(4, name="second")(keras().layers.LSTM(8)(inputs)))
    first_fed_2d = error_of(lambda: keras().layers.LSTM(4, name="second")(keras().Input(shape=(8,))))
    stacked = keras().layers.LSTM(4)(keras().layers.LSTM(8, return_sequences=True)(inputs))
    holds = (
        "expected ndim=3, found ndim=2" in message
        and message == first_fed_2d
        and tuple(stacked.shape) == (None, 4)
    )
    return Evidence(
        holds,
        f"{message!r}; the same for a 2-D input: {message == first_fed_2d}; "
        f"with return_sequences: {tuple(stacked.shape)}",
    )
