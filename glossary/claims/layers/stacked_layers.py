"""Claims of the page "Stacked LSTMs" (``docs/stacked-layers.md``)."""

from __future__ import annotations

from unittest import mock

import numpy as np

from glossary.claims.keras_backend import KERAS_OWN_LOOP, host_array, is_keras_2, keras
from glossary.claims.registry import Evidence, NotApplicable, claim
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
    "`return_state=True` it returns the last timestep's `[h, c]` of every level, lowest first, not only "
    "the top one's.",
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
    first = layers.LSTM(8, return_sequences=True, return_state=True)
    second = layers.LSTM(4, return_state=True)
    second(first(x)[0])
    first.set_weights(cells.get_weights()[:3])
    second.set_weights(cells.get_weights()[3:])
    sequence, h_low, c_low = first(x)
    top, h_top, c_top = second(sequence)
    # each level's [h, c] against the matching layer's (state_h, state_c): h and c of one level have
    # the same shape, so only their values tell them apart, and from the initial or another step's
    expected = {
        "output": (output, top),
        "level 1 h": (states[0][0], h_low),
        "level 1 c": (states[0][1], c_low),
        "level 2 h": (states[1][0], h_top),
        "level 2 c": (states[1][1], c_top),
        "level 2 h = output": (states[1][0], output),
    }
    differences = {
        name: float(np.max(np.abs(host_array(got) - host_array(want)))) if got.shape == want.shape else np.inf
        for name, (got, want) in expected.items()
    }
    shapes = [[tuple(state.shape) for state in level] for level in states]
    # float32 sums of a few products: 1e-6 is far above rounding, far below a wrong state's 1e-2
    return Evidence(
        all(difference < 1e-6 for difference in differences.values()) and len(states) == 2,
        "largest difference from two LSTM layers with the same weights: "
        + ", ".join(f"{name} {difference:.1e}" for name, difference in differences.items())
        + f"; states returned, by level: {shapes}",
    )


@claim(
    "STACKED-CELLS-GENERIC-LOOP",
    "Keras 3's `RNN` layer over cells always runs Keras's generic loop: it takes no `use_cudnn` and never "
    "calls the backend's fused `lstm` function, through which an `LSTM` layer reaches cuDNN's kernel.",
    page="stacked-layers.md#one-layer-of-stacked-cells",
    depends_on="Keras 3: the check counts the calls to its backend's `lstm` function",
)
def stacked_cells_generic_loop():
    if is_keras_2():
        raise NotApplicable("the check counts the calls to Keras 3's backend.lstm, which Keras 2 has not")
    from keras.src import backend as keras_backend  # the module whose lstm the LSTM layer calls

    layers = keras().layers
    x = sample()
    refused = error_of(lambda: layers.RNN([layers.LSTMCell(4)], use_cudnn=True))
    stacked = layers.RNN([layers.LSTMCell(8), layers.LSTMCell(4)])
    calls = {}
    for name, layer in (("RNN([LSTMCell(8), LSTMCell(4)])", stacked), ("LSTM(4)", layers.LSTM(4))):
        with mock.patch.object(keras_backend, "lstm", wraps=keras_backend.lstm) as fused:
            layer(x)
        calls[name] = fused.call_count
    holds = "use_cudnn" in refused and calls == {"RNN([LSTMCell(8), LSTMCell(4)])": 0, "LSTM(4)": 1}
    return Evidence(
        holds, f"RNN(..., use_cudnn=True): {refused}; calls to backend.lstm, one call of each layer: {calls}"
    )
