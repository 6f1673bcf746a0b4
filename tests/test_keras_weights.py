"""glossary.keras_weights: a Keras LSTM's weights split into named gates."""

import keras
import numpy as np
import pytest
from keras_oracle import keras_lstm, random_lstm_case

from glossary import keras_weights, reference


def test_gate_blocks_have_per_gate_shapes():
    """Each gate of LSTM(4) on 5 features owns a (5, 4) kernel, a (4, 4) recurrent kernel and 4 biases."""
    layer = keras.layers.LSTM(4)
    layer.build((None, None, 5))
    gates = keras_weights.lstm_gate_weights(layer)
    assert tuple(gates) == reference.LSTM_GATES
    for gate in gates.values():
        assert gate.kernel.shape == (5, 4)
        assert gate.recurrent_kernel.shape == (4, 4)
        assert gate.bias.shape == (4,)


@pytest.mark.claim("GATE-ORDER")
def test_named_gates_play_their_roles():
    """Equations written with the named blocks, gate by gate, reproduce Keras's LSTM output."""
    case = random_lstm_case(3, batch=3, timesteps=1, features=5, units=4)
    layer = keras_lstm(4, 5, (case["kernel"], case["recurrent_kernel"], case["bias"]))
    gates = keras_weights.lstm_gate_weights(layer)
    x_t = case["x"][:, 0]

    def pre_activation(name):  # the previous hidden state is zero at the first timestep
        return x_t @ gates[name].kernel + gates[name].bias

    input_gate = reference.sigmoid(pre_activation("input_gate"))
    candidate = np.tanh(pre_activation("candidate"))
    output_gate = reference.sigmoid(pre_activation("output_gate"))
    cell_state = input_gate * candidate  # the forget gate multiplies a zero cell state here
    hidden_state = output_gate * np.tanh(cell_state)

    np.testing.assert_allclose(hidden_state, np.asarray(layer(case["x"])), rtol=0, atol=1e-6)


def test_layer_arrays_feed_the_reference():
    """lstm_arrays(layer) gives the reference exactly the arrays that make it agree with the layer."""
    layer = keras.layers.LSTM(6, return_sequences=True)
    x = np.random.default_rng(0).normal(size=(2, 5, 3)).astype("float32")
    expected = np.asarray(layer(x))
    actual = reference.lstm(x, *keras_weights.lstm_arrays(layer), return_sequences=True)
    np.testing.assert_allclose(actual, expected, rtol=0, atol=1e-5)


def test_layer_without_bias():
    """A layer built with use_bias=False has no bias; the reference then adds none."""
    layer = keras.layers.LSTM(3, use_bias=False)
    x = np.random.default_rng(1).normal(size=(2, 4, 2)).astype("float32")
    expected = np.asarray(layer(x))
    kernel, recurrent_kernel, bias = keras_weights.lstm_arrays(layer)
    assert bias is None
    assert keras_weights.lstm_gate_weights(layer)["forget_gate"].bias is None
    np.testing.assert_allclose(reference.lstm(x, kernel, recurrent_kernel, bias), expected, rtol=0, atol=1e-5)


@pytest.mark.parametrize(
    "make_layer, message",
    [
        (lambda: keras.layers.GRU(4), "expected a keras.layers.LSTM, got GRU"),
        (lambda: keras.layers.LSTM(4), "not built yet"),
        (lambda: _built(keras.layers.LSTM(4, activation="relu")), "activation='tanh'"),
    ],
)
def test_wrong_layers_are_refused(make_layer, message):
    """Layers the reference cannot stand in for are refused with a ValueError that says why."""
    with pytest.raises(ValueError, match=message):
        keras_weights.lstm_arrays(make_layer())


def _built(layer):
    layer.build((None, None, 5))
    return layer
