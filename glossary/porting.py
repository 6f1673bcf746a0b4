"""``glossary port``: a saved Keras model's LSTM and GRU layers, converted and measured in another framework.

`port` reads the model as ``glossary explain`` does (`glossary.explainer.load`: ``safe_mode=True``,
the same limits and refusals, in a child process whose memory is capped), converts each recurrent
layer with `glossary.port`, runs the converted weights in the target framework on the same random
input as the Keras layer, and returns the largest difference for each layer. The caller writes the
file only when every layer agrees (`TOLERANCE`).

What is converted: every ``LSTM`` and ``GRU`` layer (or ``RNN`` around one ``LSTMCell`` or
``GRUCell``), alone or in one ``Bidirectional`` wrapper of two equal halves with
``merge_mode="concat"``, nested models included, in model order; each is named by its path
(``encoder/lstm``). Each layer is converted on its own: a stack of layers stays separate layers,
and whatever sits between them (Dense, Dropout, ...) is not part of the file.

What is refused, naming the layer and why (`PortRefusedError`): any other recurrent layer
(``SimpleRNN``, ``ConvLSTM1D``, an ``RNN`` around another cell, ``TimeDistributed`` around one),
an activation other than tanh or a recurrent activation other than sigmoid, ``use_bias=False``,
``stateful=True``, ``go_backwards=True`` outside a Bidirectional (the converted layer reads its
input first to last), a Bidirectional whose ``merge_mode`` is not ``"concat"``, a layer that does
not compute in float32, and a GRU with ``reset_after=False`` for every target but ONNX (PyTorch's,
Flax's and MLX's GRUs reset after the recurrent product only).

A mask is not refused: a layer that Keras gives a mask (``Embedding(mask_zero=True)``,
``Masking``) is converted, and its `PortedLayer.masked` is set, for the command to warn that the
converted layer does not apply the mask: padded timesteps change its outputs unless the caller
leaves them out (PyTorch's packed sequences, say).

The files, by target (``TARGETS``):

- ``torch``: ``torch.save`` of one state dict, each layer's tensors under ``<path>.<name>``
  (``lstm.weight_ih_l0``, ``bidirectional.weight_hh_l0_reverse``): load the ones of a layer into
  ``nn.LSTM(features, units, batch_first=True, bidirectional=...)`` or ``nn.GRU``.
- ``onnx``: one ONNX model whose graph holds one ``LSTM`` or ``GRU`` operator per layer, side by
  side and not chained: every name is prefixed by the layer's path and a slash (input
  ``lstm/X`` of shape (timesteps, batch, features); outputs ``lstm/Y`` (timesteps, directions,
  batch, units), ``lstm/Y_h`` and, for an LSTM, ``lstm/Y_c``; weights ``lstm/W``, ``lstm/R``,
  ``lstm/B``), as `glossary.port.onnx` builds each. A session runs every operator at once.
- ``flax``: an ``.npz`` of the parameters of ``flax.linen`` ``RNN(LSTMCell(units))`` or
  ``RNN(GRUCell(units))`` (``Bidirectional`` of two for two directions), keyed
  ``<path>/<parameter path>``: ``lstm/cell/ii/kernel``, ``bidirectional/forward_rnn/cell/hz/kernel``.
- ``mlx``: an ``.npz`` of the parameters of ``mlx.nn.LSTM`` or ``mlx.nn.GRU``, keyed
  ``<path>/Wx``; two directions as ``<path>/forward/Wx`` and ``<path>/backward/Wx``, the backward
  layer run on the time-reversed input (see `glossary.port.mlx`).
"""

from __future__ import annotations

import importlib
import io
import json
import os
import sys
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from glossary import explainer
from glossary.explainer import Limits, ModelFileError, ModelTooLargeError, NoRecurrentLayerError
from glossary.port import flax as port_flax
from glossary.port import mlx as port_mlx
from glossary.port import onnx as port_onnx
from glossary.port import torch as port_torch
from glossary.versions import KerasUnavailableError, import_keras

TARGETS = {
    "torch": (("torch",), "a PyTorch state dict (torch.save)"),
    "onnx": (("onnx", "onnxruntime"), "an ONNX model"),
    "flax": (("flax", "jax"), "an .npz of Flax linen parameters"),
    "mlx": (("mlx",), "an .npz of MLX parameters"),
}
"""Each target: the modules it needs (each also the name of its distribution, and of the project's
extra that installs them), and what the file is."""

