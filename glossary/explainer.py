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
import sys
import warnings
from dataclasses import astuple
from pathlib import Path
from typing import TextIO

from glossary.layer_kinds import KINDS
from glossary.model_files import (
    DEFAULT_LIMITS,
    Limits,
    ModelFileError,
    ModelTooLargeError,
    answer_of_reader,
    cap_memory,
    check_config,
    die_with_command,
    load,
    read_config,
)
from glossary.model_report import (
    TIMES,
    Direction,
    ModelReport,
    NotDescribed,
    Output,
    RecurrentLayer,
    WeightShape,
    render,
)
from glossary.recurrent_layers import (
    activation_name,
    inner_layer,
    is_described,
    kind_of,
    masked_in_a_call,
    recurrent_layers,
    structure_of,
    type_name,
)
from glossary.versions import KerasUnavailableError, import_keras


class NoRecurrentLayerError(ValueError):
    """The model holds no LSTM, GRU or SimpleRNN layer."""


def describe(model) -> ModelReport:
    """The recurrent layers of a built Keras model, as data (what `explain` prints).

    Raises:
        NoRecurrentLayerError: the model has no LSTM, GRU or SimpleRNN layer.
        ValueError: a recurrent layer is not built yet, so it has no weights.
    """
    keras = import_keras()
    found, not_described = [], []
    for layer, path in recurrent_layers(model, prefix=""):
        structure = structure_of(layer)
        if is_described(layer):
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


def report_for_file(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> ModelReport:
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
    check_config(path, read_config(path, limits), limits)
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
    die_with_command()
    try:
        keras = import_keras()
        keras.ops.matmul(keras.ops.ones((2, 2)), keras.ops.ones((2, 2)))  # Keras's threads start now
        cap_memory(2 * limits.megabytes + 512)
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


def _layer(layer, path: str) -> RecurrentLayer:
    import keras

    wrapped = isinstance(layer, keras.layers.Bidirectional)
    inner = inner_layer(layer)
    sides = (layer.forward_layer, layer.backward_layer) if wrapped else (inner,)
    directions = tuple(_direction(side) for side in sides)
    calls = _call_input_shapes(layer)
    recorded, masked = _recorded_input(layer) if len(calls) <= 1 else (None, masked_in_a_call(layer))
    features = directions[0].features
    slices = isinstance(layer, keras.layers.TimeDistributed)
    input_shape = recorded if recorded is not None else (None, *([None] if slices else []), None, features)
    return RecurrentLayer(
        path=path,
        layer_type=type(layer).__name__ if layer is not inner else type_name(layer),
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

    kind = kind_of(layer)
    cell = layer.cell
    if not layer.built:
        raise ValueError(
            f"layer {layer.name!r} is not built yet, so it has no weights; build the model "
            f"(call it on an input of shape (batch, timesteps, features)) first"
        )
    gates = tuple(gate.replace("_", " ") for gate in KINDS[kind].gates)
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
        layer_type=type_name(layer),
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
    activation, recurrent = activation_name(layer.activation), activation_name(layer.recurrent_activation)
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
    first = inner_layer(layer)
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
                if kind_of(direction) == "LSTM"
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
    units = inner_layer(layer).cell.units
    return {units: "units", 2 * units: f"2 {TIMES} units"} if wrapped else {units: "units"}


def _axes(shape: tuple[int | None, ...], widths: dict[int, str], slices: list[str]) -> str:
    last = widths.get(shape[-1], str(shape[-1]))
    middle = ["timesteps"] if len(shape) == 3 + len(slices) else []
    return f"({', '.join(['batch', *slices, *middle, last])})"


if __name__ == "__main__":  # the child process of report_for_file: one JSON line on stdout
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        print(json.dumps(_read_in_child(sys.argv[1:])))
