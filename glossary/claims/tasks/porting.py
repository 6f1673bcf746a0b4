"""Claims of the page "Porting to other frameworks" (``docs/porting.md``).

What TensorFlow Lite does with a Keras 3 LSTM. The converters of `glossary.port` are proven by
their own tests, which run each framework on converted weights.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import re
import warnings

import numpy as np

from glossary.claims.keras_backend import backend, is_keras_2, keras
from glossary.claims.registry import Evidence, NotApplicable, claim
from glossary.claims.samples import error_of, sample

TFLITE = "Keras 3 on the TensorFlow backend, and TensorFlow 2.21's TensorFlow Lite converter"
INTERPRETER_AGREEMENT = 1e-5
"""float32 on both sides, in other orders of operations: 1e-7 apart in practice."""


def _tensorflow():
    if importlib.util.find_spec("tensorflow") is None or is_keras_2() or backend() != "tensorflow":
        raise NotApplicable("the TensorFlow Lite converter reads Keras 3 models on the TensorFlow backend")
    import tensorflow as tf

    return tf


def recurrent_model(kind: str = "LSTM", batch_size: int | None = None, **options):
    """A model of one recurrent layer over 7 timesteps of 5 features; the batch left open unless given."""
    inputs = keras().Input((7, 5), batch_size=batch_size)
    return keras().Model(inputs, getattr(keras().layers, kind)(4, **options)(inputs))


@contextlib.contextmanager
def _converter_output_dropped():
    """The process's standard error (file descriptor 2) sent nowhere for a while.

    The converter's MLIR passes print their errors there, below Python's ``sys.stderr``; the
    claim's evidence keeps the one that matters.
    """
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as nowhere:
            os.dup2(nowhere.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def converted(model, select_tf_ops: bool = False) -> bytes:
    """``model`` converted by TensorFlow Lite's converter, as the bytes of a ``.tflite`` file."""
    tf = _tensorflow()
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    if select_tf_ops:  # what the converter's own error message suggests
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS, tf.lite.OpsSet.SELECT_TF_OPS]
        converter._experimental_lower_tensor_list_ops = False
    # Keras prints the SavedModel it exports on the way
    with contextlib.redirect_stdout(io.StringIO()), _converter_output_dropped():
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
    "`tf.TensorListReserve`, whose element shape must be static.",
    page="porting.md#tensorflow-lite",
    depends_on=TFLITE,
)
def tflite_open_batch_fails():
    _tensorflow()  # where there is no converter, the claim is skipped, not the conversion failed
    reasons = {}
    for kind in ("LSTM", "GRU"):
        said = error_of(lambda kind=kind: converted(recurrent_model(kind)))
        reasons[kind] = _first_error(said) if said else "converted"
    fails = all("TensorListReserve" in reason and "static" in reason for reason in reasons.values())
    return Evidence(fails, "; ".join(f"{kind}: {reason}" for kind, reason in reasons.items()))


@claim(
    "TFLITE-FIXED-BATCH-CONVERTS",
    "The same LSTM with its batch size fixed (`keras.Input(shape, batch_size=1)`) converts, and "
    "TensorFlow Lite's interpreter gives Keras's output to 1e-5. TensorFlow warns that this "
    "interpreter, `tf.lite.Interpreter`, is deprecated for LiteRT's (the `ai_edge_litert` package).",
    page="porting.md#tensorflow-lite",
    depends_on=TFLITE,
)
def tflite_fixed_batch_converts():
    model = recurrent_model(batch_size=1)
    x = sample(batch=1)
    output, said = interpreted(converted(model), x)
    gap = float(np.max(np.abs(output - np.asarray(model(x)))))
    deprecated = [warning for warning in said if "deprecated" in warning and "ai_edge_litert" in warning]
    warned = (deprecated or said or ["nothing"])[0]
    return Evidence(
        gap <= INTERPRETER_AGREEMENT and bool(deprecated),
        f"largest difference from Keras: {gap:.1e}; TensorFlow warned: {warned}",
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
    model = recurrent_model(unroll=True)
    x = sample(batch=3)
    output, _ = interpreted(converted(model), x)
    gap = float(np.max(np.abs(output - np.asarray(model(x)))))
    return Evidence(gap <= INTERPRETER_AGREEMENT, f"batch of 3: largest difference from Keras: {gap:.1e}")


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
