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
import math
import os
import re
import subprocess
import sys
import warnings
import zipfile
from dataclasses import asdict, astuple, dataclass
from pathlib import Path
from typing import TextIO

from glossary.reference import GRU_GATES, LSTM_GATES
from glossary.terminal import printable
from glossary.versions import KerasUnavailableError, import_keras, quiet_tensorflow

TIMES = "\N{MULTIPLICATION SIGN}"
"""The sign explain writes between the factors of a parameter count, for ``4 * (5 + 4 + 1) * 4 = 160``."""

RECURRENT = ("LSTM", "GRU", "SimpleRNN")
"""The layer types explained; a ``Bidirectional`` wrapper around one of them is explained too."""

DESCRIBED_FORMS = (
    "explain describes LSTM, GRU and SimpleRNN layers, or an RNN around one of their cells, alone, "
    "in one TimeDistributed wrapper, or in one Bidirectional wrapper of two equal halves"
)
"""What a recurrent layer must be for the report to take it apart."""


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


class ModelFileError(Exception):
    """A model file that cannot be explained: missing, not a Keras model, or needing unsafe code."""


class ModelTooLargeError(ModelFileError):
    """A model whose loading needs more memory than the process may take."""


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

INPUT_SHAPE_KEYS = ("batch_shape", "batch_input_shape", "input_shape")
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
        with warnings.catch_warnings():  # Keras's advice about the config: the report says what matters
            warnings.simplefilter("ignore")
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
        if _out_of_memory(error):
            raise ModelTooLargeError(f"{path}: Keras could not allocate its weights") from None
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

    The format is decided as Keras decides it, by the file's name (``.keras``: a zip archive;
    ``.h5`` or ``.hdf5``: HDF5), and the file must be what its name says: a file that is both
    (an HDF5 file with a zip archive appended, say) would otherwise be checked as one format
    and loaded as the other.

    Raises:
        ModelFileError: what keeps the file from being a model file within the limits.
    """
    try:
        if not path.exists():
            raise ModelFileError(f"{path}: no such file")
        if path.is_dir():
            raise ModelFileError(f"{path}: is a folder; expected a file saved with model.save('model.keras')")
        if not path.is_file():
            raise ModelFileError(
                f"{path}: not a regular file (a device, pipe or socket); expected a model file"
            )
        largest = limits.megabytes * 10**6
        suffix = path.suffix.lower()
        if suffix == ".keras":
            with path.open("rb") as file:
                if file.read(4) != b"PK\x03\x04":
                    raise ModelFileError(
                        f"{path}: not a Keras model: a .keras file is the zip archive that model.save() "
                        "writes, and this is not one"
                    )
            return _zip_config(path, largest)
        if suffix in (".h5", ".hdf5"):
            import h5py

            if not h5py.is_hdf5(path):
                raise ModelFileError(f"{path}: not an HDF5 file, which a {suffix} model file is")
            return _h5_config(path, largest)
    except OSError as error:
        raise ModelFileError(f"{path}: cannot be read ({error.strerror or error})") from None
    raise ModelFileError(
        f"{path}: not a Keras model file: Keras reads a .keras file (the zip archive model.save() "
        "writes) or a legacy .h5 file, and tells them apart by the name"
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
                    declared.append((item.size or 0) * item.dtype.itemsize)  # size is None when empty
                    if isinstance(item, h5py.Dataset)
                    else None
                )
            )
            text = file.attrs["model_config"]
            if not isinstance(text, str | bytes):
                raise ModelFileError(f"{path}: its model_config is not text but {type(text).__name__}")
    except ModelFileError:
        raise
    except Exception as error:  # h5py raises many kinds for a damaged file: OSError, KeyError, RuntimeError
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
    except ValueError:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise ModelFileError(f"{path}: its model config is not valid JSON") from None
    except RecursionError:
        raise ModelFileError(f"{path}: its model config nests deeper than any model's") from None
    if not isinstance(config, dict):
        raise ModelFileError(f"{path}: its model config is not a JSON object")
    return config


def _check_config(path: Path, config: dict, limits: Limits) -> None:
    """Refuse a config that declares more than ``limits`` allow, before Keras builds anything."""
    layers = [node for node in _nodes(config) if isinstance(node.get("layers"), list)]
    if sum(len(node["layers"]) for node in layers) > limits.layers:
        raise ModelFileError(
            f"{path}: declares more than {limits.layers} layers (--max-layers raises the limit)"
        )
    for node in _nodes(config):
        for key in SIZE_KEYS:
            size = node.get(key)
            if _whole(size) and size > limits.units:
                raise ModelFileError(
                    f"{path}: a layer declares {key}={size}, more than the limit of {limits.units} "
                    "(--max-units raises it; Keras would allocate its weights before reading them)"
                )
        for key in INPUT_SHAPE_KEYS:
            shape = node.get(key)
            if isinstance(shape, list) and shape and _whole(shape[-1]) and shape[-1] > limits.units:
                raise ModelFileError(
                    f"{path}: an input declares {shape[-1]} features, more than the limit of "
                    f"{limits.units} (--max-units raises it)"
                )
    megabytes = 4 * _most_parameters(config) / 10**6  # float32
    if megabytes > limits.megabytes:
        raise ModelFileError(
            f"{path}: its layers may need up to {megabytes:.0f} MB of weights (estimated from the "
            f"config, before Keras allocates them), more than the limit of {limits.megabytes} MB "
            "(--max-megabytes raises it)"
        )


def _nodes(config):
    """Every JSON object in ``config``, depth first."""
    stack = [config]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            yield node
            stack.extend(node.values())


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _product(values) -> int:
    values = values if isinstance(values, list) else [values]
    return math.prod(value for value in values if _whole(value) and value > 0)


def _most_parameters(config: dict) -> int:
    """An upper bound on the parameters the config's layers declare, without building them.

    A layer's input width is not in its config; the widest thing the model declares stands in
    for it (any width, or any input's or ``Reshape``'s size when a ``Flatten`` or ``Reshape``
    can turn a whole example into one axis). Each layer with ``units`` or ``filters`` then counts
    ``gates * kernel * (width + units + 2) * units``; an ``Embedding``, ``input_dim * output_dim``.
    """
    layers = [
        node for node in _nodes(config) if isinstance(node.get("config"), dict) and "class_name" in node
    ]
    settings = [layer["config"] for layer in layers]
    widths = [value for setting in settings for key in SIZE_KEYS if _whole(value := setting.get(key))]
    shapes = [
        shape
        for setting in settings
        for key in (*INPUT_SHAPE_KEYS, "target_shape")
        if isinstance(shape := setting.get(key), list) and shape
    ]
    widths += [shape[-1] for shape in shapes if _whole(shape[-1])]
    if any(layer["class_name"] in ("Flatten", "Reshape") for layer in layers):
        widths += [_product(shape) for shape in shapes]
    width = max(widths, default=1)
    total = 0
    for layer in layers:
        setting, name = layer["config"], str(layer["class_name"])
        units = setting.get("units", setting.get("filters"))
        if _whole(units) and units > 0:
            gates = 4 if "LSTM" in name else 3 if "GRU" in name else 1
            copies = 2 if name == "Bidirectional" else 1
            total += copies * gates * _product(setting.get("kernel_size", 1)) * (width + units + 2) * units
        if name == "Embedding" and _whole(setting.get("input_dim")) and _whole(setting.get("output_dim")):
            total += setting["input_dim"] * setting["output_dim"]
    return total


def _out_of_memory(error: BaseException) -> bool:
    """Whether ``error``, or an error it was raised from, is a failed allocation."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, MemoryError) or any(sign in str(error) for sign in OUT_OF_MEMORY):
            return True
        error = error.__cause__ or error.__context__
    return False


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
    found, not_described = [], []
    for layer, path in _recurrent_layers(model, prefix=""):
        structure = _structure(layer)
        if _described(layer):
            found.append(_layer(layer, path))
        else:
            not_described.append(NotDescribed(path, structure))
    if not found and not not_described:
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
        not_described=tuple(not_described),
    )