TOLERANCE = 1e-4
"""The largest difference between the Keras layer and the converted one that still counts as equal.

Both compute in float32, summing the same products in their own order: every timestep carries the
rounding into the next, so the outputs differ by a few float32 steps (about 1e-7 for values near
1 over these few timesteps, more for wide layers). A gate in the wrong order or a bias in the
wrong place changes them by 1e-2 and more: 1e-4 tells the two apart with room to spare."""

BATCH, TIMESTEPS = 2, 5
"""The size of the random input each layer is measured on: (BATCH, TIMESTEPS, features)."""

SEED = 0
"""The input is drawn from ``numpy.random.default_rng(SEED)``, layer after layer in model order."""

CONVERTED = ("LSTM", "GRU")

DEFAULT_LIMITS = Limits()


class PortRefusedError(Exception):
    """A layer, or a setting of one, that the target cannot express: the message names the layer."""


class TargetUnavailableError(Exception):
    """The framework of the target is not installed (or cannot start)."""


@dataclass(frozen=True)
class PortedLayer:
    """One recurrent layer of the model, as read from Keras: weights, input, and Keras's outputs."""

    path: str
    """The layer's name, prefixed by the names of the sub-models it sits in: ``encoder/lstm``."""
    kind: str
    """``LSTM`` or ``GRU``."""
    layer_type: str
    """``LSTM``, ``GRU``, ``Bidirectional`` or ``RNN(LSTMCell)``, say."""
    directions: int
    units: int
    features: int
    return_sequences: bool
    return_state: bool
    reset_after: bool | None
    """GRU only."""
    masked: bool
    """Whether Keras gives the layer a mask in the model; the converted layer applies none."""
    weights: tuple[np.ndarray, ...]
    """``get_weights()``: three arrays, or six for a Bidirectional (forward, then backward)."""
    x: np.ndarray
    """The random input, (BATCH, TIMESTEPS, features), float32."""
    keras_outputs: tuple[np.ndarray, ...]
    """What the Keras layer returned for ``x``: its output, then its final states with ``return_state``."""

    @property
    def title(self) -> str:
        """``lstm (LSTM)``, ``bidirectional (Bidirectional GRU, 2 directions)``."""
        kind = self.layer_type if self.layer_type != "Bidirectional" else f"Bidirectional {self.kind}"
        directions = ", 2 directions" if self.directions == 2 else ""
        reset = f", reset_after={self.reset_after}" if self.reset_after is False else ""
        return f"{self.path} ({kind}{directions}{reset})"


@dataclass(frozen=True)
class Ported:
    """What `port` made: the file's content, and each layer with its largest difference from Keras."""

    target: str
    content: bytes
    layers: tuple[PortedLayer, ...]
    differences: tuple[float, ...]
    """The largest absolute difference over every output of the layer, by layer; NaN counts as too large."""

    @property
    def agrees(self) -> bool:
        """Whether every layer is within `TOLERANCE` of Keras (a NaN is not)."""
        return all(difference <= TOLERANCE for difference in self.differences)


def require_target(target: str) -> None:
    """Import the modules ``target`` needs.

    Raises:
        ValueError: ``target`` is not one of ``TARGETS``.
        TargetUnavailableError: one of them is not installed, or fails to import.
    """
    if target not in TARGETS:
        raise ValueError(f"--to {target!r}: expected one of {', '.join(TARGETS)}")
    modules = TARGETS[target][0]
    needs = f'--to {target} needs {" and ".join(modules)} (pip install "lstm-glossary[{target}]")'
    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError:
            raise TargetUnavailableError(needs) from None
        except Exception as error:  # installed but broken: a missing shared library, say
            said = explainer._first_line(error)
            raise TargetUnavailableError(
                f"{needs}: {module} cannot start ({type(error).__name__}: {said})"
            ) from None


def port(model: str | os.PathLike, target: str, limits: Limits = DEFAULT_LIMITS) -> Ported:
    """Convert the LSTM and GRU layers of the model saved at ``model`` for ``target``, and measure them.

    Returns:
        The content of the file to write, and each layer's largest difference from Keras, measured
        by loading that very content back in the target framework and running it.

    Raises:
        ModelFileError: see `glossary.explainer.load`.
        NoRecurrentLayerError: the model holds no recurrent layer.
        PortRefusedError: a recurrent layer that ``target`` cannot express (see the module's doc).
        TargetUnavailableError: the target's framework is not installed.
        KerasUnavailableError: Keras, or its backend, cannot be imported.
    """
    require_target(target)
    layers = read_layers(model, target, limits)
    content = convert(layers, target)
    return Ported(target, content, tuple(layers), tuple(measure(layers, target, content)))


# ------------------------------------------------------------------------------- reading Keras


