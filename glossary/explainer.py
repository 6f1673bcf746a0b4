"""The glossary applied to a user's own model: every recurrent layer's sizes, weights and outputs.

``explain(model)`` prints, for each LSTM, GRU and SimpleRNN layer (also inside ``Bidirectional``
wrappers and nested models): its features, units and timesteps, each weight's shape split by
gate, the parameter count with its formula filled in, the shapes Keras gives its outputs, and
whether its settings allow the cuDNN kernel. ``describe(model)`` returns the same as data.

Every figure is read from the Keras layer itself (its weights, ``count_params()``, its output
tensors or ``compute_output_shape``), never computed beside it. Keras is imported only when a
function here runs, so ``import glossary`` stays light.
"""

from __future__ import annotations

import json
import re
import sys
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TextIO

from glossary.reference import GRU_GATES, LSTM_GATES
from glossary.terminal import printable
from glossary.versions import import_keras

TIMES = "\N{MULTIPLICATION SIGN}"
"""The sign explain writes between the factors of a parameter count, for ``4 * (5 + 4 + 1) * 4 = 160``."""

RECURRENT = ("LSTM", "GRU", "SimpleRNN")
"""The layer types explained; a ``Bidirectional`` wrapper around one of them is explained too."""


@dataclass(frozen=True)
class WeightShape:
    """One weight array of a layer: its shape as Keras stores it, and the share of each gate."""

    name: str
    """Keras's name: ``kernel``, ``recurrent_kernel`` or ``bias``."""
    shape: tuple[int, ...]
    per_gate: tuple[int, ...]


@dataclass(frozen=True)
class Output:
    """One array the layer returns, with the shape Keras gives it (``None``: any size)."""

    what: str
    shape: tuple[int | None, ...]
    axes: str
    """The glossary's names of the axes, e.g. ``(batch, timesteps, units)``."""


@dataclass(frozen=True)
class Direction:
    """One recurrent layer with its own weights: the layer itself, or one half of a Bidirectional."""

    name: str
    layer_type: str
    features: int
    units: int
    gates: tuple[str, ...]
    """The gate blocks in the order Keras packs them side by side in every weight array."""
    weights: tuple[WeightShape, ...]
    formula: str
    """The parameter count worked out, as in `TIMES`'s example."""
    parameters: int
    """Keras's ``count_params()``."""
    go_backwards: bool
    reset_after: bool | None
    """GRU only: True keeps two bias rows (input side and recurrent side)."""
    cudnn: bool
    """Whether the settings allow Keras's cuDNN kernel (taken on a GPU only)."""
    cudnn_blockers: tuple[str, ...]
    """The settings that rule the cuDNN kernel out, if any."""


@dataclass(frozen=True)
class RecurrentLayer:
    """A recurrent layer of the model, as the glossary describes it."""

    path: str
    """The layer's name, prefixed by the names of the sub-models it sits in: ``encoder/lstm``."""
    layer_type: str
    """``LSTM``, ``GRU``, ``SimpleRNN``, ``RNN(LSTMCell)`` (the generic layer around one cell), or the
    wrapper around one of them: ``Bidirectional`` or ``TimeDistributed``."""
    features: int
    timesteps: int | None
    """Fixed by the input shape, or None: any number of timesteps (or the input is not recorded)."""
    input_shape: tuple[int | None, ...] | None
    """``(batch, timesteps, features)`` as recorded in the model, or None where the layer was
    never called on a Keras input."""
    units: int
    return_sequences: bool
    return_state: bool
    outputs: tuple[Output, ...]
    parameters: int
    """Keras's ``count_params()`` for the whole layer (both directions of a Bidirectional)."""
    directions: tuple[Direction, ...]
    merge_mode: str | None = None
    """Bidirectional only: how the two directions' outputs are combined."""
    masked: bool = False
    """Whether a mask reaches the layer with its input, from ``Embedding(mask_zero=True)`` or ``Masking``."""