def explain(model, *, file: TextIO | None = None) -> None:
    """Print the glossary's description of each recurrent layer of ``model``.

    ``model`` is a built Keras model, or the path of a saved one (read by `report_for_file`).
    The text goes to ``file`` (standard output by default); `describe` gives the same as data.
    """
    report = report_for_file(model) if isinstance(model, str | Path) else describe(model)
    (file or sys.stdout).write(render(report) + "\n")


def answer_of_reader(module: str, path: Path, arguments: list[str]) -> dict:
    """What ``python -m MODULE PATH ARGUMENTS...``, a process that reads a model, answered.

    The answer is the JSON document of its last line of output. A process stopped by a signal
    (the memory cap, most often) answers ``{"memory": ...}``; one that failed without answering,
    ``{"kind": "file", "error": ...}``.
    """
    # -P: the current folder stays off the child's sys.path, so a folder named glossary there
    # cannot stand in for this package.
    command = [sys.executable, "-P", "-m", module, os.fsdecode(path), *arguments]
    ran = subprocess.run(command, capture_output=True, env=quiet_tensorflow(dict(os.environ)), check=False)
    try:
        return json.loads(ran.stdout.decode("utf-8").strip().splitlines()[-1])
    except (ValueError, IndexError):  # no answer: the process was stopped by a signal, or failed
        if ran.returncode < 0:
            return {"memory": f"the process reading it was stopped by signal {-ran.returncode}"}
        said = ran.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"]
        return {"kind": "file", "error": f"{path}: the process reading it failed ({said[-1]})"}


