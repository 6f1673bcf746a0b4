"""Keras LSTM and GRU weights to and from the parameters of Flax's recurrent cells, linen and nnx.

The parameters are nested dicts of NumPy arrays, shaped as Flax keeps them for ``RNN(cell)``:
``{"cell": {...}}``; for two directions, as ``Bidirectional(RNN(cell), RNN(cell))`` keeps
them: ``{"forward_rnn": {"cell": ...}, "backward_rnn": {"cell": ...}}``. With linen, pass them
as ``module.apply({"params": params}, x)``; with nnx, put them in the module's state with
``nnx.replace_by_pure_dict(state, params)`` and ``nnx.update(module, state)``. Flax's carry is
(c, h), the cell state first. Nothing here imports Flax.

Flax's GRU cells reset after the recurrent product only (Keras's ``reset_after=True``), and
``flax.nnx.GRUCell`` has no recurrent bias at all: a Keras GRU whose recurrent candidate bias is
not zero has no nnx equivalent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from glossary.port import target
from glossary.port.layout import (
    FLAX_LINEN_GRU,
    FLAX_LINEN_LSTM,
    FLAX_LINEN_OPTIMIZED_LSTM,
    FLAX_NNX_GRU,
    FLAX_NNX_LSTM,
    FLAX_NNX_OPTIMIZED_LSTM,
    Layout,
)
from glossary.port.packing import Packed, from_layout, keras_directions, to_layout

LSTM_CELLS = {
    "linen.LSTMCell": FLAX_LINEN_LSTM,
    "linen.OptimizedLSTMCell": FLAX_LINEN_OPTIMIZED_LSTM,  # the same parameters as linen.LSTMCell
    "nnx.LSTMCell": FLAX_NNX_LSTM,
    "nnx.OptimizedLSTMCell": FLAX_NNX_OPTIMIZED_LSTM,
}
"""The Flax LSTM cells converted, by the name the functions take."""
GRU_CELLS = {"linen.GRUCell": FLAX_LINEN_GRU, "nnx.GRUCell": FLAX_NNX_GRU}
"""The Flax GRU cells converted, by the name the functions take."""

# A cell whose layout is per_gate keeps one Dense per gate and side, named "i" or "h" and the gate's
# letter; the others one Linear for the input and one for the state, the gates' blocks side by side.
_DIRECTIONS = ("forward_rnn", "backward_rnn")
_PARTS = (("i", "kernel"), ("h", "kernel"), ("i", "bias"), ("h", "bias"))  # Packed's fields, in order


def lstm_to_flax(weights: Sequence[np.ndarray], cell: str = "linen.LSTMCell") -> dict:
    """The parameters of a Flax LSTM cell that computes a Keras LSTM.

    Args:
        weights: the layer's ``get_weights()``, ``[kernel, recurrent_kernel, bias]``, or the six
            arrays of a ``Bidirectional(LSTM)``.
        cell: a key of ``LSTM_CELLS``. The linen cells keep one Dense per gate: ``ii``, ``if``,
            ``ig``, ``io`` (kernel (features, units)) and ``hi`` ... ``ho`` (kernel (units, units),
            bias (units,)); nnx's ``LSTMCell`` names the forget gate's ``if_``;
            ``nnx.OptimizedLSTMCell`` keeps ``dense_i`` (kernel (features, 4 * units)) and
            ``dense_h`` (kernel (units, 4 * units), bias (4 * units,)).

    Returns:
        ``{"cell": ...}`` for one direction, for two
        ``{"forward_rnn": {"cell": ...}, "backward_rnn": {"cell": ...}}``. Keras's bias is the
        recurrent side's, where Flax keeps its one bias.

    Raises:
        ValueError: ``cell`` is not one of ``LSTM_CELLS``, or an array's shape is wrong.
    """
    return _to_flax(weights, _layout(cell, LSTM_CELLS), cell, "LSTM")


def gru_to_flax(weights: Sequence[np.ndarray], cell: str = "linen.GRUCell") -> dict:
    """The parameters of a Flax GRU cell that computes a Keras GRU with ``reset_after=True``.

    As `lstm_to_flax`, for a key of ``GRU_CELLS``. linen's ``GRUCell`` keeps ``ir``, ``iz``, ``in``
    (kernel and bias), ``hr``, ``hz`` (kernel) and ``hn`` (kernel and bias, inside the reset gate):
    the update and reset gates' two Keras biases are summed into the input's. nnx's ``GRUCell``
    keeps ``dense_i`` (kernel (features, 3 * units), bias) and ``dense_h`` (kernel only), in the
    gate order (r, z, n).

    Raises:
        ValueError: the GRU has ``reset_after=False`` (Flax's cells reset after the recurrent
            product); with ``cell="nnx.GRUCell"``, its recurrent candidate bias (``bias[1]`` of h)
            is not zero; or ``cell`` is unknown, or a shape is wrong.
    """
    return _to_flax(weights, _layout(cell, GRU_CELLS), cell, "GRU")


def lstm_from_flax(params: Mapping, cell: str = "linen.LSTMCell") -> list[np.ndarray]:
    """Keras's weights from the parameters of a Flax LSTM cell.

    Args:
        params: ``{"cell": ...}`` of ``RNN(cell)``, or the ``forward_rnn`` and ``backward_rnn``
            of a ``Bidirectional``, as `lstm_to_flax` returns them.
        cell: a key of ``LSTM_CELLS``.

    Returns:
        ``[kernel, recurrent_kernel, bias]``, or six arrays (forward then backward) for a
        ``Bidirectional``.

    Raises:
        ValueError: a name is missing or unknown, or an array's shape is wrong.
    """
    return _from_flax(params, _layout(cell, LSTM_CELLS), cell)


def gru_from_flax(params: Mapping, cell: str = "linen.GRUCell") -> list[np.ndarray]:
    """Keras's weights, for a GRU with ``reset_after=True``, from the parameters of a Flax GRU cell.

    As `lstm_from_flax`; ``bias`` is (2, 3 * units): the input's biases, then zeros for the
    update and reset gates and the candidate's recurrent bias (zeros for ``nnx.GRUCell``).
    """
    return _from_flax(params, _layout(cell, GRU_CELLS), cell)


def _layout(cell: str, cells: dict[str, Layout]) -> Layout:
    if cell not in cells:
        raise ValueError(f"cell: expected one of {', '.join(cells)}, got {cell!r}")
    return cells[cell]


def _to_flax(weights, target: Layout, cell: str, kind: str) -> dict:
    cells = [
        _cell_params(to_layout(*arrays, target), target, cell) for arrays in keras_directions(weights, kind)
    ]
    if len(cells) == 1:
        return {"cell": cells[0]}
    return {direction: {"cell": params} for direction, params in zip(_DIRECTIONS, cells, strict=True)}


def _cell_params(packed: Packed, target: Layout, cell: str) -> dict:
    """One cell's parameters, named as the Flax cell names them."""
    if not target.per_gate:
        return {
            "dense_i": _dense(packed.kernel, packed.input_bias),
            "dense_h": _dense(packed.recurrent_kernel, packed.recurrent_bias),
        }
    gates = len(target.gates)
    kernels = dict(zip(target.gates, np.split(packed.kernel, gates, axis=-1), strict=True))
    recurrent_kernels = dict(
        zip(target.gates, np.split(packed.recurrent_kernel, gates, axis=-1), strict=True)
    )
    input_biases = _gate_blocks(packed.input_bias, target.input_bias, target)
    recurrent_biases = _gate_blocks(packed.recurrent_bias, target.recurrent_bias, target)
    params = {}
    for gate, letter in zip(target.gates, target.gate_letters, strict=True):
        params[_dense_name("i", letter, cell)] = _dense(kernels[gate], input_biases.get(gate))
        params[_dense_name("h", letter, cell)] = _dense(recurrent_kernels[gate], recurrent_biases.get(gate))
    return params