@dataclass(frozen=True)
class ModelReport:
    """What ``explain`` found in a saved model: its name, Keras, backend, size and recurrent layers."""

    name: str
    keras: str
    backend: str
    parameters: int
    """The whole model's ``count_params()``."""
    layers: tuple[RecurrentLayer, ...]

    def to_dict(self) -> dict:
        """The report as plain data, as ``glossary explain --json`` prints it."""
        return asdict(self)


class ModelFileError(Exception):
    """A model file that cannot be explained: missing, not a Keras model, or needing unsafe code."""


class NoRecurrentLayerError(ValueError):
    """The model holds no LSTM, GRU or SimpleRNN layer."""


@dataclass(frozen=True)
class Limits:
    """The largest model ``explain`` agrees to build; a file declaring more is refused unread by Keras.

    Keras allocates every weight a model's config declares before it reads the stored weights, so
    a file of a few kilobytes can ask for gigabytes. The defaults cover the models this site is
    about; ``glossary explain --max-units/--max-layers/--max-megabytes`` raise them.
    """

    units: int = 4096
    """The largest ``units``, ``filters``, ``input_dim``, ``output_dim`` or input feature count."""
    layers: int = 1000
    """The most layers, counting those inside nested models and wrappers."""
    megabytes: int = 1024
    """The most megabytes (10**6 bytes) the file's contents may take once unpacked."""


SIZE_KEYS = ("units", "filters", "input_dim", "output_dim")
"""The config keys whose values set the width of a layer's weights."""

INPUT_SHAPE_KEYS = ("batch_shape", "batch_input_shape")
"""The config keys of a declared input shape, whose last axis is the features."""

MAX_CONFIG_BYTES = 64 * 10**6
"""The largest config read: a model's config is kilobytes, even for hundreds of layers."""


def load(path: str | Path, limits: Limits = Limits()):
    """Load a ``.keras`` (or ``.h5``) model with ``safe_mode=True``; never runs code from the file.

    The file is looked at before Keras reads it: it must be a regular file in one of those two
    formats, whose config stays within ``limits``.

    Raises:
        ModelFileError: the file is missing, not a regular file, damaged, not a model Keras can
            load, larger than ``limits`` allow, uses a class Keras does not have, or holds Python
            code (a ``Lambda`` layer's function, say) that only unsafe deserialisation would accept.
        KerasUnavailableError: Keras, or the backend ``KERAS_BACKEND`` names, is not installed.
    """
    path = Path(path)
    config = _config(path, limits)
    _check_config(path, config, limits)
    keras = import_keras()
    try:
        return keras.saving.load_model(path, safe_mode=True, compile=False)
    except Exception as error:  # whatever Keras raises, the user gets one line saying why
        said = _first_line(error)
        if "safe_mode" in said or "unsafe" in said.lower():
            raise ModelFileError(
                f"{path}: refused: this model holds Python code (such as a Lambda layer's function), "
                f"which only unsafe deserialisation would load, and loading it would run that code. "
                f"glossary loads models with safe_mode=True and never runs code from a file. "
                f"Keras says: {said.split('. ')[0]}."
            ) from None
        missing = _missing_class(error)
        if missing:
            raise ModelFileError(
                f"{path}: uses the class {missing}, which is not part of Keras: a custom layer or "
                "function can only be loaded where its code is imported and registered, and "
                "glossary explain loads Keras's own classes only"
            ) from None
        raise ModelFileError(
            f"{path}: not a model Keras {keras.version()} can load ({type(error).__name__}: {said})"
        ) from None


