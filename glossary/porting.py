"""``glossary port``: a saved model's LSTM and GRU layers, converted and measured in another framework.

`port` reads the model as ``glossary explain`` does (`glossary.model_files`), converts each layer
it supports with `glossary.port`, runs the converted weights in the target framework (`glossary.port.targets`)
beside the Keras layer on the same random input, and returns the largest difference of each
layer; the caller writes the file only when every layer agrees (`TOLERANCE`). What it refuses,
and the file each target gets, are on the command's page (``docs/cli.md``).
"""

from __future__ import annotations

import importlib
import json
import os
import re
import shutil
import sys
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from glossary import model_files
from glossary.explainer import NoRecurrentLayerError
from glossary.layer_kinds import KINDS
from glossary.model_files import DEFAULT_LIMITS, Limits, ModelFileError, ModelTooLargeError
from glossary.port.target import TOLERANCE, PortRefusedError
from glossary.port.targets import TARGETS, convert, measure
from glossary.recurrent_layers import (
    activation_name,
    inner_layer,
    kind_of,
    masked_in_a_call,
    recurrent_layers,
    structure_of,
    type_name,
    wrapped_layer,
)
from glossary.versions import KerasUnavailableError, import_keras

BATCH, TIMESTEPS = 2, 5
"""The size of the random input each layer is measured on: (BATCH, TIMESTEPS, features)."""

SEED = 0
"""The input is drawn from ``numpy.random.default_rng(SEED)``, layer after layer in model order."""

CONVERTED = tuple(name for name, kind in KINDS.items() if kind.ported)


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
    modules = TARGETS[target].needs
    needs = f'--to {target} needs {" and ".join(modules)} (pip install "lstm-glossary[{target}]")'
    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError:
            raise TargetUnavailableError(needs) from None
        except Exception as error:  # installed but broken: a missing shared library, say
            reason = model_files.first_line(error)
            raise TargetUnavailableError(
                f"{needs}: {module} cannot start ({type(error).__name__}: {reason})"
            ) from None


def port(model: str | os.PathLike, target: str, limits: Limits = DEFAULT_LIMITS) -> Ported:
    """Convert the LSTM and GRU layers of the model saved at ``model`` for ``target``, and measure them.

    Returns:
        The content of the file to write, and each layer's largest difference from Keras, measured
        by loading that very content back in the target framework and running it.

    Raises:
        ModelFileError: see `glossary.model_files.load`.
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
    model_files.check_config(path, model_files.read_config(path, limits), limits)
    _remove_folders_of_stopped_runs()
    with tempfile.TemporaryDirectory(prefix=f"{FOLDER_PREFIX}{os.getpid()}-") as folder:
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

FOLDER_PREFIX = "glossary-port-"
"""The start of the name of a run's temporary folder, which its process number follows."""


def _remove_folders_of_stopped_runs() -> None:
    """Remove the temporary folders that runs killed outright (SIGKILL) could not remove themselves.

    A run's folder is named after its process: one whose process is gone, and which belongs to
    this user, is left over.
    """
    pattern = re.compile(rf"^{re.escape(FOLDER_PREFIX)}(\d+)-")
    try:
        found = list(Path(tempfile.gettempdir()).iterdir())
    except OSError:
        return
    for folder in found:
        match = pattern.match(folder.name)
        if not match or int(match[1]) == os.getpid():
            continue
        try:
            if folder.is_symlink() or not folder.is_dir() or folder.stat().st_uid != os.getuid():
                continue
            os.kill(int(match[1]), 0)  # raises where no such process runs
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (OSError, OverflowError):  # another user's process, or a number no process has
            continue


def _read_in_child(path: Path, target: str, limits: Limits, folder: Path) -> dict:
    """Run `_read` in a child process (``python -m glossary.porting``); its answer."""
    limits_given = [str(limit) for limit in (limits.units, limits.layers, limits.megabytes)]
    return model_files.answer_of_reader(
        "glossary.porting", path, [target, *limits_given, os.fsdecode(folder)]
    )


_reader = _read_in_child
"""How `read_layers` runs `_read`; the tests run it in their own process, to save Keras's start-up."""


