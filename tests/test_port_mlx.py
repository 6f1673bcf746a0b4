"""glossary.port.mlx: Keras weights in MLX's nn.LSTM and nn.GRU, and back, run by MLX (its CPU build here)."""

import numpy as np
import pytest
from port_reference import (
    FEATURES,
    UNITS,
    assert_close,
    assert_identical,
    inputs,
    keras_layer,
    keras_weights,
    one_line,
)

from glossary.port import mlx as port

mx = pytest.importorskip("mlx.core")
mlx_nn = pytest.importorskip("mlx.nn")

CASES = pytest.mark.parametrize(("kind", "directions"), [("lstm", 1), ("lstm", 2), ("gru", 1), ("gru", 2)])
TO_MLX = {"lstm": port.lstm_to_mlx, "gru": port.gru_to_mlx}
FROM_MLX = {"lstm": port.lstm_from_mlx, "gru": port.gru_from_mlx}


def mlx_layers(kind: str, directions: int) -> list:
    """One MLX layer per direction, each with its own random parameters."""
    mx.random.seed(0)
    return [(mlx_nn.LSTM if kind == "lstm" else mlx_nn.GRU)(FEATURES, UNITS) for _ in range(directions)]


def load(layers: list, params: dict) -> None:
    for layer, each in zip(layers, [params] if len(layers) == 1 else params.values(), strict=True):
        layer.update({name: mx.array(array) for name, array in each.items()})


def read(layers: list) -> dict:
    params = [{name: np.array(value) for name, value in layer.parameters().items()} for layer in layers]
    return params[0] if len(params) == 1 else dict(zip(("forward", "backward"), params, strict=True))


def run_mlx(kind: str, layers: list, x: np.ndarray):
    """The outputs as Keras's Bidirectional concatenates them, and the final states per direction."""
    sequences, states = [], []
    for direction, layer in enumerate(layers):
        result = layer(mx.array(np.ascontiguousarray(x[:, ::-1] if direction else x)))
        every_state = [np.array(array) for array in (result if kind == "lstm" else [result])]
        states.append([sequence[:, -1] for sequence in every_state])  # the last timestep processed
        sequences.append(every_state[0][:, ::-1] if direction else every_state[0])
    return np.concatenate(sequences, axis=-1), states


@CASES
def test_keras_weights_run_in_mlx(kind, directions):
    """A Keras layer's weights in MLX give Keras's outputs and final states."""
    rng = np.random.default_rng(1)
    weights, x = keras_weights(rng, kind, directions=directions), inputs(rng)
    layers = mlx_layers(kind, directions)
    load(layers, TO_MLX[kind](weights))
    output, states = run_mlx(kind, layers, x)
    expected, expected_states = keras_layer(kind, weights, x)
    assert_close(output, expected, f"mlx {kind} Keras->MLX")
    for got, want in zip(states, expected_states, strict=True):
        assert_close(np.stack(got), np.stack(want), f"mlx {kind} Keras->MLX")


@CASES
def test_mlx_weights_run_in_keras(kind, directions):
    """An MLX layer's parameters, read as Keras weights, give what MLX computes with them."""
    rng = np.random.default_rng(2)
    layers, x = mlx_layers(kind, directions), inputs(rng)
    output, states = run_mlx(kind, layers, x)
    expected, expected_states = keras_layer(kind, FROM_MLX[kind](read(layers)), x)
    assert_close(expected, output, f"mlx {kind} MLX->Keras")
    for got, want in zip(states, expected_states, strict=True):
        assert_close(np.stack(want), np.stack(got), f"mlx {kind} MLX->Keras")


@CASES
def test_mlx_to_keras_and_back_is_identical(kind, directions):
    """MLX parameters taken to Keras and back come back as the same arrays."""
    params = read(mlx_layers(kind, directions))
    back = TO_MLX[kind](FROM_MLX[kind](params))
    flat = [params] if directions == 1 else list(params.values())
    back_flat = [back] if directions == 1 else list(back.values())
    for got, want in zip(back_flat, flat, strict=True):
        assert list(got) == list(want)
        assert_identical(list(got.values()), list(want.values()))


def test_keras_lstm_to_mlx_and_back_is_identical():
    """A Keras LSTM's weights taken to MLX and back come back as the same arrays."""
    weights = keras_weights(np.random.default_rng(3), "lstm", directions=2)
    assert_identical(port.lstm_from_mlx(port.lstm_to_mlx(weights)), weights)


def test_keras_gru_to_mlx_and_back_is_the_same_layer():
    """A Keras GRU taken to MLX and back keeps its kernels; MLX has one bias for the update and reset
    gates, so their two Keras biases come back summed in bias[0], which computes the same layer."""
    rng = np.random.default_rng(4)
    weights, x = keras_weights(rng, "gru"), inputs(rng)
    back = port.gru_from_mlx(port.gru_to_mlx(weights))
    assert_identical(back[:2], weights[:2])
    np.testing.assert_array_equal(back[2][1, : 2 * UNITS], 0.0)
    np.testing.assert_array_equal(back[2][1, 2 * UNITS :], weights[2][1, 2 * UNITS :])
    assert_close(keras_layer("gru", back, x)[0], keras_layer("gru", weights, x)[0], "mlx gru round trip")


def test_a_gru_that_resets_before_is_refused():
    """mlx.nn.GRU resets after the recurrent product: a Keras GRU with reset_after=False is refused."""
    weights = keras_weights(np.random.default_rng(5), "gru", reset_after=False)
    with pytest.raises(ValueError, match="reset_after=True, this GRU has reset_after=False") as error:
        port.gru_to_mlx(weights)
    one_line(error.value)


def test_wrong_names_and_shapes_are_refused():
    """A missing or unknown name, or a wrong shape, fails naming it."""
    rng = np.random.default_rng(6)
    params = port.gru_to_mlx(keras_weights(rng, "gru"))
    with pytest.raises(ValueError, match=r"expected mlx.nn.LSTM's \['Wx', 'Wh', 'bias'\]") as error:
        port.lstm_from_mlx(params)
    one_line(error.value)
    params["bhn"] = params["bhn"][:-1]
    with pytest.raises(
        ValueError, match=r"bhn: expected \(1 \* units,\) = \(4,\), got shape \(3,\)"
    ) as error:
        port.gru_from_mlx(params)
    one_line(error.value)
    params = port.lstm_to_mlx(keras_weights(rng, "lstm"))
    params["Wh"] = params["Wh"].T
    with pytest.raises(ValueError, match=r"Wh: expected \(4 \* units, units\)") as error:
        port.lstm_from_mlx(params)
    one_line(error.value)
    with pytest.raises(ValueError, match="got list"):
        port.lstm_from_mlx([params])