def _config(path: Path, limits: Limits) -> dict:
    """The model config stored in ``path``, read without Keras, within ``limits``.

    Raises:
        ModelFileError: what keeps the file from being a model file within the limits.
    """
    if not path.exists():
        raise ModelFileError(f"{path}: no such file")
    if path.is_dir():
        raise ModelFileError(
            f"{path}: is a folder; expected a model file saved with model.save('model.keras')"
        )
    if not path.is_file():
        raise ModelFileError(f"{path}: not a regular file (a device, pipe or socket); expected a model file")
    largest = limits.megabytes * 10**6
    try:
        with path.open("rb") as file:
            signature = file.read(8)
        if signature.startswith(b"PK"):  # a zip archive, whole or not
            return _zip_config(path, largest)
        if signature == b"\x89HDF\r\n\x1a\n":
            return _h5_config(path, largest)
    except OSError as error:
        raise ModelFileError(f"{path}: cannot be read ({error.strerror or error})") from None
    if path.suffix == ".keras":
        raise ModelFileError(
            f"{path}: not a Keras model: a .keras file is the zip archive that model.save() writes, "
            "and this is not one"
        )
    raise ModelFileError(
        f"{path}: not a Keras model file: expected the .keras zip archive that model.save() writes "
        "(or a legacy HDF5 .h5 file)"
    )


def _zip_config(path: Path, largest: int) -> dict:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            unpacked = sum(member.file_size for member in members)
            if unpacked > largest:
                raise ModelFileError(
                    f"{path}: unpacks to {unpacked / 10**6:.0f} MB, more than the limit of "
                    f"{largest // 10**6} MB (--max-megabytes raises it)"
                )
            found = {member.filename: member for member in members}
            if "config.json" not in found:
                raise ModelFileError(f"{path}: a zip archive, but not a Keras model: it holds no config.json")
            if found["config.json"].file_size > MAX_CONFIG_BYTES:
                raise ModelFileError(f"{path}: its config.json is larger than any model's config")
            text = archive.read("config.json")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, RuntimeError) as error:
        raise ModelFileError(f"{path}: a damaged or incomplete zip archive ({_first_line(error)})") from None
    return _parsed(path, text)


def _h5_config(path: Path, largest: int) -> dict:
    import h5py

    try:
        with h5py.File(path, "r") as file:
            if "model_config" not in file.attrs:
                raise ModelFileError(
                    f"{path}: an HDF5 file, but not a Keras model: it holds no model_config "
                    "(a file of weights only, saved with save_weights?)"
                )
            declared = []
            file.visititems(
                lambda _, item: (
                    declared.append(item.size * item.dtype.itemsize)
                    if isinstance(item, h5py.Dataset)
                    else None
                )
            )
            text = file.attrs["model_config"]
    except (OSError, ValueError, TypeError) as error:
        raise ModelFileError(f"{path}: a damaged HDF5 file ({_first_line(error)})") from None
    if sum(declared) > largest:
        raise ModelFileError(
            f"{path}: its weights take {sum(declared) / 10**6:.0f} MB, more than the limit of "
            f"{largest // 10**6} MB (--max-megabytes raises it)"
        )
    return _parsed(path, text)


def _parsed(path: Path, text: bytes | str) -> dict:
    try:
        config = json.loads(text)
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise ModelFileError(f"{path}: its model config is not valid JSON") from None
    if not isinstance(config, dict):
        raise ModelFileError(f"{path}: its model config is not a JSON object")
    return config


def _check_config(path: Path, config: dict, limits: Limits) -> None:
    """Refuse a config that declares more than ``limits`` allow, before Keras builds anything."""
    layers = 0
    stack = [config]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        if isinstance(node.get("layers"), list):
            layers += len(node["layers"])
            if layers > limits.layers:
                raise ModelFileError(
                    f"{path}: declares more than {limits.layers} layers (--max-layers raises the limit)"
                )
        for key in SIZE_KEYS:
            size = node.get(key)
            if isinstance(size, int) and not isinstance(size, bool) and size > limits.units:
                raise ModelFileError(
                    f"{path}: a layer declares {key}={size}, more than the limit of {limits.units} "
                    "(--max-units raises it; Keras would allocate its weights before reading them)"
                )
        for key in INPUT_SHAPE_KEYS:
            shape = node.get(key)
            if isinstance(shape, list) and shape and isinstance(shape[-1], int) and shape[-1] > limits.units:
                raise ModelFileError(
                    f"{path}: an input declares {shape[-1]} features, more than the limit of "
                    f"{limits.units} (--max-units raises it)"
                )
        stack.extend(node.values())


