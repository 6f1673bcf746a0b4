"""Claims of the page "RNNs and unrolling" (``docs/rnn-and-unrolling.md``)."""

from __future__ import annotations

import numpy as np

from glossary.claims.keras_backend import KERAS_OWN_LOOP, host_array, keras
from glossary.claims.registry import Evidence, claim
from glossary.claims.samples import built, sample


@claim(
    "LAYER-IS-LOOPED-CELL",
    "An `LSTM` layer is an `RNN` loop around an `LSTMCell`: with the same weights both give the same output.",
    page="rnn-and-unrolling.md#cell-and-layer",
    depends_on=KERAS_OWN_LOOP,
)
def layer_is_looped_cell():
    layer = built(keras().layers.LSTM(4), 5)
    loop = built(keras().layers.RNN(keras().layers.LSTMCell(4)), 5)
    loop.set_weights(layer.get_weights())
    difference = float(np.max(np.abs(host_array(loop(sample())) - host_array(layer(sample())))))
    return Evidence(difference < 1e-6, f"largest difference {difference:.1e}")


@claim(
    "UNROLL-SAME-RESULT",
    "`unroll=True` changes how Keras runs the loop, not its result.",
    page="rnn-and-unrolling.md#unrolling",
    depends_on=KERAS_OWN_LOOP,
)
def unroll_same_result():
    layer = built(keras().layers.LSTM(4), 5)
    unrolled = keras().layers.LSTM(4, unroll=True)
    unrolled.build((None, 7, 5))
    unrolled.set_weights(layer.get_weights())
    difference = float(np.max(np.abs(host_array(unrolled(sample())) - host_array(layer(sample())))))
    return Evidence(difference < 1e-6, f"largest difference {difference:.1e}")
