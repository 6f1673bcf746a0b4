"""What the claims about Keras's ``model.export`` share.

The formats' packages, and the exporters run quietly, without a package, or through TensorFlow
Lite's interpreter.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import re
import sys
import tempfile
import warnings
from pathlib import Path
from unittest import mock

from glossary.claims.keras_backend import backend, is_keras_2
from glossary.claims.registry import NotApplicable
from glossary.claims.samples import process_stderr_dropped

EXPORT_NEEDS = {
    "tf_saved_model": {"jax": "tensorflow", "torch": "tensorflow"},
    "onnx": {"tensorflow": "tf2onnx", "jax": "jax2onnx", "torch": "onnx"},
    "openvino": {"tensorflow": "openvino", "jax": "openvino", "torch": "openvino"},
    "litert": {"torch": "litert_torch"},
}
"""The package each export format needs beyond Keras and its backend, as Keras 3.15.1 imports it."""
EXPORT_REFUSED = {
    "litert": ({"jax"}, "LiteRT export requires TensorFlow or PyTorch backend"),
    "torch": ({"tensorflow", "jax"}, "Torch export requires PyTorch backend"),
}
"""The backends each format is refused on, with what Keras says."""
EXPORT_FILES = {
    "tf_saved_model": "forecaster",
    "onnx": "forecaster.onnx",
    "openvino": "forecaster.xml",
    "litert": "forecaster.tflite",
    "torch": "forecaster.pt2",
}


@contextlib.contextmanager
def quiet():
    """The exporters' printing sent nowhere: Python's standard output and error, and the process's."""
    with (
        process_stderr_dropped(),
        contextlib.redirect_stdout(io.StringIO()),
        contextlib.redirect_stderr(io.StringIO()),
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore")
        yield


@contextlib.contextmanager
def hidden_package(package: str):
    """Keras as it runs where ``package`` is not installed: importing it fails inside the block.

    Its modules are taken out of ``sys.modules`` (and come back after), and Keras's lazy handles to
    it forget it for the block, so an export that was given it before looks for it afresh.
    """
    from keras.src.utils import module_utils

    modules = {name: None for name in sys.modules if name.partition(".")[0] == package} | {package: None}
    handles = [
        handle
        for handle in vars(module_utils).values()
        if isinstance(handle, module_utils.LazyModule) and handle.name.partition(".")[0] == package
    ]
    with contextlib.ExitStack() as hiding:
        hiding.enter_context(mock.patch.dict(sys.modules, modules))
        for handle in handles:
            hiding.enter_context(mock.patch.multiple(handle, module=None, _available=None))
        yield


def litert_tensorflow():
    """TensorFlow, for a check that exports to LiteRT from the TensorFlow backend and runs the file."""
    if is_keras_2() or importlib.util.find_spec("tensorflow") is None or backend() != "tensorflow":
        raise NotApplicable("the check exports to LiteRT from Keras 3 on the TensorFlow backend")
    import tensorflow as tf

    return tf


def litert_file(model, input_signature=None) -> bytes:
    """What ``model.export(path, format='litert')`` writes, as bytes."""
    with tempfile.TemporaryDirectory() as folder, quiet():
        path = Path(folder) / "forecaster.tflite"
        model.export(str(path), format="litert", verbose=False, input_signature=input_signature)
        return path.read_bytes()


def tflite_interpreter(tf, flatbuffer: bytes):
    """TensorFlow's ``tf.lite.Interpreter`` for the file; TensorFlow 2.21 warns that it moves to LiteRT."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return tf.lite.Interpreter(model_content=flatbuffer)


def flex_ops(flatbuffer: bytes) -> list[str]:
    """The Select TensorFlow ops a LiteRT file names: they run only with the Flex delegate."""
    return sorted({name.decode() for name in re.findall(rb"Flex[A-Z]\w+", flatbuffer)})