def read_layers(model: str | os.PathLike, target: str, limits: Limits = DEFAULT_LIMITS) -> list[PortedLayer]:
    """Each recurrent layer of the saved model, with its weights and its outputs on a random input.

    The file is checked here without Keras (`glossary.explainer`'s checks); Keras then loads it in
    a child process, as ``glossary explain`` does, whose memory is capped at ``2 * limits.megabytes``
    beyond Keras's own. The arrays come back through a temporary folder, removed afterwards.

    Raises:
        As `port`.
    """
    path = Path(model)
    explainer._check_config(path, explainer._config(path, limits), limits)
    with tempfile.TemporaryDirectory(prefix="glossary-port-") as folder:
        answer = _reader(path, target, limits, Path(folder))
        if "layers" in answer:
            with np.load(Path(folder) / ARRAYS, allow_pickle=False) as arrays:
                return [_layer_from(meta, number, arrays) for number, meta in enumerate(answer["layers"])]
    if "memory" in answer:
        raise ModelFileError(
            f"{path}: loading it needs more memory than --max-megabytes {limits.megabytes} allows "
            f"({answer['memory']}); a larger limit raises it"
        )
    kinds = {
        "file": ModelFileError,
        "none": NoRecurrentLayerError,
        "keras": KerasUnavailableError,
        "refused": PortRefusedError,
    }
    raise kinds.get(answer.get("kind"), ModelFileError)(answer.get("error", "no answer from the reader"))


ARRAYS = "layers.npz"
"""The file in which the reading process leaves the arrays."""


def _read_in_child(path: Path, target: str, limits: Limits, folder: Path) -> dict:
    """Run `_read` in a child process (``python -m glossary.porting``); its answer."""
    limits_given = [str(limit) for limit in (limits.units, limits.layers, limits.megabytes)]
    return explainer.answer_of_reader("glossary.porting", path, [target, *limits_given, os.fsdecode(folder)])


_reader = _read_in_child
"""How `read_layers` runs `_read`; the tests run it in their own process, to save Keras's start-up."""


def _child(arguments: list[str]) -> dict:
    """The child process's answer: `_read` within the memory cap."""
    path, target, units, layers, megabytes, folder = arguments
    limits = Limits(int(units), int(layers), int(megabytes))
    try:
        keras = import_keras()
        keras.ops.matmul(keras.ops.ones((2, 2)), keras.ops.ones((2, 2)))  # Keras's threads start now
        explainer._cap_memory(2 * limits.megabytes + 512)
        return _read(Path(path), target, limits, Path(folder))
    except MemoryError:
        return {"memory": "Python could not allocate"}
    except ImportError as error:
        return {"kind": "keras", "error": str(error)}


def _read(path: Path, target: str, limits: Limits, folder: Path) -> dict:
    """Load the model, refuse what ``target`` cannot express, run each layer; the arrays go to ``folder``."""
    try:
        model = explainer.load(path, limits)
        found = list(explainer._recurrent_layers(model, prefix=""))
        if not found:
            kinds = sorted({type(layer).__name__ for layer in getattr(model, "layers", [])})
            raise NoRecurrentLayerError(
                f"model {model.name!r} has no recurrent layer to port (LSTM, GRU, or a Bidirectional "
                f"of one); its layer types: {', '.join(kinds) or 'none'}"
            )
        for layer, layer_path in found:
            why = _why_not(layer, target)
            if why:
                return {"kind": "refused", "error": f"{path}: {_title(layer, layer_path)}: {why}"}
        rng = np.random.default_rng(SEED)
        metas, arrays = [], {}
        for number, (layer, layer_path) in enumerate(found):
            meta, layer_arrays = _keras_side(layer, layer_path, rng)
            metas.append(meta)
            arrays |= {f"{number}/{name}": array for name, array in layer_arrays.items()}
        np.savez(folder / ARRAYS, **arrays)
        return {"layers": metas}
    except ModelTooLargeError:
        return {"memory": "Keras could not allocate its weights"}
    except ModelFileError as error:
        return {"kind": "file", "error": str(error)}
    except NoRecurrentLayerError as error:
        return {"kind": "none", "error": f"{path}: {error}"}


def _title(layer, path: str) -> str:
    return f"{path} ({explainer._structure(layer)})"


