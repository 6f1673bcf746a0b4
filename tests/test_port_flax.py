"""glossary.port.flax: Keras weights in Flax's LSTM and GRU cells, linen and nnx, and back, run by Flax."""

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

from glossary.port import flax as port
from glossary.port.layout import keras_layout

jax = pytest.importorskip("jax")
linen = pytest.importorskip("flax.linen")
nnx = pytest.importorskip("flax.nnx")

CELLS = [("lstm", cell) for cell in port.LSTM_CELLS] + [("gru", cell) for cell in port.GRU_CELLS]
CASES = pytest.mark.parametrize(
    ("kind", "cell", "directions"), [(*pair, directions) for pair in CELLS for directions in (1, 2)]
)
TO_FLAX = {"lstm": port.lstm_to_flax, "gru": port.gru_to_flax}
FROM_FLAX = {"lstm": port.lstm_from_flax, "gru": port.gru_from_flax}


def flax_module(cell: str, directions: int):
    """``RNN(cell)``, or a ``Bidirectional`` of two, that return their carries too."""
    api, name = cell.split(".")
    if api == "linen":
        cells = [getattr(linen, name)(UNITS) for _ in range(directions)]
        rnns = [linen.RNN(each, return_carry=True) for each in cells]
        return rnns[0] if directions == 1 else linen.Bidirectional(*rnns, return_carry=True)
    rnns = [
        nnx.RNN(getattr(nnx, name)(FEATURES, UNITS, rngs=nnx.Rngs(seed)), return_carry=True)
        for seed in range(directions)
    ]
    return rnns[0] if directions == 1 else nnx.Bidirectional(*rnns, return_carry=True)


def run_flax(cell: str, module, params: dict, x: np.ndarray):
    """Flax's outputs, and its final states as Keras orders them: one list per direction."""
    if cell.startswith("linen."):
        carry, output = module.apply({"params": params}, x)
    else:
        state = nnx.state(module, nnx.Param)
        nnx.replace_by_pure_dict(state, jax.tree_util.tree_map(jax.numpy.asarray, params))
        nnx.update(module, state)
        carry, output = module(x)
    layout = port.LSTM_CELLS.get(cell) or port.GRU_CELLS[cell]
    carries = [carry] if "cell" in params else list(carry)
    states = []
    for each in carries:
        named = dict(zip(layout.states, each if len(layout.states) == 2 else [each], strict=True))
        states.append([np.asarray(named[name]) for name in keras_layout(layout).states])
    return np.asarray(output), states


def flax_params(cell: str, module, rng) -> dict:
    """The module's parameters as NumPy arrays, each drawn at random (Flax starts biases at zero)."""
    if cell.startswith("linen."):
        shapes = module.init(jax.random.key(0), np.zeros((1, 2, FEATURES), np.float32))["params"]
    else:
        shapes = nnx.to_pure_dict(nnx.state(module, nnx.Param))
    return jax.tree_util.tree_map(
        lambda leaf: rng.normal(scale=0.5, size=leaf.shape).astype(np.float32), shapes
    )


def nnx_ready(weights: list[np.ndarray]) -> list[np.ndarray]:
    """The weights with the candidate's recurrent bias zeroed: nnx.GRUCell has no place for it."""
    for bias in weights[2::3]:
        bias[1, 2 * UNITS :] = 0.0
    return weights


@CASES
def test_keras_weights_run_in_flax(kind, cell, directions):
    """A Keras layer's weights as a Flax cell's parameters give Keras's outputs and final states."""
    rng = np.random.default_rng(1)
    weights, x = keras_weights(rng, kind, directions=directions), inputs(rng)
    if cell == "nnx.GRUCell":
        weights = nnx_ready(weights)
    output, states = run_flax(cell, flax_module(cell, directions), TO_FLAX[kind](weights, cell), x)
    expected, expected_states = keras_layer(kind, weights, x)
    assert_close(output, expected, f"flax {cell} Keras->Flax")
    for got, want in zip(states, expected_states, strict=True):
        assert_close(np.stack(got), np.stack(want), f"flax {cell} Keras->Flax")


@CASES
def test_flax_weights_run_in_keras(kind, cell, directions):
    """A Flax cell's parameters, read as Keras weights, give what Flax computes with them."""
    rng = np.random.default_rng(2)
    module, x = flax_module(cell, directions), inputs(rng)
    params = flax_params(cell, module, rng)
    output, states = run_flax(cell, module, params, x)
    expected, expected_states = keras_layer(kind, FROM_FLAX[kind](params, cell), x)
    assert_close(expected, output, f"flax {cell} Flax->Keras")
    for got, want in zip(states, expected_states, strict=True):
        assert_close(np.stack(want), np.stack(got), f"flax {cell} Flax->Keras")


