"""Claims of the page "Porting to other frameworks" (``docs/porting.md``).

What TensorFlow Lite does with a Keras 3 LSTM. The converters of `glossary.port` are proven by
their own tests, which run each framework on converted weights.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import re
import warnings

import numpy as np

from glossary.claims.keras_backend import backend, is_keras_2, keras
from glossary.claims.registry import Evidence, NotApplicable, claim
from glossary.claims.samples import (
    NONZERO_LSTM_BIASES,
    built,
    error_of,
    process_stderr_dropped,
    random_biases,
    sample,
)

TFLITE = "Keras 3 on the TensorFlow backend, and TensorFlow 2.21's TensorFlow Lite converter"
INTERPRETER_AGREEMENT = 1e-5
"""float32 on both sides, in other orders of operations: 1e-7 apart in practice."""


def _tensorflow():
    if importlib.util.find_spec("tensorflow") is None or is_keras_2() or backend() != "tensorflow":
        raise NotApplicable("the TensorFlow Lite converter reads Keras 3 models on the TensorFlow backend")
    import tensorflow as tf

    if tf.__version__.startswith("2.16."):
        # The release grid saw TensorFlow 2.16.2's converter abort the whole process on these
        # models (under Keras 3.0 and 3.3): a run of the ledger must go on past it.
        raise NotApplicable(f"TensorFlow {tf.__version__}'s TensorFlow Lite converter ends the process here")
    return tf


def recurrent_model(kind: str = "LSTM", batch_size: int | None = None, **options):
    """A model of one recurrent layer over 7 timesteps of 5 features; the batch left open unless given."""
    inputs = keras().Input((7, 5), batch_size=batch_size)
    return keras().Model(inputs, getattr(keras().layers, kind)(4, **options)(inputs))


def _random_biases() -> dict:
    """An LSTM's options for biases that are all random.

    A bias the converter copied to the wrong gate block then shows in the interpreter's output; a
    new layer's zeros would hide it.
    """
    return {"bias_initializer": random_biases(), **NONZERO_LSTM_BIASES}


def converted(model, select_tf_ops: bool = False) -> bytes:
    """``model`` converted by TensorFlow Lite's converter, as the bytes of a ``.tflite`` file."""
    tf = _tensorflow()
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    if select_tf_ops:  # what the converter's own error message suggests
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS, tf.lite.OpsSet.SELECT_TF_OPS]
        converter._experimental_lower_tensor_list_ops = False
    # Keras prints the SavedModel it exports on the way
    with contextlib.redirect_stdout(io.StringIO()), process_stderr_dropped():
        return converter.convert()


