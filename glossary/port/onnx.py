"""Keras LSTM and GRU weights to and from a model of one ONNX ``LSTM`` or ``GRU`` operator.

The model reads ``X`` of shape (timesteps, batch, features), ONNX's default ``layout=0``, and
returns ``Y`` (timesteps, directions, batch, units), ``Y_h`` (directions, batch, units) and, for
an LSTM, ``Y_c``. A Keras ``Bidirectional`` layer is ``direction="bidirectional"``: its backward
layer is ONNX's second direction, whose outputs ONNX keeps in the input's time order. The
``onnx`` package is imported only when a function runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from glossary.port import target
from glossary.port.layout import ONNX_GRU, ONNX_GRU_RESET_BEFORE, ONNX_LSTM, Layout
from glossary.port.packing import Packed, from_layout, keras_directions, to_layout

if TYPE_CHECKING:  # imported only where a function runs
    import onnx

OPSET = 14
"""The operator set the models declare: the LSTM and GRU of opset 14 are the current ones."""
IR_VERSION = 8
"""The model format version the models declare, one that ONNX Runtime 1.10 and later read."""

_DEFAULT_ACTIVATIONS = {"LSTM": ("Sigmoid", "Tanh", "Tanh"), "GRU": ("Sigmoid", "Tanh")}


def lstm_to_onnx(weights: Sequence[np.ndarray]) -> onnx.ModelProto:
    """A model of one ONNX ``LSTM`` operator that computes a Keras LSTM.

    Args:
        weights: the layer's ``get_weights()``, ``[kernel, recurrent_kernel, bias]``, or the six
            arrays of a ``Bidirectional(LSTM)``.

    Returns:
        An ``onnx.ModelProto``, with input ``X`` (timesteps, batch, features) and outputs ``Y``
            (timesteps, directions, batch, units), ``Y_h`` and ``Y_c`` (directions, batch, units).
            ``W`` is (directions, 4 * units, features) in ONNX's gate order (i, o, f, c), ``R``
            likewise, ``B`` (directions, 8 * units): Keras's bias, then zeros for ``Rb``.

    Raises:
        ValueError: an array's shape is wrong, or the directions disagree on their sizes.
    """
    return _to_onnx(weights, "LSTM", ONNX_LSTM)


def gru_to_onnx(weights: Sequence[np.ndarray]) -> onnx.ModelProto:
    """A model of one ONNX ``GRU`` operator that computes a Keras GRU.

    As `lstm_to_onnx`, without ``Y_c``. Keras's ``reset_after=True`` (bias (2, 3 * units)) is
    ``linear_before_reset=1`` with ``B`` = both rows; ``reset_after=False`` (bias (3 * units,))
    is ``linear_before_reset=0`` with ``Rb`` = zeros. Both have Keras's gate order (z, r, h).
    """
    reset_after = np.ndim(keras_directions(weights, "GRU")[0][2]) == 2
    return _to_onnx(weights, "GRU", ONNX_GRU if reset_after else ONNX_GRU_RESET_BEFORE)


def lstm_from_onnx(model) -> list[np.ndarray]:
    """Keras's weights from the one ``LSTM`` operator of an ONNX model.

    Returns:
        ``[kernel, recurrent_kernel, bias]`` for ``direction="forward"``, six arrays (forward
        then backward) for ``"bidirectional"``; ``bias`` is ``Wb + Rb``. A missing ``B`` is zeros.

    Raises:
        ValueError: the model has no single ``LSTM`` node with ``W``, ``R`` (and ``B``) stored in
            the model, or the node uses what Keras's LSTM lacks: peepholes (``P``), ``clip``,
            ``input_forget``, other activations, or ``direction="reverse"``.
    """
    node, arrays = _operator(model, "LSTM")
    return _from_onnx(node, arrays, ONNX_LSTM)


def gru_from_onnx(model) -> list[np.ndarray]:
    """Keras's weights from the one ``GRU`` operator of an ONNX model.

    Returns:
        As `lstm_from_onnx`. ``linear_before_reset=1`` gives a GRU with ``reset_after=True``,
        bias (2, 3 * units) = (``Wb``, ``Rb``); ``linear_before_reset=0`` one with
        ``reset_after=False``, bias ``Wb + Rb``.

    Raises:
        ValueError: as `lstm_from_onnx`, for a ``GRU`` node.
    """
    node, arrays = _operator(model, "GRU")
    linear_before_reset = _attributes(node).get("linear_before_reset", 0)
    return _from_onnx(node, arrays, ONNX_GRU if linear_before_reset else ONNX_GRU_RESET_BEFORE)


def _to_onnx(weights, operator: str, target: Layout):
    import onnx
    from onnx import helper, numpy_helper

    directions = [to_layout(*arrays, target) for arrays in keras_directions(weights, operator)]
    shapes = {(packed.kernel.shape, packed.recurrent_kernel.shape) for packed in directions}
    if len(shapes) > 1:
        raise ValueError(f"weights: the forward and backward layers differ in shape: {sorted(shapes)}")
    units = directions[0].recurrent_kernel.shape[1]
    initializers = {
        "W": np.stack([packed.kernel for packed in directions]),
        "R": np.stack([packed.recurrent_kernel for packed in directions]),
        "B": np.stack([np.concatenate([packed.input_bias, packed.recurrent_bias]) for packed in directions]),
    }
    outputs = ["Y", "Y_h", "Y_c"] if operator == "LSTM" else ["Y", "Y_h"]
    attributes = {"hidden_size": units, "direction": "bidirectional" if len(directions) == 2 else "forward"}
    if operator == "GRU":
        attributes["linear_before_reset"] = int(target.reset_after)
    node = helper.make_node(operator, ["X", "W", "R", "B"], outputs, **attributes)
    element = helper.np_dtype_to_tensor_dtype(initializers["W"].dtype)
    features = initializers["W"].shape[2]
    states = [len(directions), "batch", units]
    shapes = {"Y": ["timesteps", len(directions), "batch", units], "Y_h": states, "Y_c": states}
    graph = helper.make_graph(
        [node],
        f"keras_{operator.lower()}",
        [helper.make_tensor_value_info("X", element, ["timesteps", "batch", features])],
        [helper.make_tensor_value_info(name, element, shapes[name]) for name in outputs],
        [numpy_helper.from_array(array, name) for name, array in initializers.items()],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], ir_version=IR_VERSION)
    onnx.checker.check_model(model)
    return model


def _operator(model, operator: str):
    """The model's one node of ``operator``, and the arrays stored in the model by name."""
    from onnx import ModelProto, numpy_helper

    if not isinstance(model, ModelProto):
        raise ValueError(f"model: expected an onnx.ModelProto, got {type(model).__name__}")
    nodes = [node for node in model.graph.node if node.op_type == operator]
    if len(nodes) != 1:
        raise ValueError(f"model: expected one {operator} node, found {len(nodes)}")
    arrays = {tensor.name: numpy_helper.to_array(tensor) for tensor in model.graph.initializer}
    return nodes[0], arrays