def report_for_file(path: str | Path, limits: Limits = Limits()) -> ModelReport:
    """`describe` of the model saved at ``path``, read in a child process whose memory is capped.

    The file is checked here first, without Keras (see `load`). Keras then loads it in a process
    of its own, which may use ``2 * limits.megabytes`` megabytes beyond what Keras itself takes
    (plus room to work): a config that asks for more than the checks can foresee stops that
    process, not this one, and is reported as needing more memory.

    Raises:
        ModelFileError: see `load`, and a file whose loading needs more memory than allowed.
        NoRecurrentLayerError: the model has no recurrent layer.
        KerasUnavailableError: Keras, or its backend, cannot be imported.
    """
    path = Path(path)
    _check_config(path, _config(path, limits), limits)
    answer = answer_of_reader("glossary.explainer", path, [*map(str, astuple(limits))])
    if "report" in answer:
        return ModelReport.from_dict(answer["report"])
    if "memory" in answer:
        raise ModelFileError(
            f"{path}: loading it needs more memory than --max-megabytes {limits.megabytes} allows "
            f"({answer['memory']}); a larger limit raises it"
        )
    kinds = {"file": ModelFileError, "none": NoRecurrentLayerError, "keras": KerasUnavailableError}
    raise kinds.get(answer.get("kind"), ModelFileError)(answer.get("error", "no answer from the reader"))


def _read_in_child(arguments: list[str]) -> dict:
    """What the child process of `report_for_file` answers: a report, or why there is none."""
    path, units, layers, megabytes = arguments
    limits = Limits(int(units), int(layers), int(megabytes))
    try:
        keras = import_keras()
        keras.ops.matmul(keras.ops.ones((2, 2)), keras.ops.ones((2, 2)))  # Keras's threads start now
        _cap_memory(2 * limits.megabytes + 512)
        return {"report": describe(load(path, limits)).to_dict()}
    except MemoryError:
        return {"memory": "Python could not allocate"}
    except ModelTooLargeError:
        return {"memory": "Keras could not allocate its weights"}
    except ModelFileError as error:
        return {"kind": "file", "error": str(error)}
    except NoRecurrentLayerError as error:
        return {"kind": "none", "error": f"{path}: {error}"}
    except ValueError as error:  # a recurrent layer that is not built
        return {"kind": "file", "error": f"{path}: {error}"}
    except ImportError as error:
        return {"kind": "keras", "error": str(error)}


OUT_OF_MEMORY = ("OOM when allocating", "Unable to allocate", "bad_alloc", "MemoryError")
"""How the backends word a failed allocation in the errors Keras passes on."""