def interpreted(flatbuffer: bytes, x: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """What TensorFlow's ``tf.lite.Interpreter`` computes for ``x`` with the converted model.

    Also the warnings it gave: TensorFlow 2.21 warns that it is deprecated.
    """
    with warnings.catch_warnings(record=True) as given:
        warnings.simplefilter("always")
        interpreter = _tensorflow().lite.Interpreter(model_content=flatbuffer)
    said = [" ".join(str(warning.message).split()) for warning in given]
    given, returned = interpreter.get_input_details()[0], interpreter.get_output_details()[0]
    interpreter.resize_tensor_input(given["index"], x.shape)
    interpreter.allocate_tensors()
    interpreter.set_tensor(given["index"], x)
    interpreter.invoke()
    return interpreter.get_tensor(returned["index"]), said


def _first_error(said: str) -> str:
    """The converter's reason, from what it said, without the locations it prints around it."""
    found = re.search(r"error: (?:loc\(.*?\)\): )?('tf\.\w+' op [^\n]*)", said)
    return found[1] if found else said[:200]


@claim(
    "TFLITE-OPEN-BATCH-FAILS",
    "TensorFlow Lite's converter (`TFLiteConverter.from_keras_model`, TensorFlow 2.21) cannot "
    "convert a Keras 3 LSTM or GRU model whose batch size is left open: it stops at the layer's "
    "`tf.TensorListReserve`, whose element shape must be static, and its message suggests Select "
    "TF ops.",
    page="porting.md#tensorflow-lite",
    depends_on=TFLITE,
)
def tflite_open_batch_fails():
    _tensorflow()  # where there is no converter, the claim is skipped, not the conversion failed
    reasons, advised = {}, {}
    for kind in ("LSTM", "GRU"):
        said = error_of(lambda kind=kind: converted(recurrent_model(kind)))
        reasons[kind] = _first_error(said) if said else "converted"
        advised[kind] = "Select TF ops" in said
    fails = all("TensorListReserve" in reason and "static" in reason for reason in reasons.values())
    return Evidence(
        fails and all(advised.values()),
        "; ".join(
            f"{kind}: {reason} (suggests Select TF ops: {advised[kind]})" for kind, reason in reasons.items()
        ),
    )


@claim(
    "TFLITE-FIXED-BATCH-CONVERTS",
    "The same LSTM with its batch size fixed (`keras.Input(shape, batch_size=1)`) converts, and "
    "TensorFlow Lite's interpreter gives Keras's output to 1e-5. TensorFlow warns that this "
    "interpreter, `tf.lite.Interpreter`, is deprecated for LiteRT's (the `ai_edge_litert` package).",
    page="porting.md#tensorflow-lite",
    depends_on=TFLITE,
)
def tflite_fixed_batch_converts():
    model = recurrent_model(batch_size=1, **_random_biases())
    x = sample(batch=1)
    output, said = interpreted(converted(model), x)
    gap = float(np.max(np.abs(output - np.asarray(model(x)))))
    deprecated = [warning for warning in said if "deprecated" in warning and "ai_edge_litert" in warning]
    warned = (deprecated or said or ["nothing"])[0]
    return Evidence(
        gap <= INTERPRETER_AGREEMENT and bool(deprecated),
        f"random biases: largest difference from Keras {gap:.1e}; TensorFlow warned: {warned}",
    )


@claim(
    "TFLITE-UNROLL-CONVERTS",
    "With `unroll=True` (the loop written out, one copy of the cell per timestep, for a fixed number "
    "of timesteps) the LSTM converts with its batch size left open, and runs in TensorFlow Lite's "
    "interpreter with Keras's output to 1e-5.",
    page="porting.md#tensorflow-lite",
    depends_on=TFLITE,
)
def tflite_unroll_converts():
    model = recurrent_model(unroll=True, **_random_biases())
    x = sample(batch=3)
    output, _ = interpreted(converted(model), x)
    gap = float(np.max(np.abs(output - np.asarray(model(x)))))
    return Evidence(
        gap <= INTERPRETER_AGREEMENT, f"batch of 3, random biases: largest difference from Keras {gap:.1e}"
    )


@claim(
    "TFLITE-SELECT-OPS-NEED-FLEX",
    "The converter's own advice (Select TF ops, with `_experimental_lower_tensor_list_ops = False`) "
    "converts the open-batch LSTM, but TensorFlow's `tf.lite.Interpreter` then refuses to run it: "
    "the model needs the Flex delegate, which that interpreter does not have.",
    page="porting.md#tensorflow-lite",
    depends_on=TFLITE,
)
def tflite_select_ops_need_flex():
    flatbuffer = converted(recurrent_model(), select_tf_ops=True)
    said = error_of(lambda: interpreted(flatbuffer, sample(batch=1)))
    shown = said.split(".")[0] if said else "ran"
    return Evidence("Flex delegate" in said and len(flatbuffer) > 0, f"converted; run: {shown}")


def _reset_before_gru(units: int = 4, features: int = 5):
    """A Keras GRU with ``reset_after=False``'s arrays, with biases that are not zero, and an input."""
    layer = keras().layers.GRU(units, reset_after=False, bias_initializer="random_normal")
    kernel, recurrent_kernel, bias = built(layer, features).get_weights()
    return kernel, recurrent_kernel, bias, sample(features=features)


def _as_reset_after(kernel, recurrent_kernel, bias):
    """The same arrays laid out as a ``reset_after=True`` GRU's.

    The bias becomes its input row, with zeros inside the reset: the most a framework that resets
    after the product can be given.
    """
    return [kernel, recurrent_kernel, np.stack([bias, np.zeros_like(bias)])]


def _gap(output, expected) -> float:
    return float(np.max(np.abs(np.asarray(output) - expected)))


def _flax_gru_output(weights, x) -> np.ndarray:
    from flax import linen

    from glossary.port.flax import gru_to_flax

    module = linen.RNN(linen.GRUCell(weights[1].shape[0]))
    return np.asarray(module.apply({"params": gru_to_flax(weights)}, x))


def _mlx_gru_output(weights, x) -> np.ndarray:
    import mlx.core as mx
    import mlx.nn

    from glossary.port.mlx import gru_to_mlx

    layer = mlx.nn.GRU(x.shape[-1], weights[1].shape[0])
    layer.update({name: mx.array(array) for name, array in gru_to_mlx(weights).items()})
    return np.array(layer(mx.array(x)))


RESET_AFTER_ONLY = {"Flax": ("flax", _flax_gru_output), "MLX": ("mlx", _mlx_gru_output)}
"""The frameworks whose GRU resets after the recurrent product only: the module each needs, and how
to run its GRU on Keras's arrays."""


@claim(
    "GRU-RESET-AFTER-ONLY-IN-FLAX-AND-MLX",
    "Flax's `linen.GRUCell` and MLX's `nn.GRU` compute Keras's `reset_after=True` GRU (compared here "
    "with this site's reference, which GRU-REFERENCE compares with Keras): given a "
    "`reset_after=False` GRU's weights, they compute the `reset_after=True` GRU of those weights, "
    "which is another function, so a `reset_after=False` GRU has no copy in either.",
    page="porting.md#the-map",
    depends_on="Flax or MLX installed (the claim checks each that is)",
)
def gru_reset_after_only_in_flax_and_mlx():
    from glossary import reference

    kernel, recurrent_kernel, bias, x = _reset_before_gru()
    as_after = _as_reset_after(kernel, recurrent_kernel, bias)
    original = reference.gru(x, kernel, recurrent_kernel, bias, reset_after=False, return_sequences=True)
    reread = reference.gru(x, *as_after, reset_after=True, return_sequences=True)
    found = []
    for name, (module, run) in RESET_AFTER_ONLY.items():
        if importlib.util.find_spec(module) is None:
            continue
        output = run(as_after, x)
        found.append((name, _gap(output, reread), _gap(output, original)))
    if not found:
        raise NotApplicable("neither Flax nor MLX is installed")
    holds = all(after <= INTERPRETER_AGREEMENT and before > 1e-3 for _, after, before in found)
    return Evidence(
        holds,
        "; ".join(
            f"{name}: from the reset_after=True GRU {after:.1e}, from the original {before:.1e}"
            for name, after, before in found
        ),
    )


@claim(
    "NNX-GRU-NO-RECURRENT-BIAS",
    "Flax's `nnx.GRUCell` has no bias inside the reset gate, where `linen.GRUCell` and a Keras GRU "
    "(`reset_after=True`, the second row of its bias) have one: a Keras GRU whose candidate has such "
    "a bias has no exact copy in nnx.",
    page="porting.md#the-map",
    depends_on="Flax installed",
)
def nnx_gru_no_recurrent_bias():
    if importlib.util.find_spec("flax") is None:
        raise NotApplicable("Flax is not installed")
    import jax
    from flax import linen, nnx

    nnx_cell = nnx.GRUCell(5, 4, rngs=nnx.Rngs(0))
    linen_params = linen.GRUCell(4).init(
        jax.random.key(0),
        linen.GRUCell(4).initialize_carry(jax.random.key(0), (1, 5)),
        np.zeros((1, 5), "float32"),
    )["params"]
    nnx_bias = getattr(nnx_cell.dense_h, "bias", None)
    linen_bias = "bias" in linen_params["hn"]
    return Evidence(
        nnx_bias is None and linen_bias,
        f"nnx.GRUCell.dense_h.bias: {nnx_bias}; linen.GRUCell's 'hn' has a bias: {linen_bias}",
    )