def _child(arguments: list[str]) -> dict:
    """The child process's answer: `_read` within the memory cap."""
    path, target, units, layers, megabytes, folder = arguments
    limits = Limits(int(units), int(layers), int(megabytes))
    model_files.die_with_command()
    try:
        keras = import_keras()
        keras.ops.matmul(keras.ops.ones((2, 2)), keras.ops.ones((2, 2)))  # Keras's threads start now
        model_files.cap_memory(2 * limits.megabytes + 512)
        return _read(Path(path), target, limits, Path(folder))
    except MemoryError:
        return {"memory": "Python could not allocate"}
    except ImportError as error:
        return {"kind": "keras", "error": str(error)}


def _read(path: Path, target: str, limits: Limits, folder: Path) -> dict:
    """Load the model, refuse what ``target`` cannot express, run each layer; the arrays go to ``folder``."""
    try:
        model = model_files.load(path, limits)
        found = list(recurrent_layers(model, prefix=""))
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
    return f"{path} ({structure_of(layer)})"


def _why_not(layer, target: str) -> str | None:
    """Why ``layer`` cannot be converted for ``target``, or None where it can."""
    import keras

    supported = "glossary port converts LSTM and GRU layers, alone or in one Bidirectional wrapper"
    if isinstance(layer, keras.layers.Bidirectional):
        sides = [layer.forward_layer, layer.backward_layer]
        if any(kind_of(side) not in CONVERTED for side in sides):
            return _unsupported(layer, supported)
        forward, backward = sides
        if (kind_of(forward), forward.cell.units) != (kind_of(backward), backward.cell.units):
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
        if kind_of(layer) not in CONVERTED or wrapped_layer(layer) is not None:
            return _unsupported(layer, supported)
        sides = [layer]
        if layer.go_backwards:
            return (
                "go_backwards=True: the converted layer reads its input first to last and returns its "
                "outputs in that order; reverse the input yourself, or wrap the layer in Bidirectional"
            )
    for side in sides:
        cell, kind = side.cell, kind_of(side)
        named = f"{side.name}: " if side is not layer else ""
        if not side.built:
            return f"{named}not built, so it has no weights"
        activation, recurrent = activation_name(cell.activation), activation_name(cell.recurrent_activation)
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
        if kind == "GRU" and not cell.reset_after and not TARGETS[target].resets_before:
            able = " or ".join(f"--to {other.name}" for other in TARGETS.values() if other.resets_before)
            return (
                f"{named}reset_after=False: the GRU of {target} resets after the recurrent product only "
                f"(Keras's reset_after=True); {able} converts this GRU"
            )
        dtypes = {str(side.compute_dtype), str(side.variable_dtype)}
        if dtypes != {"float32"}:
            return f"{named}computes in {' and '.join(sorted(dtypes))}; glossary port converts float32 layers"
    return None


def _unsupported(layer, supported: str) -> str:
    """Why a layer of another kind is refused."""
    import keras

    inner = inner_layer(layer)
    if isinstance(inner, keras.layers.RNN) and kind_of(inner) == "SimpleRNN":
        return f"{supported}; glossary.port has no converter for SimpleRNN"
    return supported


def _keras_side(layer, path: str, rng: np.random.Generator) -> tuple[dict, dict[str, np.ndarray]]:
    """The layer's settings, and its weights, a random input and what Keras returns for it."""
    import keras

    inner = inner_layer(layer)
    weights = [np.asarray(array) for array in layer.get_weights()]
    features = int(weights[0].shape[0])
    x = rng.standard_normal((BATCH, TIMESTEPS, features)).astype(np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        outputs = layer(x)
    outputs = outputs if isinstance(outputs, list | tuple) else [outputs]
    kind = kind_of(inner)
    meta = {
        "path": path,
        "kind": kind,
        "layer_type": "Bidirectional" if inner is not layer else type_name(layer),
        "directions": 2 if inner is not layer else 1,
        "units": int(inner.cell.units),
        "features": features,
        "return_sequences": bool(inner.return_sequences),
        "return_state": bool(inner.return_state),
        "reset_after": bool(inner.cell.reset_after) if kind == "GRU" else None,
        "masked": masked_in_a_call(layer),
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
    stored = {
        name: tuple(arrays[f"{number}/{name}/{index}"] for index in range(count))
        for name, count in counts.items()
    }
    return PortedLayer(
        **meta, weights=stored["weights"], x=arrays[f"{number}/x"], keras_outputs=stored["keras"]
    )


if __name__ == "__main__":  # the child process of read_layers: one JSON line on stdout
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        print(json.dumps(_child(sys.argv[1:])))
