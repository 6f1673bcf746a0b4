"""What `glossary explain` reports of a model's recurrent layers, as data and as text.

`ModelReport` holds each layer's sizes, weights split by gate, parameter count with its formula,
output shapes and cuDNN verdict; `render` writes it as the command prints it, every name read
from the model file escaped for the terminal.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from glossary.recurrent_layers import DESCRIBED_FORMS
from glossary.reference import LSTM_GATES
from glossary.terminal import printable

TIMES = "\N{MULTIPLICATION SIGN}"
"""The sign explain writes between the factors of a parameter count, for ``4 * (5 + 4 + 1) * 4 = 160``."""


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
    call_input_shapes: tuple[tuple[int | None, ...], ...] = ()
    """A layer shared by inputs of different shapes in the model: each of those shapes."""


@dataclass(frozen=True)
class NotDescribed:
    """A recurrent layer of the model in a form ``explain`` does not take apart."""

    path: str
    structure: str
    """What it is, e.g. ``TimeDistributed around Bidirectional around LSTM``."""


@dataclass(frozen=True)
class ModelReport:
    """What ``explain`` found in a saved model: its name, Keras, backend, size and recurrent layers."""

    name: str
    keras: str
    backend: str
    parameters: int
    """The whole model's ``count_params()``."""
    layers: tuple[RecurrentLayer, ...]
    not_described: tuple[NotDescribed, ...] = ()
    """Recurrent layers found in forms the report does not describe (see `DESCRIBED_FORMS`)."""

    def to_dict(self) -> dict:
        """The report as plain data, as ``glossary explain --json`` prints it."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ModelReport:
        """The report that `to_dict` gave ``data``: JSON's lists become the tuples they were."""

        def direction(d: dict) -> Direction:
            weights = tuple(
                WeightShape(w["name"], tuple(w["shape"]), tuple(w["per_gate"])) for w in d["weights"]
            )
            return Direction(**(d | {"gates": tuple(d["gates"]), "weights": weights,
                                     "cudnn_blockers": tuple(d["cudnn_blockers"])}))  # fmt: skip

        def layer(d: dict) -> RecurrentLayer:
            return RecurrentLayer(
                **d
                | {
                    "input_shape": None if d["input_shape"] is None else tuple(d["input_shape"]),
                    "outputs": tuple(Output(o["what"], tuple(o["shape"]), o["axes"]) for o in d["outputs"]),
                    "directions": tuple(direction(x) for x in d["directions"]),
                    "call_input_shapes": tuple(tuple(shape) for shape in d["call_input_shapes"]),
                }
            )

        return cls(
            **data
            | {
                "layers": tuple(layer(d) for d in data["layers"]),
                "not_described": tuple(NotDescribed(**d) for d in data["not_described"]),
            }
        )


def render(report: ModelReport) -> str:
    """The text `explain` prints for a `ModelReport`.

    Names come from the model file: each is printed with its control characters, line breaks
    included, written as escapes, so that no name can recolour the terminal or forge a line.
    """
    count = len(report.layers)
    in_layers = sum(layer.parameters for layer in report.layers)
    lines = [
        f"Model {report.name!r}: {count} recurrent layer{'s' if count != 1 else ''}, "
        f"holding {in_layers} of its {report.parameters} parameters"
        + (f"; {len(report.not_described)} more not described (below)" if report.not_described else "")
    ]
    for layer in report.layers:
        lines.append("")
        lines.extend(_render_layer(layer))
    for layer in report.not_described:
        lines += ["", f"{_name_shown(layer.path)} ({layer.structure}): not described: {DESCRIBED_FORMS}"]
    return printable("\n".join(lines))


def _name_shown(name: str) -> str:
    return printable(name, lines=False)


