"""glossary.port.torch: Keras weights in PyTorch's nn.LSTM and nn.GRU, and back, run by PyTorch."""

import itertools

import numpy as np
import pytest
from port_reference import (
    FEATURES,
    UNITS,
    assert_close,
    assert_identical,
    inputs,
    keras_stack,
    keras_weights,
    one_line,
)

from glossary.port import torch as port

torch = pytest.importorskip("torch")

TO_TORCH = {"lstm": port.lstm_to_torch, "gru": port.gru_to_torch}
FROM_TORCH = {"lstm": port.lstm_from_torch, "gru": port.gru_from_torch}
MODULES = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU}
SHAPES = pytest.mark.parametrize(
    ("kind", "directions", "num_layers"), list(itertools.product(["lstm", "gru"], [1, 2], [1, 3]))
)


def torch_module(kind: str, directions: int, num_layers: int, seed: int = 0):
    torch.manual_seed(seed)
    return MODULES[kind](
        FEATURES, UNITS, num_layers=num_layers, bidirectional=directions == 2, batch_first=True
    )


def run_torch(module, x: np.ndarray):
    """The module's output and its final states, each (num_layers * directions, batch, units)."""
    with torch.no_grad():
        output, final = module(torch.from_numpy(x))
    final = final if isinstance(final, tuple) else (final,)
    return output.numpy(), [state.numpy() for state in final]


def stacked_states(states: list[list[list[np.ndarray]]]) -> list[np.ndarray]:
    """Every layer's and direction's final states in PyTorch's order: layer by layer, forward first."""
    per_direction = [direction for layer in states for direction in layer]
    return [
        np.stack([direction[index] for direction in per_direction]) for index in range(len(per_direction[0]))
    ]


def random_stack(rng, kind: str, directions: int, num_layers: int) -> list[list[np.ndarray]]:
    return [
        keras_weights(rng, kind, FEATURES if number == 0 else directions * UNITS, directions=directions)
        for number in range(num_layers)
    ]


@SHAPES
def test_keras_weights_run_in_torch(kind, directions, num_layers):
    """A stack of Keras layers' weights, loaded into one PyTorch module, gives Keras's outputs and states."""
    rng = np.random.default_rng(1)
    layers, x = random_stack(rng, kind, directions, num_layers), inputs(rng)
    module = torch_module(kind, directions, num_layers)
    module.load_state_dict({name: torch.from_numpy(array) for name, array in TO_TORCH[kind](layers).items()})
    output, final = run_torch(module, x)
    expected, states = keras_stack(kind, layers, x)
    assert_close(output, expected, f"torch {kind} Keras->torch")
    for got, want in zip(final, stacked_states(states), strict=True):
        assert_close(got, want, f"torch {kind} Keras->torch")


@SHAPES
def test_torch_weights_run_in_keras(kind, directions, num_layers):
    """A PyTorch module's state dict, read as Keras weights, gives the module's outputs and states."""
    rng = np.random.default_rng(2)
    module, x = torch_module(kind, directions, num_layers, seed=2), inputs(rng)
    output, final = run_torch(module, x)
    layers = FROM_TORCH[kind]({name: tensor.numpy() for name, tensor in module.state_dict().items()})
    assert [len(weights) for weights in layers] == [3 * directions] * num_layers
    expected, states = keras_stack(kind, layers, x)
    assert_close(expected, output, f"torch {kind} torch->Keras")
    for got, want in zip(final, stacked_states(states), strict=True):
        assert_close(got, want, f"torch {kind} torch->Keras")


@SHAPES
def test_keras_to_torch_and_back_is_identical(kind, directions, num_layers):
    """Keras weights taken to PyTorch and back come back as the same arrays."""
    layers = random_stack(np.random.default_rng(3), kind, directions, num_layers)
    back = FROM_TORCH[kind](TO_TORCH[kind](layers))
    assert len(back) == len(layers)
    for got, want in zip(back, layers, strict=True):
        assert_identical(got, want)


def test_a_projection_is_refused():
    """An nn.LSTM with proj_size has no Keras equivalent: reading it raises, naming proj_size."""
    module = torch.nn.LSTM(FEATURES, UNITS, proj_size=2)
    state_dict = {name: tensor.detach().numpy() for name, tensor in module.state_dict().items()}
    with pytest.raises(ValueError, match="proj_size") as error:
        port.lstm_from_torch(state_dict)
    assert "weight_hr_l0" in one_line(error.value)


def test_a_gru_that_resets_before_is_refused():
    """nn.GRU resets after the recurrent product, so a Keras GRU with reset_after=False is refused."""
    weights = keras_weights(np.random.default_rng(4), "gru", reset_after=False)
    with pytest.raises(ValueError, match="reset_after=True, this GRU has reset_after=False") as error:
        port.gru_to_torch([weights])
    one_line(error.value)


def test_unknown_and_missing_names_are_refused():
    """A state dict with a name nn.LSTM does not have, or without one it needs, is refused by name."""
    state_dict = port.lstm_to_torch([keras_weights(np.random.default_rng(5), "lstm")])
    with pytest.raises(ValueError, match="unexpected name 'bias_l0'") as error:
        port.lstm_from_torch({**state_dict, "bias_l0": np.zeros(4 * UNITS, np.float32)})
    one_line(error.value)
    del state_dict["bias_hh_l0"]
    with pytest.raises(ValueError, match="missing bias_hh_l0") as error:
        port.lstm_from_torch(state_dict)
    one_line(error.value)
    with pytest.raises(ValueError, match="empty dict"):
        port.lstm_from_torch({})


def test_wrong_shapes_are_refused():
    """Arrays of the wrong shape fail with the array's name and the shape it should have."""
    rng = np.random.default_rng(6)
    gru_weights = keras_weights(rng, "gru")
    with pytest.raises(ValueError, match=r"recurrent_kernel: expected \(units, 4 \* units\)") as error:
        port.lstm_to_torch([[*gru_weights[:2], np.zeros(16, np.float32)]])
    one_line(error.value)
    state_dict = port.gru_to_torch([gru_weights])
    state_dict["weight_ih_l0"] = state_dict["weight_ih_l0"][:, :-1]
    state_dict["weight_hh_l0"] = state_dict["weight_hh_l0"][:-1]
    with pytest.raises(ValueError, match=r"weight_hh_l0: expected \(3 \* units, units\)") as error:
        port.gru_from_torch(state_dict)
    one_line(error.value)
    with pytest.raises(ValueError, match=r"get_weights\(\)") as error:
        port.lstm_to_torch([keras_weights(rng, "lstm")[:2]])
    one_line(error.value)
    with pytest.raises(ValueError, match=r"e.g. \[layer.get_weights\(\)\]"):
        port.lstm_to_torch(keras_weights(rng, "lstm"))


def test_layers_that_do_not_stack_are_refused():
    """nn.LSTM has one hidden_size, and each layer reads what the one before returns."""
    rng = np.random.default_rng(7)
    first = keras_weights(rng, "lstm")
    with pytest.raises(ValueError, match="one hidden_size") as error:
        port.lstm_to_torch([first, keras_weights(rng, "lstm", UNITS, 2 * UNITS)])
    one_line(error.value)
    with pytest.raises(ValueError, match=r"layers\[1\]: reads 5 features, but the layer before") as error:
        port.lstm_to_torch([first, keras_weights(rng, "lstm", FEATURES)])
    one_line(error.value)