def _attributes(node) -> dict:
    from onnx import helper

    return {attribute.name: helper.get_attribute_value(attribute) for attribute in node.attribute}


def _from_onnx(node, arrays: dict[str, np.ndarray], target: Layout) -> list[np.ndarray]:
    operator = node.op_type
    attributes = _attributes(node)
    direction = attributes.get("direction", b"forward").decode()
    if direction not in ("forward", "bidirectional"):
        raise ValueError(
            f"{operator}: direction={direction!r} runs backward only; Keras's equivalent is a layer "
            f"with go_backwards=True, whose outputs come in reverse time order, so it is not read here"
        )
    count = 2 if direction == "bidirectional" else 1
    activations = tuple(name.decode() for name in attributes.get("activations", ()))
    if activations not in ((), _DEFAULT_ACTIVATIONS[operator] * count):
        raise ValueError(
            f"{operator}: activations={list(activations)}; Keras's {operator} computes "
            f"{list(_DEFAULT_ACTIVATIONS[operator])} in each direction"
        )
    for name in ("clip", "input_forget"):
        if attributes.get(name):
            raise ValueError(f"{operator}: {name}={attributes[name]} has no Keras equivalent")
    inputs = list(node.input) + [""] * 8  # ONNX leaves trailing optional inputs out
    if operator == "LSTM" and inputs[7]:
        raise ValueError(f"{operator}: the input P holds peephole weights, which Keras's LSTM does not have")
    named = {"W": inputs[1], "R": inputs[2], "B": inputs[3]}
    for role, name in named.items():
        if name and name not in arrays:
            raise ValueError(f"{operator}: input {role} ({name!r}) is not an initializer of the model")
        if not name and role != "B":
            raise ValueError(f"{operator}: input {role} is missing")
    kernels, recurrent_kernels = arrays[named["W"]], arrays[named["R"]]
    gates = len(target.gates)
    expected = f"({count}, {gates} * hidden_size, ...)"
    for role, array in (("W", kernels), ("R", recurrent_kernels)):
        if array.ndim != 3 or array.shape[0] != count:
            raise ValueError(f"{operator}: {role} expected {expected} for {direction!r}, got {array.shape}")
    units = recurrent_kernels.shape[2]
    biases = arrays[named["B"]] if named["B"] else np.zeros((count, 2 * gates * units), kernels.dtype)
    if biases.shape != (count, 2 * gates * units):
        expected = f"({count}, {2 * gates} * hidden_size) = {(count, 2 * gates * units)}"
        raise ValueError(f"{operator}: B expected {expected}, got {biases.shape}")
    weights = []
    for index in range(count):
        input_bias, recurrent_bias = np.split(biases[index], 2)
        packed = Packed(kernels[index], recurrent_kernels[index], input_bias, recurrent_bias)
        weights += from_layout(packed, target, [f"{role}[{index}]" for role in ("W", "R", "Wb", "Rb")])
    return weights