@CASES
def test_flax_to_keras_and_back_is_identical(kind, cell, directions):
    """A Flax cell's parameters taken to Keras and back come back as the same arrays."""
    rng = np.random.default_rng(3)
    params = flax_params(cell, flax_module(cell, directions), rng)
    back = TO_FLAX[kind](FROM_FLAX[kind](params, cell), cell)
    leaves, structure = jax.tree_util.tree_flatten(params)
    back_leaves, back_structure = jax.tree_util.tree_flatten(back)
    assert back_structure == structure
    assert_identical(back_leaves, leaves)


@pytest.mark.parametrize("cell", port.LSTM_CELLS)
def test_keras_lstm_to_flax_and_back_is_identical(cell):
    """A Keras LSTM's weights taken to Flax and back come back as the same arrays."""
    weights = keras_weights(np.random.default_rng(4), "lstm", directions=2)
    assert_identical(port.lstm_from_flax(port.lstm_to_flax(weights, cell), cell), weights)


@pytest.mark.parametrize("cell", port.GRU_CELLS)
def test_keras_gru_to_flax_and_back_is_the_same_layer(cell):
    """A Keras GRU taken to Flax and back keeps its kernels; Flax has one bias for the update and reset
    gates, so their two Keras biases come back summed in bias[0], which computes the same layer."""
    rng = np.random.default_rng(5)
    weights, x = nnx_ready(keras_weights(rng, "gru")), inputs(rng)
    back = port.gru_from_flax(port.gru_to_flax(weights, cell), cell)
    assert_identical(back[:2], weights[:2])
    np.testing.assert_array_equal(back[2][1, : 2 * UNITS], 0.0)
    assert_close(keras_layer("gru", back, x)[0], keras_layer("gru", weights, x)[0], f"flax {cell} round trip")


def test_a_gru_that_resets_before_is_refused():
    """Flax's GRU cells reset after the recurrent product: a Keras GRU with reset_after=False is refused."""
    weights = keras_weights(np.random.default_rng(6), "gru", reset_after=False)
    with pytest.raises(ValueError, match="reset_after=True, this GRU has reset_after=False") as error:
        port.gru_to_flax(weights)
    one_line(error.value)


def test_nnx_gru_refuses_a_recurrent_candidate_bias():
    """nnx.GRUCell has no bias inside its reset gate, so a nonzero recurrent candidate bias is refused."""
    weights = keras_weights(np.random.default_rng(7), "gru")
    with pytest.raises(
        ValueError, match=r"flax\.nnx\.GRUCell has no recurrent bias inside the reset gate"
    ) as error:
        port.gru_to_flax(weights, "nnx.GRUCell")
    one_line(error.value)
    port.gru_to_flax(weights, "linen.GRUCell")  # linen's GRUCell has one, "hn"'s bias


def test_unknown_cells_names_and_shapes_are_refused():
    """An unknown cell, a missing or unknown parameter, or a wrong shape fails naming it."""
    rng = np.random.default_rng(8)
    weights = keras_weights(rng, "lstm")
    with pytest.raises(ValueError, match=r"cell: expected one of linen\.LSTMCell") as error:
        port.lstm_to_flax(weights, "linen.GRUCell")
    one_line(error.value)
    params = port.lstm_to_flax(weights)
    params["cell"]["hx"] = params["cell"].pop("hi")
    with pytest.raises(ValueError, match=r"params/cell: missing \['hi'\], unexpected \['hx'\]") as error:
        port.lstm_from_flax(params)
    one_line(error.value)
    params = port.lstm_to_flax(weights, "nnx.LSTMCell")
    with pytest.raises(ValueError, match=r"missing \['if'\], unexpected \['if_'\]"):
        port.lstm_from_flax(params, "linen.LSTMCell")
    params = port.gru_to_flax(nnx_ready(keras_weights(rng, "gru")), "nnx.GRUCell")
    params["cell"]["dense_h"]["bias"] = np.zeros(3 * UNITS, np.float32)  # linen's hn has one, nnx's not
    with pytest.raises(
        ValueError, match=r"params/cell/dense_h: expected \['kernel'\], got \['bias', 'kernel'\]"
    ):
        port.gru_from_flax(params, "nnx.GRUCell")
    params = port.lstm_to_flax(weights, "nnx.OptimizedLSTMCell")
    params["cell"]["dense_h"]["bias"] = params["cell"]["dense_h"]["bias"][:-1]
    with pytest.raises(
        ValueError, match=r"params/cell/dense_h/bias: expected \(4 \* units,\) = \(16,\)"
    ) as error:
        port.lstm_from_flax(params, "nnx.OptimizedLSTMCell")
    one_line(error.value)
    with pytest.raises(ValueError, match=r"expected the keys \['cell'\]") as error:
        port.lstm_from_flax({"params": port.lstm_to_flax(weights)})
    one_line(error.value)