def _why_not(layer, target: str) -> str | None:
    """Why ``layer`` cannot be converted for ``target``, or None where it can."""
    import keras

    supported = "glossary port converts LSTM and GRU layers, alone or in one Bidirectional wrapper"
    if isinstance(layer, keras.layers.Bidirectional):
        sides = [layer.forward_layer, layer.backward_layer]
        if any(explainer._kind(side) not in CONVERTED for side in sides):
            return _unsupported(layer, supported)
        forward, backward = sides
        if (explainer._kind(forward), forward.cell.units) != (explainer._kind(backward), backward.cell.units):
            return (
                "its forward and backward layers differ in type or units; the converted layer has two "
                "equal halves"
            )
        if forward.go_backwards or not backward.go_backwards:
            return "its forward layer must read forward and its backward layer backward (go_backwards=True)"
        if layer.merge_mode != "concat":
            return (
                f"merge_mode={layer.merge_mode!r}: the converted layer returns the two directions side by "
                "side, as merge_mode='concat' does"
            )
    else:
        if explainer._kind(layer) not in CONVERTED or explainer._wrapped(layer) is not None:
            return _unsupported(layer, supported)
        sides = [layer]
        if layer.go_backwards:
            return (
                "go_backwards=True: the converted layer reads its input first to last and returns its "
                "outputs in that order; reverse the input yourself, or wrap the layer in Bidirectional"
            )
    for side in sides:
        cell, kind = side.cell, explainer._kind(side)
        named = f"{side.name}: " if side is not layer else ""
        if not side.built:
            return f"{named}not built, so it has no weights"
        activation, recurrent = explainer._name(cell.activation), explainer._name(cell.recurrent_activation)
        if activation != "tanh":
            return f"{named}activation={activation!r}: the converted {kind} computes tanh"
        if recurrent != "sigmoid":
            return f"{named}recurrent_activation={recurrent!r}: the converted {kind} computes sigmoid"
        if not cell.use_bias:
            return f"{named}use_bias=False: glossary.port converts layers with a bias"
        if side.stateful:
            return (
                f"{named}stateful=True: the converted layer starts every batch from zero states, "
                "and Keras carries them from the batch before"
            )
        if kind == "GRU" and not cell.reset_after and target != "onnx":
            return (
                f"{named}reset_after=False: the GRU of {target} resets after the recurrent product only "
                "(Keras's reset_after=True); --to onnx converts this GRU"
            )
        dtypes = {str(side.compute_dtype), str(side.variable_dtype)}
        if dtypes != {"float32"}:
            return f"{named}computes in {' and '.join(sorted(dtypes))}; glossary port converts float32 layers"
    return None


def _unsupported(layer, supported: str) -> str:
    """Why a layer of another kind is refused."""
    import keras

    inner = explainer._inner(layer)
    if isinstance(inner, keras.layers.RNN) and explainer._kind(inner) == "SimpleRNN":
        return f"{supported}; glossary.port has no converter for SimpleRNN"
    return supported


def _keras_side(layer, path: str, rng: np.random.Generator) -> tuple[dict, dict[str, np.ndarray]]:
    """The layer's settings, and its weights, a random input and what Keras returns for it."""
    import keras

    inner = explainer._inner(layer)
    weights = [np.asarray(array) for array in layer.get_weights()]
    features = int(weights[0].shape[0])
    x = rng.standard_normal((BATCH, TIMESTEPS, features)).astype(np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        outputs = layer(x)
    outputs = outputs if isinstance(outputs, list | tuple) else [outputs]
    kind = explainer._kind(inner)
    meta = {
        "path": path,
        "kind": kind,
        "layer_type": "Bidirectional" if inner is not layer else explainer._layer_type(layer),
        "directions": 2 if inner is not layer else 1,
        "units": int(inner.cell.units),
        "features": features,
        "return_sequences": bool(inner.return_sequences),
        "return_state": bool(inner.return_state),
        "reset_after": bool(inner.cell.reset_after) if kind == "GRU" else None,
        "masked": explainer._masked_in_a_call(layer),
        "weights": len(weights),
        "outputs": len(outputs),
    }
    arrays = {"x": x}
    arrays |= {f"weights/{index}": array for index, array in enumerate(weights)}
    arrays |= {
        f"keras/{index}": np.asarray(keras.ops.convert_to_numpy(output))
        for index, output in enumerate(outputs)
    }
    return meta, arrays


def _layer_from(meta: dict, number: int, arrays) -> PortedLayer:
    counts = {"weights": meta.pop("weights"), "keras": meta.pop("outputs")}
    given = {
        name: tuple(arrays[f"{number}/{name}/{index}"] for index in range(count))
        for name, count in counts.items()
    }
    return PortedLayer(
        **meta, weights=given["weights"], x=arrays[f"{number}/x"], keras_outputs=given["keras"]
    )


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


if __name__ == "__main__":  # the child process of read_layers: one JSON line on stdout
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        print(json.dumps(_child(sys.argv[1:])))