# ------------------------------------------------------------------ the target of glossary port


def _model_of(layer):
    return target.converted(layer, lstm_to_onnx, gru_to_onnx, list(layer.weights))


def _write(layers) -> bytes:
    import onnx
    from onnx import compose, helper

    nodes, inputs, outputs, initializers = [], [], [], []
    for layer in layers:
        graph = compose.add_prefix(_model_of(layer), prefix=f"{layer.path}/").graph
        for node in graph.node:
            node.name = f"{layer.path}/{node.op_type}"
        nodes += graph.node
        inputs += graph.input
        outputs += graph.output
        initializers += graph.initializer
    target.unique([value.name for value in [*inputs, *outputs, *initializers]])
    graph = helper.make_graph(nodes, "glossary_port", inputs, outputs, initializers)
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET)],
        ir_version=IR_VERSION,
        producer_name="glossary port",
    )
    onnx.checker.check_model(model)
    return model.SerializeToString()


def _outputs(layer) -> list[str]:
    return ["Y", "Y_h", "Y_c"] if layer.kind == "LSTM" else ["Y", "Y_h"]


def _run(layers, content: bytes) -> target.Run:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1  # small layers: one thread is enough, and leaves the others free
    options.log_severity_level = 3
    session = onnxruntime.InferenceSession(content, options, providers=["CPUExecutionProvider"])
    wanted = [f"{layer.path}/{name}" for layer in layers for name in _outputs(layer)]
    computed = session.run(wanted, {f"{layer.path}/X": layer.x.transpose(1, 0, 2) for layer in layers})
    results = dict(zip(wanted, computed, strict=True))
    for layer in layers:
        sequence, *final = (results[f"{layer.path}/{name}"] for name in _outputs(layer))
        sequences = [sequence[:, direction].transpose(1, 0, 2) for direction in range(layer.directions)]
        yield sequences, [[state[direction] for state in final] for direction in range(layer.directions)]


TARGET = target.Target("onnx", ("onnx", "onnxruntime"), "an ONNX model", _write, _run, resets_before=True)