def _from_flax(params, target: Layout, cell: str) -> list[np.ndarray]:
    if not isinstance(params, Mapping):
        raise ValueError(f"params: expected a dict of Flax parameters, got {type(params).__name__}")
    if set(params) == {"cell"}:
        trees = [("params/cell", params["cell"])]
    elif set(params) == set(_DIRECTIONS):
        trees = [
            (f"params/{direction}/cell", _child(params[direction], "cell", f"params/{direction}"))
            for direction in _DIRECTIONS
        ]
    else:
        raise ValueError(
            f"params: expected the keys ['cell'] of RNN(cell), or ['forward_rnn', 'backward_rnn'] of "
            f"Bidirectional, got {sorted(params)}"
        )
    weights = []
    for path, tree in trees:
        packed, names = _packed(tree, target, cell, path)
        weights += from_layout(packed, target, names)
    return weights


def _packed(tree, target: Layout, cell: str, path: str) -> tuple[Packed, list[str]]:
    """One cell's parameters as a `Packed`, and the names of its four parts for messages."""
    if not target.per_gate:
        expected = {"dense_i": bool(target.input_bias), "dense_h": bool(target.recurrent_bias)}
        denses = _denses(tree, expected, path)
        packed = Packed(*(denses[f"dense_{side}"][part == "bias"] for side, part in _PARTS))
        return packed, [f"{path}/dense_{side}/{part}" for side, part in _PARTS]
    expected = {}
    for gate, letter in zip(target.gates, target.gate_letters, strict=True):
        expected[_dense_name("i", letter, cell)] = gate in target.input_bias
        expected[_dense_name("h", letter, cell)] = gate in target.recurrent_bias
    denses = _denses(tree, expected, path)
    inputs = [denses[_dense_name("i", letter, cell)] for letter in target.gate_letters]
    recurrents = [denses[_dense_name("h", letter, cell)] for letter in target.gate_letters]
    for side, dense_list in (("i", inputs), ("h", recurrents)):
        shapes = {np.shape(kernel) for kernel, _ in dense_list}
        if len(shapes) > 1:
            raise ValueError(f"{path}: the gates' {side}* kernels differ in shape: {sorted(shapes)}")
    packed = Packed(
        np.concatenate([kernel for kernel, _ in inputs], axis=-1),
        np.concatenate([kernel for kernel, _ in recurrents], axis=-1),
        _concatenated([bias for _, bias in inputs]),
        _concatenated([bias for _, bias in recurrents]),
    )
    letters = "".join(target.gate_letters)
    return packed, [f"{path}/{side}[{letters}]/{part}" for side, part in _PARTS]


