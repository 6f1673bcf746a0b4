"""Keras LSTM and GRU weights to and from the state dict of PyTorch's ``nn.LSTM`` and ``nn.GRU``.

A Keras model's stack of recurrent layers, each one direction or a ``Bidirectional``, is one
PyTorch module with ``num_layers`` and ``bidirectional``. The state dict holds plain NumPy arrays
here: load it with ``module.load_state_dict({name: torch.from_numpy(array) ...})`` and read one
with ``{name: tensor.numpy() ...}``. Nothing here imports PyTorch.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np

from glossary.port import target
from glossary.port.layout import TORCH_GRU, TORCH_LSTM, Layout
from glossary.port.packing import Packed, from_layout, keras_directions, to_layout

_NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
_NAME = re.compile(r"(weight_ih|weight_hh|bias_ih|bias_hh|weight_hr)_l(\d+)(_reverse)?")


def lstm_to_torch(layers: Sequence[Sequence[np.ndarray]]) -> dict[str, np.ndarray]:
    """The state dict of an ``nn.LSTM`` that computes a stack of Keras LSTM layers.

    Args:
        layers: each layer's ``get_weights()``, first layer first: three arrays for an LSTM, six
            for a ``Bidirectional(LSTM)``. Every layer has the same units and directions, and each
            layer after the first reads ``directions * units`` features.

    Returns:
        The arrays by PyTorch's names, with ``_reverse`` names for the backward direction:
        ``"weight_ih_l0"`` (4 * units, features), ``"weight_hh_l0"`` (4 * units, units),
        ``"bias_ih_l0"`` (4 * units,), ``"bias_hh_l0"`` zeros, and so on for each layer. Load it into
        ``nn.LSTM(features, units, num_layers=len(layers), bidirectional=...)``.

    Raises:
        ValueError: the layers do not stack into one ``nn.LSTM``, or an array's shape is wrong.
    """
    return _to_torch(layers, TORCH_LSTM, "LSTM")


def gru_to_torch(layers: Sequence[Sequence[np.ndarray]]) -> dict[str, np.ndarray]:
    """The state dict of an ``nn.GRU`` that computes a stack of Keras GRU layers.

    As `lstm_to_torch`, with three gate blocks reordered from Keras's (z, r, h) to PyTorch's
    (r, z, n), and Keras's two bias rows as ``bias_ih`` and ``bias_hh``.

    Raises:
        ValueError: a layer has ``reset_after=False`` (its bias is one row): ``nn.GRU`` resets
            after the recurrent product only. Or the layers do not stack, or a shape is wrong.
    """
    return _to_torch(layers, TORCH_GRU, "GRU")


def lstm_from_torch(state_dict: Mapping[str, np.ndarray]) -> list[list[np.ndarray]]:
    """Keras's weights for each layer of an ``nn.LSTM``, from its state dict.

    Returns:
        One list per layer, first layer first: ``[kernel, recurrent_kernel, bias]`` for one
        direction, six arrays (forward then backward) for ``bidirectional=True``, ready for
        ``set_weights`` of an LSTM or a ``Bidirectional(LSTM)``. ``bias`` is
        ``bias_ih + bias_hh``, since Keras's LSTM has one bias.

    Raises:
        ValueError: the module has ``proj_size`` (``weight_hr`` arrays: Keras has no projection),
            a name is missing or unknown, or an array's shape is wrong.
    """
    return _from_torch(state_dict, TORCH_LSTM, "LSTM")


def gru_from_torch(state_dict: Mapping[str, np.ndarray]) -> list[list[np.ndarray]]:
    """Keras's weights for each layer of an ``nn.GRU``, from its state dict.

    Returns:
        As `lstm_from_torch`, for Keras GRU layers with ``reset_after=True``: ``bias`` is
        (2, 3 * units), ``bias_ih`` then ``bias_hh`` in Keras's gate order.

    Raises:
        ValueError: a name is missing or unknown, or an array's shape is wrong.
    """
    return _from_torch(state_dict, TORCH_GRU, "GRU")


def _to_torch(layers, target: Layout, kind: str) -> dict[str, np.ndarray]:
    if isinstance(layers, np.ndarray) or not layers or isinstance(layers[0], np.ndarray):
        raise ValueError(
            f"layers: expected a list with each Keras {kind} layer's get_weights(), "
            f"e.g. [layer.get_weights()] for one layer"
        )
    state_dict, first = {}, None
    for number, weights in enumerate(layers):
        directions = keras_directions(weights, kind)
        for direction, arrays in enumerate(directions):
            packed = to_layout(*arrays, target)
            shape = (len(directions), packed.recurrent_kernel.shape[1])
            first = first or shape
            if shape != first:
                raise ValueError(
                    f"layers[{number}]: nn.{kind} has one hidden_size and one number of directions for "
                    f"every layer; layer 0 has {first[1]} units in {first[0]} directions, this one "
                    f"{shape[1]} in {shape[0]}"
                )
            reads = first[0] * first[1]
            if number > 0 and packed.kernel.shape[1] != reads:
                raise ValueError(
                    f"layers[{number}]: reads {packed.kernel.shape[1]} features, but the layer before "
                    f"returns {reads} (directions * units)"
                )
            suffix = f"_l{number}" + ("_reverse" if direction else "")
            for name, array in zip(_NAMES, packed, strict=True):
                state_dict[name + suffix] = array
    return state_dict


def _from_torch(state_dict, target: Layout, kind: str) -> list[list[np.ndarray]]:
    directions_by_layer: dict[int, set[bool]] = {}
    for name in state_dict:
        match = _NAME.fullmatch(name)
        if match is None:
            raise ValueError(
                f"state_dict: unexpected name {name!r}; nn.{kind}'s are weight_ih_l<k>, weight_hh_l<k>, "
                f"bias_ih_l<k>, bias_hh_l<k>, with _reverse for the backward direction"
            )
        if match[1] == "weight_hr":
            raise ValueError(
                f"state_dict: {name!r} is the projection of an nn.{kind} with proj_size, "
                f"which Keras's {kind} does not have"
            )
        directions_by_layer.setdefault(int(match[2]), set()).add(match[3] is not None)
    if not directions_by_layer:
        raise ValueError(f"state_dict: expected the arrays of an nn.{kind}, got an empty dict")
    bidirectional = any(True in directions for directions in directions_by_layer.values())
    layers = []
    for number in range(max(directions_by_layer) + 1):
        weights = []
        for suffix in (f"_l{number}", f"_l{number}_reverse")[: 1 + bidirectional]:
            names = [name + suffix for name in _NAMES]
            missing = [name for name in names if name not in state_dict]
            if missing:
                raise ValueError(f"state_dict: missing {', '.join(missing)}")
            weights += from_layout(Packed(*(state_dict[name] for name in names)), target, names)
        layers.append(weights)
    return layers


# ------------------------------------------------------------------ the target of glossary port


def _state_dict_of(layer) -> dict[str, np.ndarray]:
    return target.converted(layer, lstm_to_torch, gru_to_torch, [list(layer.weights)])


def _write(layers) -> bytes:
    import io

    import torch

    arrays = target.named(layers, _state_dict_of, ".")
    buffer = io.BytesIO()
    torch.save(
        {name: torch.from_numpy(np.ascontiguousarray(array)) for name, array in arrays.items()}, buffer
    )
    return buffer.getvalue()


def _run(layers, content: bytes) -> target.Run:
    import io

    import torch

    loaded = torch.load(io.BytesIO(content), weights_only=True)
    for layer in layers:
        names = _state_dict_of(layer)
        module = getattr(torch.nn, layer.kind)(
            layer.features, layer.units, batch_first=True, bidirectional=layer.directions == 2
        )
        module.load_state_dict({name: loaded[f"{layer.path}.{name}"] for name in names}, strict=True)
        with torch.no_grad():
            output, final = module(torch.from_numpy(layer.x))
        final = final if isinstance(final, tuple) else (final,)
        output, final = output.numpy(), [state.numpy() for state in final]
        sequences = np.split(output, layer.directions, axis=-1)
        yield sequences, [[state[direction] for state in final] for direction in range(layer.directions)]


TARGET = target.Target("torch", ("torch",), "a PyTorch state dict (torch.save)", _write, _run)