def _cap_memory(megabytes: int) -> None:
    """Let this process's address space grow by ``megabytes`` at most, where the system allows it.

    Linux enforces the limit (``RLIMIT_AS``); elsewhere the process runs without one.
    """
    try:
        import resource

        taken = int(re.search(r"VmSize:\s+(\d+) kB", Path("/proc/self/status").read_text())[1]) * 1024
    except (ImportError, OSError, TypeError):
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    ceiling = taken + megabytes * 10**6
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))


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


def _render_cudnn(layer: RecurrentLayer) -> list[str]:
    sides = layer.directions
    if all(d.cudnn for d in sides):
        return ["  cuDNN kernel: allowed by these settings (Keras takes it when the layer runs on a GPU)"]
    blockers = list(dict.fromkeys(reason for d in sides for reason in d.cudnn_blockers))
    return [f"  cuDNN kernel: no: {'; '.join(blockers)}"]


def _recurrent_layers(model, prefix: str):
    """Each layer that is or wraps a recurrent layer, with its path, in model order, nested too."""
    for layer in getattr(model, "layers", []):
        path = f"{prefix}{layer.name}"
        if _recurrent_within(layer):
            yield layer, path
        elif getattr(layer, "layers", None) is not None:
            yield from _recurrent_layers(layer, prefix=f"{path}/")
        elif _wrapped(layer) is not None and _holds_recurrent(_wrapped(layer)):
            yield layer, path  # a wrapper around a model that holds one: not described


def _wrapped(layer):
    """The layer a ``Bidirectional`` or ``TimeDistributed`` wraps (the forward one), else None."""
    import keras

    if isinstance(layer, keras.layers.Bidirectional):
        return layer.forward_layer
    if isinstance(layer, keras.layers.TimeDistributed):
        return layer.layer
    return None


def _recurrent_within(layer) -> bool:
    """Whether ``layer`` is a recurrent layer or cell of any kind, or a wrapper (of wrappers) around one.

    A cell (``LSTMCell``) called as a layer on its own counts. A model inside a wrapper is looked
    into by `_holds_recurrent`.
    """
    import keras

    cells = (keras.layers.LSTMCell, keras.layers.GRUCell, keras.layers.SimpleRNNCell)
    if isinstance(layer, (keras.layers.RNN, keras.layers.StackedRNNCells, *cells)):
        return True
    inner = _wrapped(layer)
    return inner is not None and _recurrent_within(inner)


def _holds_recurrent(layer) -> bool:
    """Whether ``layer``, or any layer inside it (a nested model's, a wrapper's), is recurrent."""
    if _recurrent_within(layer):
        return True
    inner = _wrapped(layer)
    if inner is not None:
        return _holds_recurrent(inner)
    return any(_holds_recurrent(sub) for sub in getattr(layer, "layers", None) or [])


def _described(layer) -> bool:
    """Whether the report takes ``layer`` apart: see `DESCRIBED_FORMS`.

    A Bidirectional whose backward layer differs from its forward one (another type or size) is
    not: Keras's own output shapes for it assume two equal halves, and are wrong.
    """
    inner = _wrapped(layer)
    if inner is None:
        return _kind(layer) is not None
    if _wrapped(inner) is not None or _kind(inner) is None:
        return False
    backward = getattr(layer, "backward_layer", None)
    return backward is None or (_kind(backward), backward.cell.units) == (_kind(inner), inner.cell.units)


def _structure(layer) -> str:
    """What ``layer`` is, wrappers first: ``TimeDistributed around Bidirectional around LSTM``."""
    inner = _wrapped(layer)
    backward = getattr(layer, "backward_layer", None)
    if backward is not None and _structure(backward) != _structure(inner):
        return f"Bidirectional around {_structure(inner)} forward and {_structure(backward)} backward"
    if inner is not None:
        return f"{type(layer).__name__} around {_structure(inner)}"
    cell = getattr(layer, "cell", None)
    if type(layer).__name__ == "RNN" and cell is not None:
        return f"RNN around {type(cell).__name__}"
    if type(layer).__name__.endswith("Cell"):
        return f"{type(layer).__name__} called as a layer"
    return type(layer).__name__


