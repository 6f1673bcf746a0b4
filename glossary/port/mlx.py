"""Keras LSTM and GRU weights to and from the parameters of MLX's ``nn.LSTM`` and ``nn.GRU``.

The parameters are dicts of NumPy arrays under MLX's names: load them with
``layer.update({name: mx.array(array) ...})``, read them with
``{name: np.array(value) for name, value in layer.parameters().items()}``. MLX has no
bidirectional layer: a Keras ``Bidirectional`` becomes ``{"forward": ..., "backward": ...}``, two
layers, the backward one run on the time-reversed input (``x[:, ::-1]``) and its outputs reversed
back. Nothing here imports MLX.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from glossary.port import target
from glossary.port.layout import MLX_GRU, MLX_LSTM, Layout
from glossary.port.packing import Packed, from_layout, keras_directions, to_layout

# MLX's names for the kernel, the recurrent kernel, the input's bias and the recurrent bias.
_NAMES = {"LSTM": ("Wx", "Wh", "bias", None), "GRU": ("Wx", "Wh", "b", "bhn")}
_DIRECTIONS = ("forward", "backward")


def lstm_to_mlx(weights: Sequence[np.ndarray]) -> dict:
    """The parameters of an ``mlx.nn.LSTM`` that computes a Keras LSTM.

    Args:
        weights: the layer's ``get_weights()``, ``[kernel, recurrent_kernel, bias]``, or the six
            arrays of a ``Bidirectional(LSTM)``.

    Returns:
        ``{"Wx": (4 * units, features), "Wh": (4 * units, units), "bias": (4 * units,)}``, MLX's
        gate order (i, f, g, o) being Keras's; for two directions
        ``{"forward": {...}, "backward": {...}}``.

    Raises:
        ValueError: an array's shape is wrong.
    """
    return _to_mlx(weights, MLX_LSTM, "LSTM")


def gru_to_mlx(weights: Sequence[np.ndarray]) -> dict:
    """The parameters of an ``mlx.nn.GRU`` that computes a Keras GRU with ``reset_after=True``.

    Returns:
        ``{"Wx": (3 * units, features), "Wh": (3 * units, units), "b": (3 * units,), "bhn": (units,)}``
        in MLX's gate order (r, z, n). ``b`` is added to the input's product:
        Keras's two biases of the update and reset gates summed, and the candidate's input bias;
        ``bhn`` is the candidate's recurrent bias, inside the reset gate. Two directions as in
        `lstm_to_mlx`.

    Raises:
        ValueError: the GRU has ``reset_after=False`` (MLX resets after the recurrent product),
            or an array's shape is wrong.
    """
    return _to_mlx(weights, MLX_GRU, "GRU")


def lstm_from_mlx(params: Mapping) -> list[np.ndarray]:
    """Keras's weights from the parameters of an ``mlx.nn.LSTM``, or of two as `lstm_to_mlx` nests them.

    Returns:
        ``[kernel, recurrent_kernel, bias]``, or six arrays (forward then backward).

    Raises:
        ValueError: a name is missing or unknown, or an array's shape is wrong.
    """
    return _from_mlx(params, MLX_LSTM, "LSTM")


def gru_from_mlx(params: Mapping) -> list[np.ndarray]:
    """Keras's weights, for a GRU with ``reset_after=True``, from the parameters of an ``mlx.nn.GRU``.

    Returns:
        As `lstm_from_mlx`; ``bias`` is (2, 3 * units): ``b`` in Keras's gate order, then zeros
        for the update and reset gates and ``bhn`` for the candidate.
    """
    return _from_mlx(params, MLX_GRU, "GRU")


def _to_mlx(weights, target: Layout, kind: str) -> dict:
    layers = []
    for arrays in keras_directions(weights, kind):
        packed = to_layout(*arrays, target)
        layers.append({name: array for name, array in zip(_NAMES[kind], packed, strict=True) if name})
    return layers[0] if len(layers) == 1 else dict(zip(_DIRECTIONS, layers, strict=True))


def _from_mlx(params, target: Layout, kind: str) -> list[np.ndarray]:
    if not isinstance(params, Mapping):
        raise ValueError(
            f"params: expected a dict of mlx.nn.{kind}'s parameters, got {type(params).__name__}"
        )
    layers = [params[direction] for direction in _DIRECTIONS] if set(params) == set(_DIRECTIONS) else [params]
    weights = []
    for layer in layers:
        names = [name for name in _NAMES[kind] if name]
        if not isinstance(layer, Mapping) or set(layer) != set(names):
            found = sorted(layer) if isinstance(layer, Mapping) else type(layer).__name__
            raise ValueError(
                f"params: expected mlx.nn.{kind}'s {names}, or 'forward' and 'backward' of two, got {found}"
            )
        packed = Packed(*(layer[name] if name else None for name in _NAMES[kind]))
        weights += from_layout(packed, target, [name or "(none)" for name in _NAMES[kind]])
    return weights


# ------------------------------------------------------------------ the target of glossary port


def _params_of(layer) -> dict:
    return target.converted(layer, lstm_to_mlx, gru_to_mlx, list(layer.weights))


def _run(layers, content: bytes) -> target.Run:
    import mlx.core as mx
    import mlx.nn

    loaded = target.read_npz(content)
    for layer in layers:
        names = target.flat(_params_of(layer))
        tree = target.nested({name: loaded[f"{layer.path}/{name}"] for name in names})
        halves = [tree] if layer.directions == 1 else [tree["forward"], tree["backward"]]
        sequences, states = [], []
        for direction, params in enumerate(halves):
            module = getattr(mlx.nn, layer.kind)(layer.features, layer.units)
            module.update({name: mx.array(array) for name, array in params.items()})
            x = np.ascontiguousarray(layer.x[:, ::-1] if direction else layer.x)
            result = module(mx.array(x))
            every = [np.array(array) for array in (result if layer.kind == "LSTM" else [result])]
            states.append([sequence[:, -1] for sequence in every])  # the last timestep it read
            sequences.append(every[0][:, ::-1] if direction else every[0])
        yield sequences, states


TARGET = target.Target("mlx", ("mlx",), "an .npz of MLX parameters", target.npz_file(_params_of), _run)
