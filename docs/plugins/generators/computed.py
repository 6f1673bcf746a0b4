"""What an expression in a page's prose, ``{{ expr }}``, may call, and the value it puts there.

The functions ask the installed Keras (or NumPy, or a recorded run) for the measured values a
page's text states; `evaluate` runs an expression with only them in reach.
"""

from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

VALUE = re.compile(r"\{\{ (?P<code>`)?(?P<expr>[^`{}]+?)`? \}\}")


def keras_layer(spec: str):
    """A Keras layer from its constructor as a page writes it, e.g. ``"Bidirectional(LSTM(4))"``."""
    import keras

    return eval(spec, dict(vars(keras.layers)))  # the spec is the page's own text, not a reader's


def params(spec: str, *, features: int) -> int:
    """How many parameters Keras gives the layer ``spec`` built for ``features`` input features."""
    layer = keras_layer(spec)
    layer.build((None, None, features))
    return layer.count_params()


def output_shape(spec: str, input_shape: tuple[int, ...]) -> tuple:
    """The shape (or shapes) of what the layer ``spec`` returns for an input of ``input_shape``."""
    import keras
    import numpy as np

    outputs = keras_layer(spec)(np.zeros(input_shape, "float32"))
    return keras.tree.map_structure(lambda tensor: tuple(tensor.shape), outputs)


def weight_shapes(spec: str, *, features: int) -> list[tuple[int, ...]]:
    """The shapes of the layer's weight arrays, in Keras's order (kernel, recurrent kernel, bias)."""
    layer = keras_layer(spec)
    layer.build((None, None, features))
    return [tuple(weight.shape) for weight in layer.weights]


def per_gate(spec: str, *, features: int) -> tuple[int, ...]:
    """How many numbers one gate owns in each weight array (kernel, recurrent kernel, bias)."""
    import numpy as np

    layer = keras_layer(spec)
    layer.build((None, None, features))
    blocks = {"LSTM": 4, "GRU": 3, "SimpleRNN": 1}[type(layer).__name__]
    return tuple(int(np.prod(weight.shape)) // blocks for weight in layer.weights)


def recorded_run(name: str) -> str:
    """The versions and GPU of the set-up recorded as ``NAME`` (`glossary.claims.setups`)."""
    from glossary.claims import setups

    versions = setups.read(setups.RECORDED / f"{name}.json").versions
    libraries = ", ".join(
        f"{key} {versions[key]}" for key in ("Keras", "PyTorch", "TensorFlow", "cuDNN") if key in versions
    )
    return f"{versions['GPU']}; {libraries}" if "GPU" in versions else libraries


SERVING_RUN = Path(__file__).resolve().parents[2] / "benchmarks" / "serving.json"
"""The run of ``benchmarks/serving.py`` that ``docs/serving-a-stream.md`` shows (``nox -s bench_serving``)."""


def serving_ms(way: str) -> str:
    """Median milliseconds per reading of one way of serving, in the recorded run, to two figures."""
    seconds = json.loads(SERVING_RUN.read_text())["median_seconds"][way]
    return f"{seconds * 1e3:.2g}"


def serving_times(slower: str, faster: str) -> str:
    """How many times ``faster`` fits in ``slower``, in the recorded run, to two figures."""
    medians = json.loads(SERVING_RUN.read_text())["median_seconds"]
    return f"{medians[slower] / medians[faster]:.2g}"


def serving_run(item: str) -> str:
    """A fact of the recorded run: its ``history``, ``units`` or ``features``, or the ``machine``."""
    run = json.loads(SERVING_RUN.read_text())
    if item == "machine":
        versions = ", ".join(f"{name} {number}" for name, number in run["versions"].items())
        machine = run["machine"]
        return f"{machine['cpus']} CPU cores ({machine['processor']}), {versions}, on {run['date']}"
    return str(run["shape"][item])


def sigmoid(z: float) -> float:
    """The logistic function, for values a page quotes (the forget gate's start, say)."""
    return 1 / (1 + math.exp(-z))


FUNCTIONS = {
    "params": params,
    "output_shape": output_shape,
    "weight_shapes": weight_shapes,
    "per_gate": per_gate,
    "recorded_run": recorded_run,
    "serving_ms": serving_ms,
    "serving_times": serving_times,
    "serving_run": serving_run,
    "sigmoid": sigmoid,
    "round": round,
    "len": len,
}
"""What an expression on a page may call."""


def evaluate(expr: str) -> str:
    """The text an expression puts on the page."""
    try:
        return str(eval(expr, {"__builtins__": {}}, dict(FUNCTIONS)))
    except Exception as error:  # any error in a page's expression stops the build, naming it
        raise PluginError(f"{{{{ {expr} }}}}: {type(error).__name__}: {error}") from None


def render(match: re.Match) -> str:
    """One ``{{ expr }}`` of a page as the value it gives, marked with the expression."""
    value = html.escape(evaluate(match["expr"]))
    if match["code"]:
        value = f"<code>{value}</code>"
    return f'<span class="computed" data-expr="{html.escape(match["expr"], quote=True)}">{value}</span>'