def _denses(tree, expected: dict[str, bool], path: str) -> dict[str, tuple]:
    """``(kernel, bias or None)`` of each Dense named in ``expected``, which says whether it has a bias."""
    if not isinstance(tree, Mapping):
        raise ValueError(f"{path}: expected a dict of the cell's layers, got {type(tree).__name__}")
    if set(tree) != set(expected):
        missing, unexpected = sorted(set(expected) - set(tree)), sorted(set(tree) - set(expected))
        raise ValueError(f"{path}: missing {missing}, unexpected {unexpected}")
    denses = {}
    for name, has_bias in expected.items():
        parts = ["kernel", "bias"] if has_bias else ["kernel"]
        dense = tree[name]
        if not isinstance(dense, Mapping) or set(dense) != set(parts):
            found = sorted(dense) if isinstance(dense, Mapping) else type(dense).__name__
            raise ValueError(f"{path}/{name}: expected {parts}, got {found}")
        denses[name] = (dense["kernel"], dense.get("bias"))
    return denses


def _child(tree, key: str, path: str):
    if not isinstance(tree, Mapping) or set(tree) != {key}:
        found = sorted(tree) if isinstance(tree, Mapping) else type(tree).__name__
        raise ValueError(f"{path}: expected the key ['{key}'], got {found}")
    return tree[key]


def _dense_name(side: str, letter: str, cell: str) -> str:
    name = side + letter
    # nnx keeps the Linear layers as attributes, and `if` is a Python keyword.
    return name + "_" if name == "if" and cell.startswith("nnx.") else name


def _dense(kernel: np.ndarray, bias: np.ndarray | None) -> dict[str, np.ndarray]:
    return {"kernel": kernel} if bias is None else {"kernel": kernel, "bias": bias}


def _gate_blocks(bias: np.ndarray | None, gates: tuple[str, ...], target: Layout) -> dict[str, np.ndarray]:
    """A side's bias cut into its gates' blocks, in the layout's gate order."""
    if bias is None:
        return {}
    ordered = [gate for gate in target.gates if gate in gates]
    return dict(zip(ordered, np.split(bias, len(ordered)), strict=True))


def _concatenated(biases: list) -> np.ndarray | None:
    present = [np.asarray(bias) for bias in biases if bias is not None]
    return np.concatenate(present) if present else None


# ------------------------------------------------------------------ the target of glossary port


def _params_of(layer) -> dict:
    return target.converted(layer, lstm_to_flax, gru_to_flax, list(layer.weights))


def _run(layers, content: bytes) -> target.Run:
    import jax.numpy as jnp
    from flax import linen

    loaded = target.read_npz(content)
    for layer in layers:
        names = target.flat(_params_of(layer))
        params = target.nested({name: jnp.asarray(loaded[f"{layer.path}/{name}"]) for name in names})
        cell = getattr(linen, f"{layer.kind}Cell")
        rnns = [linen.RNN(cell(layer.units), return_carry=True) for _ in range(layer.directions)]
        module = rnns[0] if layer.directions == 1 else linen.Bidirectional(*rnns, return_carry=True)
        carry, output = module.apply({"params": params}, jnp.asarray(layer.x))
        carries = [carry] if layer.directions == 1 else list(carry)
        # Flax's LSTM carry is (cell state, hidden state); Keras returns the hidden state first.
        states = [
            [np.asarray(c) for c in (each[::-1] if layer.kind == "LSTM" else [each])] for each in carries
        ]
        yield np.split(np.asarray(output), layer.directions, axis=-1), states


TARGET = target.Target(
    "flax", ("flax", "jax"), "an .npz of Flax linen parameters", target.npz_file(_params_of), _run
)
