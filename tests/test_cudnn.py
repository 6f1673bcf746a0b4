"""Keras's cuDNN LSTM kernel: when Keras takes it, and how close it stays to the reference.

The kernel runs only on a CUDA GPU, so everything here skips on a machine without one (CI
included). Whether a call ran on cuDNN is read by wrapping the backend's private
``_cudnn_lstm`` (``keras.src.backend.<backend>.rnn``): ``use_cudnn=True`` alone cannot tell,
because on the PyTorch backend Keras falls back to its own loop without raising.
"""

import contextlib
import importlib
from unittest import mock

import keras
import numpy as np
import pytest
from keras_oracle import random_lstm_case

from glossary import reference


def gpu_available() -> bool:
    backend = keras.backend.backend()
    if backend == "torch":
        import torch

        return torch.cuda.is_available() and torch.backends.cudnn.is_available()
    if backend == "tensorflow":
        import tensorflow as tf

        return bool(tf.config.list_physical_devices("GPU"))
    return False  # Keras's JAX backend has no cuDNN LSTM path


pytestmark = pytest.mark.skipif(not gpu_available(), reason="the cuDNN kernel needs a CUDA GPU")

OUTSIDE_CUDNN = {
    "relu activation": ({"activation": "relu"}, {}),
    "hard_sigmoid gates": ({"recurrent_activation": "hard_sigmoid"}, {}),
    "recurrent_dropout": ({"recurrent_dropout": 0.2}, {}),
    "unroll": ({"unroll": True}, {}),
    "no bias": ({"use_bias": False}, {}),
}


def cudnn_calls(layer, x, kernel_name="_cudnn_lstm", **call):
    """How many times ``layer(x)`` entered the backend's cuDNN kernel, and what it returned."""
    backend_rnn = importlib.import_module(f"keras.src.backend.{keras.backend.backend()}.rnn")
    wrapped = getattr(backend_rnn, kernel_name)
    with mock.patch.object(backend_rnn, kernel_name, wraps=wrapped) as kernel:
        try:
            result = layer(x, **call)
        except ValueError as refusal:  # use_cudnn=True that Keras cannot honour, on some backends
            result = refusal
    return kernel.call_count, result


def inputs(batch=4, timesteps=9, features=5):
    return np.random.default_rng(0).normal(size=(batch, timesteps, features)).astype("float32")


def test_default_lstm_runs_on_cudnn():
    """A default LSTM on a GPU runs on the cuDNN kernel."""
    calls, result = cudnn_calls(keras.layers.LSTM(8), inputs())
    assert calls == 1
    assert tuple(result.shape) == (4, 8)


@pytest.mark.parametrize("options, call", OUTSIDE_CUDNN.values(), ids=OUTSIDE_CUDNN.keys())
def test_settings_that_rule_out_cudnn(options, call):
    """Any of these settings keeps the layer off cuDNN, even when use_cudnn=True asks for it."""
    calls, _ = cudnn_calls(keras.layers.LSTM(8, use_cudnn=True, **options), inputs(), **call)
    assert calls == 0


def test_input_dropout_keeps_cudnn():
    """Input ``dropout`` keeps the layer on cuDNN in training; only ``recurrent_dropout`` rules it out."""
    calls, _ = cudnn_calls(keras.layers.LSTM(8, dropout=0.2), inputs(), training=True)
    assert calls == 1


@pytest.mark.parametrize("reset_after, expected_calls", [(True, 1), (False, 0)])
def test_gru_on_cudnn_only_with_reset_after(reset_after, expected_calls):
    """A default GRU runs on cuDNN; ``reset_after=False``, the original GRU, never does."""
    layer = keras.layers.GRU(8, reset_after=reset_after)
    calls, _ = cudnn_calls(layer, inputs(), kernel_name="_cudnn_gru")
    assert calls == expected_calls


def arithmetic_context(arithmetic: str):
    """PyTorch lets cuDNN use TF32 for float32 products unless told not to."""
    if keras.backend.backend() != "torch":
        return contextlib.nullcontext()
    import torch

    return torch.backends.cudnn.flags(enabled=True, allow_tf32=arithmetic == "tf32")


# Largest differences measured over the sizes below on an H100 and an H200 (PyTorch 2.11, cuDNN
# 9.19): 7e-4 with TF32 (10-bit mantissas in the products), 8e-6 without. The bounds leave room.
TOLERANCE = {"tf32": 2e-3, "float32": 2e-5}


@pytest.mark.parametrize("arithmetic", ["tf32", "float32"])
@pytest.mark.parametrize(
    "units, features, timesteps, batch", [(4, 5, 7, 3), (64, 16, 40, 8), (256, 32, 100, 64)]
)
def test_reference_equals_cudnn(units, features, timesteps, batch, arithmetic, record_difference):
    """The NumPy reference gives cuDNN's numbers: to 2e-5 in true float32, to 2e-3 with TF32 products."""
    if keras.backend.backend() != "torch" and arithmetic == "tf32":
        pytest.skip("TF32 for cuDNN is PyTorch's default; TensorFlow's is set elsewhere")
    case = random_lstm_case(units, batch=batch, timesteps=timesteps, features=features, units=units)
    weights = (case["kernel"], case["recurrent_kernel"], case["bias"])
    layer = keras.layers.LSTM(units, return_sequences=True, return_state=True)
    layer.build((None, None, features))
    layer.set_weights(list(weights))
    with arithmetic_context(arithmetic):
        calls, result = cudnn_calls(layer, case["x"])
    assert calls == 1
    expected = [keras.ops.convert_to_numpy(t) for t in result]
    actual = reference.lstm(case["x"], *weights, return_sequences=True, return_state=True)
    for got, want in zip(actual, expected, strict=True):
        record_difference(f"LSTM on cuDNN ({arithmetic})", float(np.max(np.abs(got - want))))
        np.testing.assert_allclose(got, want, rtol=0, atol=TOLERANCE[arithmetic])


def test_gpu_output_needs_converting():
    """On PyTorch a GPU layer's output lives in GPU memory: NumPy refuses it, Keras's converter copies it."""
    if keras.backend.backend() != "torch":
        pytest.skip("TensorFlow's tensors convert to NumPy wherever they were computed")
    output = keras.layers.LSTM(8)(inputs())
    with pytest.raises(TypeError, match="cuda"):
        np.asarray(output)
    assert keras.ops.convert_to_numpy(output).shape == (4, 8)
