"""Each port target's file: written from the converted layers, and run back in its framework.

`convert` writes the file ``glossary port --to TARGET`` writes (one for every layer, each array
named after the layer's path); `measure` loads it in the target framework, runs each layer on
the input Keras ran, and gives each layer's largest difference from Keras's outputs. A layer is
a `glossary.porting.PortedLayer`. Frameworks are imported only when their target is used.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import numpy as np

from glossary.port import flax as port_flax
from glossary.port import mlx as port_mlx
from glossary.port import onnx as port_onnx
from glossary.port import torch as port_torch

if TYPE_CHECKING:
    from glossary.porting import PortedLayer


class PortRefusedError(Exception):
    """A layer, or a setting of one, that the target cannot express: the message names the layer."""


# --------------------------------------------------------------------------------- converting


def convert(layers: list[PortedLayer], target: str) -> bytes:
    """The content of the file for ``target`` that holds every layer (see the module's doc).

    Raises:
        PortRefusedError: a converter refuses a layer's weights, or two layers' arrays would take
            the same name in the file.
    """
    return {"torch": _to_torch, "onnx": _to_onnx, "flax": _to_flax, "mlx": _to_mlx}[target](layers)


def _converted(layer: PortedLayer, convert_lstm, convert_gru, *options):
    try:
        return (convert_lstm if layer.kind == "LSTM" else convert_gru)(*options)
    except ValueError as error:
        raise PortRefusedError(f"{layer.title}: {error}") from None


def _torch_names(layer: PortedLayer) -> dict[str, np.ndarray]:
    return _converted(layer, port_torch.lstm_to_torch, port_torch.gru_to_torch, [list(layer.weights)])


def _to_torch(layers: list[PortedLayer]) -> bytes:
    import torch

    named = _named(layers, lambda layer: _torch_names(layer), ".")
    buffer = io.BytesIO()
    torch.save({name: torch.from_numpy(np.ascontiguousarray(array)) for name, array in named.items()}, buffer)
    return buffer.getvalue()


def _onnx_model(layer: PortedLayer):
    return _converted(layer, port_onnx.lstm_to_onnx, port_onnx.gru_to_onnx, list(layer.weights))


def _to_onnx(layers: list[PortedLayer]) -> bytes:
    import onnx
    from onnx import compose, helper

    nodes, inputs, outputs, initializers = [], [], [], []
    for layer in layers:
        graph = compose.add_prefix(_onnx_model(layer), prefix=f"{layer.path}/").graph
        for node in graph.node:
            node.name = f"{layer.path}/{node.op_type}"
        nodes += graph.node
        inputs += graph.input
        outputs += graph.output
        initializers += graph.initializer
    names = [value.name for value in [*inputs, *outputs, *initializers]]
    _unique(names)
    graph = helper.make_graph(nodes, "glossary_port", inputs, outputs, initializers)
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", port_onnx.OPSET)],
        ir_version=port_onnx.IR_VERSION,
        producer_name="glossary port",
    )
    onnx.checker.check_model(model)
    return model.SerializeToString()


def _flax_params(layer: PortedLayer) -> dict:
    return _converted(layer, port_flax.lstm_to_flax, port_flax.gru_to_flax, list(layer.weights))


def _to_flax(layers: list[PortedLayer]) -> bytes:
    return _npz(_named(layers, lambda layer: _flat(_flax_params(layer)), "/"))


def _mlx_params(layer: PortedLayer) -> dict:
    return _converted(layer, port_mlx.lstm_to_mlx, port_mlx.gru_to_mlx, list(layer.weights))


def _to_mlx(layers: list[PortedLayer]) -> bytes:
    return _npz(_named(layers, lambda layer: _flat(_mlx_params(layer)), "/"))


def _flat(tree: dict, prefix: str = "") -> dict[str, np.ndarray]:
    """A nested dict of arrays as one dict, keyed by the path of keys joined with slashes."""
    flat = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat |= _flat(value, f"{prefix}{key}/")
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _named(layers: list[PortedLayer], arrays_of, separator: str) -> dict[str, np.ndarray]:
    """Every layer's arrays in one dict, each name prefixed by the layer's path and ``separator``."""
    named = [
        (f"{layer.path}{separator}{name}", array)
        for layer in layers
        for name, array in arrays_of(layer).items()
    ]
    _unique([name for name, _ in named])
    return dict(named)


def _unique(names: list[str]) -> None:
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise PortRefusedError(
            f"two layers' arrays would take the same name in the file ({repeated[0]!r}); "
            "rename one of the layers"
        )


def _npz(arrays: dict[str, np.ndarray]) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------- measuring


def measure(layers: list[PortedLayer], target: str, content: bytes) -> list[float]:
    """Each layer's largest difference from Keras, running the layers that ``content`` holds in ``target``."""
    run = {"torch": _run_torch, "onnx": _run_onnx, "flax": _run_flax, "mlx": _run_mlx}[target]
    runs = run(layers, content)
    return [_difference(layer, *run) for layer, run in zip(layers, runs, strict=True)]


def _difference(layer: PortedLayer, sequences: list[np.ndarray], states: list[list[np.ndarray]]) -> float:
    """The largest difference between Keras's outputs and the target's.

    ``sequences``: the target's outputs at every timestep, (batch, timesteps, units), one per
    direction, in the input's time order; ``states``: its final states per direction, as Keras
    orders them (hidden state, then cell state).
    """
    if layer.return_sequences:
        output = np.concatenate(sequences, axis=-1)
    else:
        output = np.concatenate([direction[0] for direction in states], axis=-1)
    expected = [output]
    if layer.return_state:
        expected += [state for direction in states for state in direction]
    if len(expected) != len(layer.keras_outputs):
        return float("inf")
    differences = []
    for ours, theirs in zip(expected, layer.keras_outputs, strict=True):
        if np.shape(ours) != np.shape(theirs):
            return float("inf")
        differences.append(float(np.max(np.abs(np.asarray(ours, np.float64) - theirs), initial=0.0)))
    return float("nan") if any(np.isnan(differences)) else max(differences)


def _run_torch(layers: list[PortedLayer], content: bytes):
    import torch

    loaded = torch.load(io.BytesIO(content), weights_only=True)
    for layer in layers:
        names = _torch_names(layer)
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


def _run_onnx(layers: list[PortedLayer], content: bytes):
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1  # small layers: one thread is enough, and leaves the others free
    options.log_severity_level = 3
    session = onnxruntime.InferenceSession(content, options, providers=["CPUExecutionProvider"])
    wanted = [f"{layer.path}/{name}" for layer in layers for name in _onnx_outputs(layer)]
    given = session.run(wanted, {f"{layer.path}/X": layer.x.transpose(1, 0, 2) for layer in layers})
    results = dict(zip(wanted, given, strict=True))
    for layer in layers:
        sequence, *final = (results[f"{layer.path}/{name}"] for name in _onnx_outputs(layer))
        sequences = [sequence[:, direction].transpose(1, 0, 2) for direction in range(layer.directions)]
        yield sequences, [[state[direction] for state in final] for direction in range(layer.directions)]


def _onnx_outputs(layer: PortedLayer) -> list[str]:
    return ["Y", "Y_h", "Y_c"] if layer.kind == "LSTM" else ["Y", "Y_h"]


def _read_npz(content: bytes) -> dict[str, np.ndarray]:
    with np.load(io.BytesIO(content), allow_pickle=False) as arrays:
        return {name: arrays[name] for name in arrays.files}


def _nested(flat: dict[str, np.ndarray]) -> dict:
    tree: dict = {}
    for name, array in flat.items():
        *parents, leaf = name.split("/")
        node = tree
        for parent in parents:
            node = node.setdefault(parent, {})
        node[leaf] = array
    return tree


def _run_flax(layers: list[PortedLayer], content: bytes):
    import jax.numpy as jnp
    from flax import linen

    loaded = _read_npz(content)
    for layer in layers:
        names = _flat(_flax_params(layer))
        params = _nested({name: jnp.asarray(loaded[f"{layer.path}/{name}"]) for name in names})
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


def _run_mlx(layers: list[PortedLayer], content: bytes):
    import mlx.core as mx
    import mlx.nn

    loaded = _read_npz(content)
    for layer in layers:
        names = _flat(_mlx_params(layer))
        tree = _nested({name: loaded[f"{layer.path}/{name}"] for name in names})
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
