"""A saved model file, read safely: its config checked before Keras sees it, then loaded apart.

The config is read and checked against limits without Keras (`read_config`, `check_config`);
Keras then loads the file with ``safe_mode=True`` (`load`) in a child process started by
`answer_of_reader`, whose memory `cap_memory` caps. `glossary explain` and `glossary port` both
read models this way.
"""

from __future__ import annotations

import json
import math
import os
import re
import signal
import subprocess
import sys
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

from glossary.versions import import_keras, quiet_tensorflow

SIZE_KEYS = ("units", "filters", "input_dim", "output_dim")
"""The config keys whose values set the width of a layer's weights."""

INPUT_SHAPE_KEYS = ("batch_shape", "batch_input_shape", "input_shape")
"""The config keys of a declared input shape, whose last axis is the features."""

MAX_CONFIG_BYTES = 64 * 10**6
"""The largest config read: a model's config is kilobytes, even for hundreds of layers."""

OUT_OF_MEMORY = ("OOM when allocating", "Unable to allocate", "bad_alloc", "MemoryError")
"""How the backends word a failed allocation in the errors Keras passes on."""


class ModelFileError(Exception):
    """A model file that cannot be explained: missing, not a Keras model, or needing unsafe code."""


class ModelTooLargeError(ModelFileError):
    """A model whose loading needs more memory than the process may take."""


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
    megabytes: int = 128
    """The most megabytes (10**6 bytes) the file's contents may take once unpacked, and its weights.

    Loading may take twice that beyond Keras's own memory (about 640 MB with TensorFlow): with the
    default, a crafted file keeps the reading process under 1 GB."""


DEFAULT_LIMITS = Limits()
"""The limits of a command run without ``--max-units``, ``--max-layers`` or ``--max-megabytes``."""


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
    config = read_config(path, limits)
    check_config(path, config, limits)
    keras = import_keras()
    try:
        with warnings.catch_warnings():  # Keras's advice about the config: the report says what matters
            warnings.simplefilter("ignore")
            return keras.saving.load_model(path, safe_mode=True, compile=False)
    except Exception as error:  # whatever Keras raises, the user gets one line saying why
        reason = first_line(error)
        # Keras's own refusal of code in a config, not a name from the file that says "unsafe".
        if "arbitrary code execution" in str(error) and "safe_mode=False" in str(error):
            raise ModelFileError(
                f"{path}: refused: this model holds Python code (such as a Lambda layer's function), "
                f"which only unsafe deserialisation would load, and loading it would run that code. "
                f"glossary loads models with safe_mode=True and never runs code from a file. "
                f"Keras says: {reason.split('. ')[0]}."
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
            f"{path}: not a model Keras {keras.version()} can load ({type(error).__name__}: {reason})"
        ) from None


def read_config(path: Path, limits: Limits) -> dict:
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


ZIP_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
"""The compression methods a .keras file is read with. Python's zipfile bounds what deflate
unpacks per read; it unpacks bzip2 and LZMA a whole block at a time, which a crafted block can
make gigabytes, so those are refused before any byte is unpacked."""
CHUNK = 2**20
"""How much is unpacked at a time while the archive is checked."""


def _zip_config(path: Path, largest: int) -> dict:
    """The config of a .keras archive, once every member is known to unpack within ``largest`` bytes.

    Every member is unpacked here, a chunk at a time and nothing kept but the config, so that a
    member that unpacks to more than it declares, or more than the limit, is refused before Keras
    (which would unpack it whole) ever sees the file.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            for member in members:
                if member.compress_type not in ZIP_METHODS:
                    raise ModelFileError(
                        f"{path}: {member.filename} is compressed with zip method {member.compress_type}; "
                        "a Keras model file uses stored or deflate members only"
                    )
            _within(path, sum(member.file_size for member in members), largest)
            found = {member.filename: member for member in members}
            if "config.json" not in found:
                raise ModelFileError(f"{path}: a zip archive, but not a Keras model: it holds no config.json")
            if found["config.json"].file_size > MAX_CONFIG_BYTES:
                raise ModelFileError(f"{path}: its config.json is larger than any model's config")
            text, unpacked = b"", 0
            for member in members:
                with archive.open(member) as stream:
                    while chunk := stream.read(CHUNK):
                        unpacked += len(chunk)
                        _within(path, unpacked, largest)
                        if member is found["config.json"]:
                            text += chunk
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, RuntimeError) as error:
        raise ModelFileError(f"{path}: a damaged or incomplete zip archive ({first_line(error)})") from None
    return _parsed(path, text)


def _within(path: Path, unpacked: int, largest: int) -> None:
    """Refuse an archive that unpacks (or says it unpacks) to more than ``largest`` bytes."""
    if unpacked > largest:
        raise ModelFileError(
            f"{path}: unpacks to {unpacked / 10**6:.0f} MB, more than the limit of "
            f"{largest // 10**6} MB (--max-megabytes raises it)"
        )


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
        raise ModelFileError(f"{path}: a damaged HDF5 file ({first_line(error)})") from None
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


def check_config(path: Path, config: dict, limits: Limits) -> None:
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


class ReaderUnavailableError(Exception):
    """The process that reads a model cannot start: a problem of the system, not of the file."""


def answer_of_reader(module: str, path: Path, arguments: list[str]) -> dict:
    """What ``python -m MODULE PATH ARGUMENTS...``, a process that reads a model, answered.

    The answer is the JSON document of its last line of output. A process stopped by a signal
    (the memory cap, most often) answers ``{"memory": ...}``; one that failed without answering,
    ``{"kind": "file", "error": ...}``.

    Raises:
        ReaderUnavailableError: the process cannot be started.
    """
    # -P: the current folder stays off the child's sys.path, so a folder named glossary there
    # cannot stand in for this package.
    command = [sys.executable, "-P", "-m", module, os.fsdecode(path), *arguments]
    try:
        ran = subprocess.run(
            command,
            capture_output=True,
            env=quiet_tensorflow(dict(os.environ)) | {READER_OF: str(os.getpid())},
            check=False,
        )
    except OSError as error:  # no process could start: too many processes, no memory, no Python
        raise ReaderUnavailableError(
            f"cannot start the process that reads the model ({error.strerror or error}); nothing was read"
        ) from None
    try:
        return json.loads(ran.stdout.decode("utf-8").strip().splitlines()[-1])
    except (ValueError, IndexError):  # no answer: the process was stopped by a signal, or failed
        if ran.returncode < 0:
            return {"memory": f"the process reading it was stopped by signal {-ran.returncode}"}
        printed = ran.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"]
        return {"kind": "file", "error": f"{path}: the process reading it failed ({printed[-1]})"}


READER_OF = "GLOSSARY_READER_OF"
"""The environment variable that gives a reading process the number of the command that started it."""


def die_with_command() -> None:
    """What a reading process does first, before it starts Keras: die with the command.

    On Linux the process is killed when the command that started it dies, even by SIGKILL, which
    lets the command stop nothing; without this the reader would run on and write the model's
    arrays into a folder nobody removes. A command already gone ends the reader at once.
    """
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the reader may outlive a killed command
        pass
    if os.environ.get(READER_OF) and os.getppid() != int(os.environ[READER_OF]):
        os._exit(1)  # the command died before the line above could take effect


def cap_memory(megabytes: int) -> None:
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


def first_line(error: BaseException) -> str:
    """The error's first line, with the next one when the first only announces it (ends in ':')."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    if len(lines) > 1 and lines[0].endswith(":"):
        return f"{lines[0]} {lines[1]}"
    return lines[0] if lines else type(error).__name__
