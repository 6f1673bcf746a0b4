"""Claims of the page "Stacked LSTMs" (``docs/stacked-layers.md``)."""

from __future__ import annotations

import numpy as np

from glossary.claims.keras_backend import KERAS_OWN_LOOP, host_array, keras
from glossary.claims.registry import Evidence, claim
from glossary.claims.samples import NONZERO_LSTM_BIASES, error_of, random_biases, sample


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


@claim(
    "STACKED-CELLS-ONE-LAYER",
    "`keras.layers.RNN([LSTMCell(8), LSTMCell(4)])` is a two-level stack in one layer: given the same "
    "weights it returns what `LSTM(8, return_sequences=True)` followed by `LSTM(4)` returns, and with "
    "`return_state=True` it returns the `[h, c]` of every level, not only the top one's.",
    page="stacked-layers.md#one-layer-of-stacked-cells",
    depends_on=KERAS_OWN_LOOP,
)
def stacked_cells_one_layer():
    layers = keras().layers
    x = sample()
    # random biases in every block, so a level's bias read into the other level would show
    options = {"bias_initializer": random_biases(), **NONZERO_LSTM_BIASES}
    cells = layers.RNN([layers.LSTMCell(8, **options), layers.LSTMCell(4, **options)], return_state=True)
    output, *states = cells(x)
    first, second = layers.LSTM(8, return_sequences=True), layers.LSTM(4)
    second(first(x))
    first.set_weights(cells.get_weights()[:3])
    second.set_weights(cells.get_weights()[3:])
    difference = float(np.max(np.abs(host_array(second(first(x))) - host_array(output))))
    shapes = [[tuple(state.shape) for state in level] for level in states]
    return Evidence(
        difference < 1e-6 and shapes == [[(3, 8), (3, 8)], [(3, 4), (3, 4)]],
        f"largest difference from two LSTM layers with the same weights: {difference:.1e}; "
        f"states returned, by level: {shapes}",
    )