def _render_layer(layer: RecurrentLayer) -> list[str]:
    first = layer.directions[0]
    settings = []
    if layer.layer_type == "Bidirectional":
        kinds = dict.fromkeys(direction.layer_type for direction in layer.directions)
        around = (
            " and ".join(
                f"{direction.layer_type} {'backward' if direction.go_backwards else 'forward'}"
                for direction in layer.directions
            )
            if len(kinds) > 1
            else first.layer_type
        )
        kind = f"Bidirectional around {around}"
        settings.append(f"merge_mode={layer.merge_mode!r}")
    elif layer.layer_type == "TimeDistributed":
        kind = f"TimeDistributed around {first.layer_type}"
    else:
        kind = layer.layer_type
    if first.reset_after is not None:
        settings.append(f"reset_after={first.reset_after}")
    if len(layer.directions) == 1 and first.go_backwards:
        settings.append("go_backwards=True")
    title = f"{_name_shown(layer.path)} ({', '.join([kind, *settings])}"
    title += "; run on each slice along axis 1)" if layer.layer_type == "TimeDistributed" else ")"
    slices = "slices, " if layer.layer_type == "TimeDistributed" else ""
    if layer.call_input_shapes:
        shapes = " and ".join(_shape(shape) for shape in layer.call_input_shapes)
        read = f"input: called on {shapes} in the model = (batch, {slices}timesteps, features)"
    elif layer.input_shape is not None:
        read = f"input: {_shape(layer.input_shape)} = (batch, {slices}timesteps, features)"
    else:
        read = "input: not recorded (the layer was never called on a Keras input)"
    if layer.masked:
        calls = " (in at least one call)" if layer.call_input_shapes else ""
        read += f", with a mask from an earlier layer (Embedding(mask_zero=True) or Masking){calls}"
    if layer.timesteps is not None:
        timesteps = str(layer.timesteps)
    elif layer.call_input_shapes:
        timesteps = (
            "any (" + " and ".join(str(shape[-2]) for shape in layer.call_input_shapes) + " in this model)"
        )
    else:
        timesteps = "any"
    lines = [
        title,
        f"  {read}",
        f"  features: {layer.features}, timesteps: {timesteps}",
        f"  {_units_line(layer)}",
    ]
    for direction in layer.directions:
        indent = "  "
        if len(layer.directions) > 1:
            side = "backward" if direction.go_backwards else "forward"
            reads = ", go_backwards=True" if direction.go_backwards else ""
            lines.append(f"  {side} direction: {_name_shown(direction.name)} ({direction.layer_type}{reads})")
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


def _units_line(layer: RecurrentLayer) -> str:
    """What ``units`` is here: the state size, in each direction of a Bidirectional."""
    first = layer.directions[0]
    lstm = len(first.gates) == len(LSTM_GATES)
    state = "the hidden state and of the cell state" if lstm else "the hidden state"
    each = " in each direction" if len(layer.directions) > 1 else ""
    return f"units: {first.units}{each} (the size of {state})"


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


GPU_TAKES_IT = {
    "LSTM": "on a GPU, Keras 3 takes it on TensorFlow, PyTorch and JAX",
    "GRU": "on a GPU, Keras 3 takes it on TensorFlow and PyTorch; its JAX backend has no cuDNN GRU",
}
"""Where the kernel runs for settings that allow it, by the cell's kind (gates name it)."""

MASK_ON_GPU = (
    "only TensorFlow takes it then, for right-padded sequences (a left-padded mask stops fit and "
    "predict); JAX and PyTorch run Keras's own loop"
)
"""What a mask changes, by Keras 3's source: each backend's cuDNN path refuses or checks it."""


def _render_cudnn(layer: RecurrentLayer) -> list[str]:
    sides = layer.directions
    if all(d.cudnn for d in sides):
        kind = "LSTM" if len(sides[0].gates) == len(LSTM_GATES) else "GRU"  # only these two allow it
        lines = [f"  cuDNN kernel: allowed by these settings ({GPU_TAKES_IT[kind]})"]
        return lines + ([f"    but the layer receives a mask: {MASK_ON_GPU}"] if layer.masked else [])
    blockers = list(dict.fromkeys(reason for d in sides for reason in d.cudnn_blockers))
    return [f"  cuDNN kernel: no: {'; '.join(blockers)}"]


def _shape(shape: tuple) -> str:
    return "(" + ", ".join(str(axis) for axis in shape) + ("," if len(shape) == 1 else "") + ")"