def _missing_class(error: BaseException) -> str | None:
    """The class Keras could not find, from the chain of errors its loader raised, or None."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        found = re.search(r"Could not locate (?:class|function) ('[^']{1,200}')", str(error))
        if found:
            return found[1]
        error = error.__cause__ or error.__context__
    return None


def describe(model) -> ModelReport:
    """The recurrent layers of a built Keras model, as data (what `explain` prints).

    Raises:
        NoRecurrentLayerError: the model has no LSTM, GRU or SimpleRNN layer.
        ValueError: a recurrent layer is not built yet, so it has no weights.
    """
    keras = import_keras()
    found = [_layer(layer, path) for layer, path in _recurrent_layers(model, prefix="")]
    if not found:
        kinds = sorted({type(layer).__name__ for layer in getattr(model, "layers", [])})
        listed = ", ".join(kinds) if kinds else "none"
        raise NoRecurrentLayerError(
            f"model {model.name!r} has no recurrent layer (LSTM, GRU, SimpleRNN, an RNN around one of their "
            f"cells, or a wrapper around one); its layer types: {listed}"
        )
    return ModelReport(
        name=model.name,
        keras=keras.version(),
        backend=keras.backend.backend(),
        parameters=int(model.count_params()),
        layers=tuple(found),
    )


def explain(model, *, file: TextIO | None = None) -> None:
    """Print the glossary's description of each recurrent layer of ``model``.

    ``model`` is a built Keras model, or the path of a saved one (loaded with ``safe_mode=True``).
    The text goes to ``file`` (standard output by default); `describe` gives the same as data.
    """
    if isinstance(model, str | Path):
        model = load(model)
    (file or sys.stdout).write(render(describe(model)) + "\n")


def render(report: ModelReport) -> str:
    """The text `explain` prints for a `ModelReport`."""
    count = len(report.layers)
    in_layers = sum(layer.parameters for layer in report.layers)
    lines = [
        f"Model {report.name!r}: {count} recurrent layer{'s' if count != 1 else ''}, "
        f"holding {in_layers} of its {report.parameters} parameters"
    ]
    for layer in report.layers:
        lines.append("")
        lines.extend(_render_layer(layer))
    return printable("\n".join(lines))  # names come from the file: no control characters


def _render_layer(layer: RecurrentLayer) -> list[str]:
    first = layer.directions[0]
    if layer.layer_type == "Bidirectional":
        title = f"{layer.path} (Bidirectional around {first.layer_type}, merge_mode={layer.merge_mode!r})"
    elif layer.layer_type == "TimeDistributed":
        title = f"{layer.path} (TimeDistributed around {first.layer_type}: run on each slice along axis 1)"
    else:
        title = f"{layer.path} ({layer.layer_type})"
    if first.reset_after is not None:
        title = f"{title[:-1]}, reset_after={first.reset_after})"
    timesteps = str(layer.timesteps) if layer.timesteps is not None else "any"
    slices = "slices, " if layer.layer_type == "TimeDistributed" else ""
    if layer.input_shape is not None:
        read = f"input: {_shape(layer.input_shape)} = (batch, {slices}timesteps, features)"
    else:
        read = "input: not recorded (the layer was never called on a Keras input)"
    if layer.masked:
        read += ", with a mask from an earlier layer (Embedding(mask_zero=True) or Masking)"
    lstm = len(first.gates) == len(LSTM_GATES)
    state = "the hidden state and of the cell state" if lstm else "the hidden state"
    per_direction = " in each direction" if len(layer.directions) > 1 else ""
    lines = [
        title,
        f"  {read}",
        f"  features: {layer.features}, timesteps: {timesteps}",
        f"  units: {layer.units}{per_direction} (the size of {state})",
    ]
    for direction in layer.directions:
        indent = "  "
        if len(layer.directions) > 1:
            side = "backward" if direction.go_backwards else "forward"
            reads = ", go_backwards=True" if direction.go_backwards else ""
            lines.append(f"  {side} direction: {direction.name} ({direction.layer_type}{reads})")
            indent = "    "
        lines.extend(indent + line for line in _render_weights(direction))
        lines.append(f"{indent}parameters: {direction.formula}")
    if len(layer.directions) > 1:
        counts = " + ".join(str(d.parameters) for d in layer.directions)
        lines.append(f"  parameters: {counts} = {layer.parameters}")
    flags = f"return_sequences={layer.return_sequences}, return_state={layer.return_state}"
    lines.append(f"  returns ({flags}):")
    width = max(len(output.what) for output in layer.outputs)
    shape_width = max(len(_shape(output.shape)) for output in layer.outputs)
    for output in layer.outputs:
        lines.append(f"    {output.what:<{width}}  {_shape(output.shape):<{shape_width}} = {output.axes}")
    lines.extend(_render_cudnn(layer))
    return lines


def _render_weights(direction: Direction) -> list[str]:
    names = [weight.name for weight in direction.weights]
    if len(direction.gates) == 1:
        rows = [["weight", *names], ["shape", *(_shape(w.shape) for w in direction.weights)]]
        lines = ["weights (SimpleRNN has no gates: one block of units columns):"]
    else:
        lines = ["weights, split by gate (in the order Keras packs them side by side):"]
        rows = [["gate", *names]]
        rows += [[gate, *(_shape(w.per_gate) for w in direction.weights)] for gate in direction.gates]
        rows.append(["packed", *(_shape(w.shape) for w in direction.weights)])
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines += [
        "  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    bias = {w.name: w for w in direction.weights}.get("bias")
    if bias is not None and len(bias.shape) == 2:
        lines.append(
            "  bias has 2 rows with reset_after=True: row 0 for the input side, row 1 for the recurrent side"
        )
    if bias is None:
        lines.append("  no bias (use_bias=False)")
    return lines


def _render_cudnn(layer: RecurrentLayer) -> list[str]:
    sides = layer.directions
    if all(d.cudnn for d in sides):
        return ["  cuDNN kernel: allowed by these settings (Keras takes it when the layer runs on a GPU)"]
    blockers = list(dict.fromkeys(reason for d in sides for reason in d.cudnn_blockers))
    return [f"  cuDNN kernel: no: {'; '.join(blockers)}"]


def _recurrent_layers(model, prefix: str):
    """Each recurrent layer, alone or in a wrapper, with its path, in model order, nested too."""
    for layer in getattr(model, "layers", []):
        path = f"{prefix}{layer.name}"
        if _kind(_inner(layer)):
            yield layer, path
        elif getattr(layer, "layers", None) is not None:
            yield from _recurrent_layers(layer, prefix=f"{path}/")


def _inner(layer):
    """The recurrent layer a ``Bidirectional`` or ``TimeDistributed`` wraps, or ``layer`` itself."""
    import keras

    if isinstance(layer, keras.layers.Bidirectional):
        return layer.forward_layer
    if isinstance(layer, keras.layers.TimeDistributed):
        return layer.layer
    return layer


def _kind(layer) -> str | None:
    """``LSTM``, ``GRU`` or ``SimpleRNN`` for such a layer, or an ``RNN`` around one such cell."""
    import keras

    if not isinstance(layer, keras.layers.RNN):
        return None
    for kind in RECURRENT:
        if isinstance(layer.cell, getattr(keras.layers, f"{kind}Cell")):
            return kind
    return None


def _layer_type(layer) -> str:
    """What the layer is called: ``LSTM``, or ``RNN(LSTMCell)`` for the generic layer around a cell."""
    kind = _kind(layer)
    return kind if type(layer).__name__ == kind else f"{type(layer).__name__}({type(layer.cell).__name__})"


def _layer(layer, path: str) -> RecurrentLayer:
    import keras

    wrapped = isinstance(layer, keras.layers.Bidirectional)
    inner = _inner(layer)
    sides = (layer.forward_layer, layer.backward_layer) if wrapped else (inner,)
    directions = tuple(_direction(side) for side in sides)
    recorded, masked = _recorded_input(layer)
    features = directions[0].features
    slices = isinstance(layer, keras.layers.TimeDistributed)
    input_shape = recorded if recorded is not None else (None, *([None] if slices else []), None, features)
    return RecurrentLayer(
        path=path,
        layer_type=type(layer).__name__ if layer is not inner else _layer_type(layer),
        features=features,
        timesteps=input_shape[-2],
        input_shape=recorded,
        units=directions[0].units,
        return_sequences=bool(inner.return_sequences),
        return_state=bool(inner.return_state),
        outputs=_outputs(layer, input_shape, wrapped),
        parameters=int(layer.count_params()),
        directions=directions,
        merge_mode=layer.merge_mode if wrapped else None,
        masked=masked,
    )


def _direction(layer) -> Direction:

    kind = _kind(layer)
    cell = layer.cell
    if not layer.built:
        raise ValueError(
            f"layer {layer.name!r} is not built yet, so it has no weights; build the model "
            f"(call it on an input of shape (batch, timesteps, features)) first"
        )
    gates = {"LSTM": LSTM_GATES, "GRU": GRU_GATES, "SimpleRNN": ("one block",)}[kind]
    gates = tuple(gate.replace("_", " ") for gate in gates)
    arrays = [("kernel", cell.kernel), ("recurrent_kernel", cell.recurrent_kernel)]
    if cell.use_bias:
        arrays.append(("bias", cell.bias))
    weights = []
    for name, variable in arrays:
        shape = tuple(int(axis) for axis in variable.shape)
        per_gate = (*shape[:-1], shape[-1] // len(gates))
        weights.append(WeightShape(name, shape, per_gate))
    features, units = weights[0].shape[0], int(cell.units)
    reset_after = bool(cell.reset_after) if kind == "GRU" else None
    cudnn_blockers = _cudnn_blockers(layer, kind)
    return Direction(
        name=layer.name,
        layer_type=_layer_type(layer),
        features=features,
        units=units,
        gates=gates,
        weights=tuple(weights),
        formula=_formula(layer, len(gates), features, units, weights),
        parameters=int(layer.count_params()),
        go_backwards=bool(layer.go_backwards),
        reset_after=reset_after,
        cudnn=not cudnn_blockers,
        cudnn_blockers=cudnn_blockers,
    )


def _formula(layer, gates: int, features: int, units: int, weights: list[WeightShape]) -> str:
    """``gates * (features + units + bias rows) * units = total``, checked against Keras."""
    bias = {w.name: w for w in weights}.get("bias")
    bias_rows = 0 if bias is None else (bias.shape[0] if len(bias.shape) == 2 else 1)
    terms = [str(features), str(units)] + ([str(bias_rows)] if bias_rows else [])
    total = gates * (features + units + bias_rows) * units
    factor = f"{gates} {TIMES} " if gates > 1 else ""
    formula = f"{factor}({' + '.join(terms)}) {TIMES} {units} = {total}"
    counted = int(layer.count_params())
    if counted != total:
        formula += f" (but Keras's count_params() says {counted})"
    return formula


def _cudnn_blockers(layer, kind: str) -> tuple[str, ...]:
    """The settings of ``layer`` that rule out Keras 3's cuDNN kernel (empty: it is allowed).

    Keras's ``cudnn_ok`` asks for tanh and sigmoid, ``unroll=False`` and ``use_bias=True`` (and for
    a GRU, ``reset_after=True``); its LSTM and GRU take the kernel only without recurrent dropout
    and unless ``use_cudnn=False``.
    """
    if kind == "SimpleRNN":
        return ("Keras has no cuDNN kernel for SimpleRNN",)
    if type(layer).__name__ != kind:
        return (f"{type(layer).__name__} runs its cell step by step; only the {kind} layer takes the kernel",)
    blockers = []
    activation, recurrent = _name(layer.activation), _name(layer.recurrent_activation)
    if activation != "tanh":
        blockers.append(f"activation={activation!r} (the kernel needs 'tanh')")
    if recurrent != "sigmoid":
        blockers.append(f"recurrent_activation={recurrent!r} (the kernel needs 'sigmoid')")
    if layer.recurrent_dropout:
        blockers.append(f"recurrent_dropout={layer.recurrent_dropout} (the kernel needs 0)")
    if layer.unroll:
        blockers.append("unroll=True (the kernel needs False)")
    if not layer.use_bias:
        blockers.append("use_bias=False (the kernel needs True)")
    if kind == "GRU" and not layer.reset_after:
        blockers.append("reset_after=False (the kernel needs True)")
    if getattr(layer, "use_cudnn", "auto") is False:
        blockers.append("use_cudnn=False")
    return tuple(blockers)


def _recorded_input(layer) -> tuple[tuple[int | None, ...] | None, bool]:
    """The input shape of the layer's one call in the model graph (None: none), and whether a mask came.

    A layer that receives a mask (from ``Embedding(mask_zero=True)`` or ``Masking``) records its
    input as ``[x, mask]``; initial states passed to it come after ``x`` as well.
    """
    try:
        recorded = layer.input
    except (AttributeError, ValueError, RuntimeError):
        return None, False
    tensors = list(recorded) if isinstance(recorded, list | tuple) else [recorded]
    masked = any("bool" in str(tensor.dtype) for tensor in tensors[1:])
    return tuple(None if axis is None else int(axis) for axis in tensors[0].shape), masked


def _outputs(layer, input_shape, wrapped: bool) -> tuple[Output, ...]:
    """The arrays the layer returns, with the shapes Keras gives them, named with the glossary's terms."""
    try:
        produced = layer.output
        shapes = (
            [tuple(t.shape) for t in produced] if isinstance(produced, list | tuple) else [produced.shape]
        )
    except (AttributeError, ValueError, RuntimeError):
        computed = layer.compute_output_shape(input_shape)
        shapes = list(computed) if isinstance(computed[0], tuple | list) else [computed]
    shapes = [tuple(None if axis is None else int(axis) for axis in shape) for shape in shapes]
    first = _inner(layer)
    base = "hidden state at every timestep" if first.return_sequences else "last hidden state"
    if first is not layer and not wrapped:
        base += " of each slice"
    if not wrapped:
        names = [base]
    elif layer.merge_mode is None:
        names = [f"forward {base}", f"backward {base}"]
    else:
        names = [f"forward and backward {base.replace('state', 'states')}, merged ({layer.merge_mode})"]
    if first.return_state:
        states = (
            ["final hidden state", "final cell state"] if _kind(first) == "LSTM" else ["final hidden state"]
        )
        if wrapped:
            states = [f"{side} {state}" for side in ("forward", "backward") for state in states]
        names += states
    if len(names) != len(shapes):  # a layout this function does not know: keep Keras's shapes
        names = [f"output {number}" for number in range(len(shapes))]
    units = first.cell.units
    slices = ["slices"] if first is not layer and not wrapped else []
    return tuple(
        Output(name, shape, _axes(shape, units, slices)) for name, shape in zip(names, shapes, strict=True)
    )


def _axes(shape: tuple[int | None, ...], units: int, slices: list[str]) -> str:
    last = {units: "units", 2 * units: f"2 {TIMES} units"}.get(shape[-1], str(shape[-1]))
    middle = ["timesteps"] if len(shape) == 3 + len(slices) else []
    return f"({', '.join(['batch', *slices, *middle, last])})"


def _shape(shape: tuple) -> str:
    return "(" + ", ".join(str(axis) for axis in shape) + ("," if len(shape) == 1 else "") + ")"


def _name(activation) -> str:
    return getattr(activation, "__name__", type(activation).__name__)


def _first_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__
