"""Claims of the page "Serve a stream, one reading at a time" (``docs/serving-a-stream.md``)."""

from __future__ import annotations

import numpy as np

from glossary.claims.keras_backend import host_array, is_keras_2, keras
from glossary.claims.registry import Evidence, claim
from glossary.claims.samples import sample
from glossary.claims.tasks.saving_and_serving import forecaster

TOLERANCE = 1e-5
"""float32: one step per call and the layer's own loop add the same products in other orders;
over 20 timesteps the outputs stay within a few units of float32's resolution."""


def trained_forecaster():
    """The page's forecaster, with random weights and biases in place of trained ones.

    Any weights serve the same way; a new model's biases would be zeros (an LSTM's forget block
    ones), which a bias lost or misplaced on the way to the server would leave unchanged.
    """
    model, rng = forecaster(), np.random.default_rng(5)
    model.set_weights([rng.normal(scale=0.5, size=w.shape).astype("float32") for w in model.get_weights()])
    return model


def numpy_lstm_step(x_t, h, c, kernel, recurrent_kernel, bias):
    """One LSTM timestep in NumPy alone, as the page's server writes it: Keras's equations and gate order."""
    z = x_t @ kernel + h @ recurrent_kernel + bias
    i, f, g, o = np.split(z, 4, axis=-1)

    def sigmoid(v):
        return 0.5 * (1 + np.tanh(0.5 * v))

    c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    return sigmoid(o) * np.tanh(c), c


@claim(
    "STATEFUL-STREAM-EQUALS-SEQUENCE",
    "A stateful copy with batch size 1, given a trained model's weights and fed one timestep per "
    "call, ends with the output the trained model gives for the whole sequence; after "
    "`reset_state()` (`reset_states()` in Keras 2), the same holds for the next sequence.",
    page="serving-a-stream.md#let-a-stateful-copy-keep-them",
)
def stateful_stream_equals_sequence():
    model, x = trained_forecaster(), sample(batch=1, timesteps=20, features=3)
    single = keras().Input(batch_shape=(1, 1, 3))
    streaming = keras().Model(single, keras().layers.Dense(1)(keras().layers.LSTM(8, stateful=True)(single)))
    streaming.set_weights(model.get_weights())
    gaps = []
    for sequence in (x, sample(batch=1, timesteps=20, features=3, seed=1)):  # two streams in a row
        for t in range(20):
            streamed = host_array(streaming(sequence[:, t : t + 1]))
        gaps.append(float(np.max(np.abs(streamed - model.predict(sequence, verbose=0)))))
        layer = streaming.layers[1]  # before the next stream: Keras 2 names the call reset_states
        (layer.reset_states if is_keras_2() else layer.reset_state)()
    return Evidence(
        max(gaps) <= TOLERANCE,
        f"20 calls of one timestep vs one call of 20: {gaps[0]:.1e}; after reset_state: {gaps[1]:.1e}",
    )


@claim(
    "CARRIED-STATES-EQUAL-SEQUENCE",
    "Carrying `[h, c]` from call to call, through a one-step Keras model given the trained LSTM's "
    "weights or through the cell's equations written in NumPy alone, then applying the `Dense` "
    "layer's two arrays, ends with the forecast the trained model gives for the whole sequence at once.",
    page="serving-a-stream.md#keep-the-states-yourself",
)
def carried_states_equal_sequence():
    model, x = trained_forecaster(), sample(batch=1, timesteps=20, features=3)
    whole = model.predict(x, verbose=0)
    layers = keras().layers
    reading, carried = keras().Input((1, 3)), [keras().Input((8,)), keras().Input((8,))]
    one_step = layers.LSTM(8, return_state=True)
    _, hidden_state, cell_state = one_step(reading, initial_state=carried)
    step = keras().Model([reading, *carried], [hidden_state, cell_state])
    one_step.set_weights(model.get_layer("lstm").get_weights())
    kernel, recurrent_kernel, bias = model.get_layer("lstm").get_weights()
    dense_kernel, dense_bias = model.get_layer("forecast").get_weights()
    in_keras = in_numpy = [np.zeros((1, 8), "float32")] * 2
    for t in range(20):
        in_keras = [host_array(state) for state in step([x[:, t : t + 1], *in_keras])]
        in_numpy = numpy_lstm_step(x[:, t], *in_numpy, kernel, recurrent_kernel, bias)
    gaps = {
        "Keras step model": float(np.max(np.abs(in_keras[0] @ dense_kernel + dense_bias - whole))),
        "NumPy step": float(np.max(np.abs(in_numpy[0] @ dense_kernel + dense_bias - whole))),
    }
    return Evidence(
        max(gaps.values()) <= TOLERANCE,
        "; ".join(f"{way} vs the whole sequence: {gap:.1e}" for way, gap in gaps.items()),
    )
