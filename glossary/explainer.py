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

import sys
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TextIO

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
    """``LSTM``, ``GRU``, ``SimpleRNN`` or ``Bidirectional``."""
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


def load(path: str | Path):
    """Load a ``.keras`` (or ``.h5``) model with ``safe_mode=True``; never runs code from the file.

    Raises:
        ModelFileError: the file is missing, is not a model Keras can load, or holds Python code
            (a ``Lambda`` layer's function, say) that only unsafe deserialisation would accept.
    """
    path = Path(path)
    if not path.exists():
        raise ModelFileError(f"{path}: no such file")
    if path.is_dir():
        raise ModelFileError(
            f"{path}: is a folder; expected a model file saved with model.save('model.keras')"
        )
    if path.suffix == ".keras" and not zipfile.is_zipfile(path):
        raise ModelFileError(
            f"{path}: not a Keras model: a .keras file is the zip archive that model.save() writes, "
            "and this is not one"
        )
    import keras

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
        raise ModelFileError(
            f"{path}: not a model Keras {keras.version()} can load ({type(error).__name__}: {said})"
        ) from None


def describe(model) -> ModelReport:
    """The recurrent layers of a built Keras model, as data (what `explain` prints).

    Raises:
        NoRecurrentLayerError: the model has no LSTM, GRU or SimpleRNN layer.
        ValueError: a recurrent layer is not built yet, so it has no weights.
    """
    import keras

    found = [_layer(layer, path) for layer, path in _recurrent_layers(model, prefix="")]
    if not found:
        kinds = sorted({type(layer).__name__ for layer in getattr(model, "layers", [])})
        listed = ", ".join(kinds) if kinds else "none"
        raise NoRecurrentLayerError(
            f"model {model.name!r} has no recurrent layer (LSTM, GRU, SimpleRNN, or Bidirectional "
            f"around one); its layer types: {listed}"
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
    return "\n".join(lines)


def _render_layer(layer: RecurrentLayer) -> list[str]:
    first = layer.directions[0]
    if layer.layer_type == "Bidirectional":
        title = f"{layer.path} (Bidirectional around {first.layer_type}, merge_mode={layer.merge_mode!r})"
    else:
        title = f"{layer.path} ({layer.layer_type})"
    if first.reset_after is not None:
        title = f"{title[:-1]}, reset_after={first.reset_after})"
    timesteps = str(layer.timesteps) if layer.timesteps is not None else "any"
    if layer.input_shape is not None:
        read = f"input: {_shape(layer.input_shape)} = (batch, timesteps, features)"
    else:
        read = "input: not recorded (the layer was never called on a Keras input)"
    state = "the hidden state and of the cell state" if first.layer_type == "LSTM" else "the hidden state"
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
    """Each LSTM, GRU, SimpleRNN or Bidirectional layer, with its path, in model order, nested too."""
    import keras

    for layer in getattr(model, "layers", []):
        path = f"{prefix}{layer.name}"
        if isinstance(layer, keras.layers.Bidirectional):
            if _kind(layer.forward_layer):
                yield layer, path
        elif _kind(layer):
            yield layer, path
        elif getattr(layer, "layers", None) is not None:
            yield from _recurrent_layers(layer, prefix=f"{path}/")


def _kind(layer) -> str | None:
    import keras

    for kind in RECURRENT:
        if isinstance(layer, getattr(keras.layers, kind)):
            return kind
    return None


def _layer(layer, path: str) -> RecurrentLayer:
    import keras

    wrapped = isinstance(layer, keras.layers.Bidirectional)
    sides = (layer.forward_layer, layer.backward_layer) if wrapped else (layer,)
    directions = tuple(_direction(side) for side in sides)
    recorded = _recorded_input_shape(layer)
    features = directions[0].features
    input_shape = recorded if recorded is not None else (None, None, features)
    first = sides[0]
    return RecurrentLayer(
        path=path,
        layer_type="Bidirectional" if wrapped else _kind(layer),
        features=features,
        timesteps=input_shape[1],
        input_shape=recorded,
        units=first.units,
        return_sequences=bool(first.return_sequences),
        return_state=bool(first.return_state),
        outputs=_outputs(layer, input_shape, wrapped),
        parameters=int(layer.count_params()),
        directions=directions,
        merge_mode=layer.merge_mode if wrapped else None,
    )


def _direction(layer) -> Direction:
    from glossary.reference import GRU_GATES, LSTM_GATES

    kind = _kind(layer)
    if not layer.built:
        raise ValueError(
            f"layer {layer.name!r} is not built yet, so it has no weights; build the model "
            f"(call it on an input of shape (batch, timesteps, features)) first"
        )
    gates = {"LSTM": LSTM_GATES, "GRU": GRU_GATES, "SimpleRNN": ("one block",)}[kind]
    gates = tuple(gate.replace("_", " ") for gate in gates)
    cell = layer.cell
    arrays = [("kernel", cell.kernel), ("recurrent_kernel", cell.recurrent_kernel)]
    if cell.use_bias:
        arrays.append(("bias", cell.bias))
    weights = []
    for name, variable in arrays:
        shape = tuple(int(axis) for axis in variable.shape)
        per_gate = (*shape[:-1], shape[-1] // len(gates))
        weights.append(WeightShape(name, shape, per_gate))
    features, units = weights[0].shape[0], int(layer.units)
    reset_after = bool(layer.reset_after) if kind == "GRU" else None
    cudnn_blockers = _cudnn_blockers(layer, kind)
    return Direction(
        name=layer.name,
        layer_type=kind,
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


def _recorded_input_shape(layer) -> tuple[int | None, ...] | None:
    """The input shape of the layer's one call in the model graph, or None if there is none."""
    try:
        shape = layer.input.shape
    except (AttributeError, ValueError, RuntimeError):
        return None
    return tuple(None if axis is None else int(axis) for axis in shape)


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
    first = layer.forward_layer if wrapped else layer
    base = "hidden state at every timestep" if first.return_sequences else "last hidden state"
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
    units = first.units
    return tuple(Output(name, shape, _axes(shape, units)) for name, shape in zip(names, shapes, strict=True))


def _axes(shape: tuple[int | None, ...], units: int) -> str:
    last = {units: "units", 2 * units: f"2 {TIMES} units"}.get(shape[-1], str(shape[-1]))
    middle = ["timesteps"] if len(shape) == 3 else []
    return f"({', '.join(['batch', *middle, last])})"


def _shape(shape: tuple) -> str:
    return "(" + ", ".join(str(axis) for axis in shape) + ("," if len(shape) == 1 else "") + ")"


def _name(activation) -> str:
    return getattr(activation, "__name__", type(activation).__name__)


def _first_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__