def _inner(layer):
    """The recurrent layer a ``Bidirectional`` or ``TimeDistributed`` wraps, or ``layer`` itself."""
    inner = _wrapped(layer)
    return layer if inner is None else inner


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
    calls = _call_input_shapes(layer)
    recorded, masked = _recorded_input(layer) if len(calls) <= 1 else (None, _masked_in_a_call(layer))
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
        call_input_shapes=calls if len(calls) > 1 else (),
    )


def _masked_in_a_call(layer) -> bool:
    """Whether a mask reaches ``layer`` in any of its calls in the model."""
    for node in getattr(layer, "_inbound_nodes", []):
        tensors = getattr(node, "input_tensors", None) or []
        if any("bool" in str(tensor.dtype) for tensor in tensors[1:]):
            return True
    return False


def _call_input_shapes(layer) -> tuple[tuple[int | None, ...], ...]:
    """The distinct input shapes ``layer`` is called on in the model.

    More than one for a layer shared by inputs of different shapes. (A ``Sequential`` model calls
    its layers twice, on one shape.)
    """
    shapes = []
    for node in getattr(layer, "_inbound_nodes", []):
        tensors = getattr(node, "input_tensors", None) or []
        if tensors:
            shapes.append(tuple(None if axis is None else int(axis) for axis in tensors[0].shape))
    return tuple(dict.fromkeys(shapes))


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
        if len(_call_input_shapes(layer)) > 1:  # a shared layer: no one output to read
            raise ValueError("called more than once")
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
    if first.return_sequences and first.go_backwards and not wrapped:
        base += ", last timestep first"  # the order it read them in (see docs/go-backwards.md)
    if first is not layer and not wrapped:
        base += " of each slice"
    if not wrapped:
        names = [base]
    elif layer.merge_mode is None:
        names = [f"forward {base}", f"backward {base}"]
    else:
        names = [f"forward and backward {base.replace('state', 'states')}, merged ({layer.merge_mode})"]
    if first.return_state:
        sides = [("", first)] if not wrapped else [("forward ", first), ("backward ", layer.backward_layer)]
        for side, direction in sides:
            kept = (
                ["final hidden state", "final cell state"]
                if _kind(direction) == "LSTM"
                else ["final hidden state"]
            )
            names += [f"{side}{state}" for state in kept]
    if len(names) != len(shapes):  # a layout this function does not know: keep Keras's shapes
        names = [f"output {number}" for number in range(len(shapes))]
    slices = ["slices"] if first is not layer and not wrapped else []
    widths = _width_names(layer, wrapped)
    return tuple(
        Output(name, shape, _axes(shape, widths, slices)) for name, shape in zip(names, shapes, strict=True)
    )


def _width_names(layer, wrapped: bool) -> dict[int, str]:
    """The glossary's name of each width a layer's outputs can have, by that width."""
    units = _inner(layer).cell.units
    return {units: "units", 2 * units: f"2 {TIMES} units"} if wrapped else {units: "units"}


def _axes(shape: tuple[int | None, ...], widths: dict[int, str], slices: list[str]) -> str:
    last = widths.get(shape[-1], str(shape[-1]))
    middle = ["timesteps"] if len(shape) == 3 + len(slices) else []
    return f"({', '.join(['batch', *slices, *middle, last])})"


def _shape(shape: tuple) -> str:
    return "(" + ", ".join(str(axis) for axis in shape) + ("," if len(shape) == 1 else "") + ")"


def _name(activation) -> str:
    return getattr(activation, "__name__", type(activation).__name__)


def _first_line(error: BaseException) -> str:
    """The error's first line, with the next one when the first only announces it (ends in ':')."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    if len(lines) > 1 and lines[0].endswith(":"):
        return f"{lines[0]} {lines[1]}"
    return lines[0] if lines else type(error).__name__


if __name__ == "__main__":  # the child process of report_for_file: one JSON line on stdout
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        print(json.dumps(_read_in_child(sys.argv[1:])))
