"""Keras's cuDNN LSTM kernel: when Keras takes it, and how close it stays to the reference.

The kernel runs only on a CUDA GPU, so everything here skips on a machine without one (CI
included). Whether a call ran on cuDNN is read by wrapping the function Keras calls for it: the
backend's private ``_cudnn_lstm`` or ``_cudnn_gru`` (``keras.src.backend.<backend>.rnn``) on
TensorFlow and PyTorch, ``jax.experimental.rnn.lstm`` on JAX, whose Keras backend has an LSTM
on cuDNN and no GRU. ``use_cudnn=True`` alone cannot tell, because on the PyTorch backend Keras
falls back to its own loop without raising, and on JAX a GRU given it runs without cuDNN
(except with a mask, ``recurrent_dropout``, ``unroll=True`` or ``reset_after=False``, where it
raises: CUDNN-NEEDS-GPU).
"""

import contextlib
import importlib
import warnings
from unittest import mock

import keras
import numpy as np
import pytest
from keras_oracle import random_lstm_case

from glossary import reference
from glossary.claims.keras_backend import host_array


def gpu_available() -> bool:
    backend = keras.backend.backend()
    if backend == "torch":
        import torch

        return torch.cuda.is_available() and torch.backends.cudnn.is_available()
    if backend == "tensorflow":
        import tensorflow as tf

        return bool(tf.config.list_physical_devices("GPU"))
    if backend == "jax":
        import jax

        # The test Keras makes before it runs an LSTM on cuDNN (keras.src.backend.jax.rnn).
        return jax.default_backend() == "gpu"
    return False


pytestmark = pytest.mark.skipif(not gpu_available(), reason="the cuDNN kernel needs a CUDA GPU")

OUTSIDE_CUDNN = {
    "relu activation": ({"activation": "relu"}, {}),
    "hard_sigmoid gates": ({"recurrent_activation": "hard_sigmoid"}, {}),
    "recurrent_dropout": ({"recurrent_dropout": 0.2}, {}),
    "unroll": ({"unroll": True}, {}),
    "no bias": ({"use_bias": False}, {}),
}


def kernel_function(kernel_name):
    """The module and the name of the function through which Keras enters cuDNN for a layer.

    ``kernel_name`` is ``"_cudnn_lstm"`` or ``"_cudnn_gru"``, the names on TensorFlow and PyTorch.
    Keras's JAX backend calls JAX's own cuDNN LSTM, looked up when the layer runs, and has no GRU.
    """
    backend = keras.backend.backend()
    if backend == "jax":
        if kernel_name != "_cudnn_lstm":
            pytest.skip("Keras's JAX backend has no cuDNN GRU: a GRU runs its own scan there")
        return importlib.import_module("jax.experimental.rnn"), "lstm"
    return importlib.import_module(f"keras.src.backend.{backend}.rnn"), kernel_name


def cudnn_calls(layer, x, kernel_name="_cudnn_lstm", **call):
    """How many times the backend's cuDNN kernel returned during ``layer(x)``, and what the layer returned.

    Returns, not entries: on PyTorch, Keras calls its kernel inside ``try: ... except Exception``
    and runs its own loop when the kernel fails, so a kernel entered is not a kernel run.
    """
    module, name = kernel_function(kernel_name)
    kernel = getattr(module, name)
    returned = []

    def counted(*arguments, **options):
        result = kernel(*arguments, **options)
        returned.append(name)
        return result

    with mock.patch.object(module, name, counted):
        try:
            result = layer(x, **call)
        except ValueError as refusal:  # use_cudnn=True that Keras cannot honour, on some backends
            result = refusal
    return len(returned), result


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


def test_use_cudnn_false_keeps_off_cudnn():
    """``use_cudnn=False`` keeps a default LSTM off cuDNN."""
    calls, _ = cudnn_calls(keras.layers.LSTM(8, use_cudnn=False), inputs())
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


def right_padded_mask(batch=4, timesteps=9):
    """A mask whose rows hold their real timesteps first: the first row ends in three of padding."""
    mask = np.ones((batch, timesteps), bool)
    mask[0, -3:] = False
    return mask


@pytest.mark.parametrize("kind, kernel_name", [("LSTM", "_cudnn_lstm"), ("GRU", "_cudnn_gru")])
def test_mask_keeps_jax_and_torch_off_cudnn(kind, kernel_name):
    """On JAX and PyTorch a masked layer runs Keras's own loop, even with a right-padded mask."""
    if keras.backend.backend() == "tensorflow":
        pytest.skip("TensorFlow hands a right-padded mask to cuDNN")
    layer = getattr(keras.layers, kind)(8)
    calls, _ = cudnn_calls(layer, inputs(), kernel_name=kernel_name, mask=right_padded_mask())
    assert calls == 0


def tensorflow_op_calls(layer, x, **call):
    """How many times ``layer(x)`` ran TensorFlow's cuDNN op, and what it returned.

    Keras's ``_cudnn_lstm`` checks a mask before it calls the op, so entering it is not enough.
    """
    import tensorflow as tf

    with mock.patch.object(tf.raw_ops, "CudnnRNNV3", wraps=tf.raw_ops.CudnnRNNV3) as op:
        result = layer(x, **call)
    return op.call_count, result


@pytest.mark.parametrize("kind", ["LSTM", "GRU"])
def test_tensorflow_takes_only_right_padded_masks(kind):
    """On TensorFlow a right-padded mask reaches cuDNN. A left-padded one makes a direct call fall
    back to Keras's own loop, and stops ``predict``, a graph, with Keras's assertion."""
    if keras.backend.backend() != "tensorflow":
        pytest.skip("only Keras's TensorFlow backend hands a mask to cuDNN")
    import tensorflow as tf

    x = inputs()
    layer = getattr(keras.layers, kind)(8)
    calls, _ = tensorflow_op_calls(layer, x, mask=right_padded_mask())
    assert calls == 1
    left = right_padded_mask()[:, ::-1].copy()
    calls, result = tensorflow_op_calls(layer, x, mask=left)
    assert calls == 0
    own_loop = getattr(keras.layers, kind)(8, use_cudnn=False)
    own_loop.build(x.shape)
    own_loop.set_weights(layer.get_weights())
    expected = host_array(own_loop(x, mask=left))
    np.testing.assert_allclose(host_array(result), expected, rtol=0, atol=1e-6)
    sequences, mask = keras.Input(x.shape[1:]), keras.Input(left.shape[1:], dtype="bool")
    model = keras.Model([sequences, mask], layer(sequences, mask=mask))
    with pytest.raises(tf.errors.InvalidArgumentError, match="right-padded"):
        model.predict([x, left], verbose=0)


@contextlib.contextmanager
def arithmetic_context(arithmetic: str):
    """cuDNN's float32 products in TF32 (``"tf32"``) or in true float32 (``"float32"``).

    Each backend allows TF32 by default and has its own switch: PyTorch's cuDNN flags, TensorFlow's
    TensorFloat-32 setting, and on JAX the default matmul precision, which
    ``jax.experimental.rnn.lstm`` reads when Keras passes it none.
    """
    backend = keras.backend.backend()
    tf32 = arithmetic == "tf32"
    if backend == "torch":
        import torch

        with torch.backends.cudnn.flags(enabled=True, allow_tf32=tf32):
            yield
    elif backend == "tensorflow":
        import tensorflow as tf

        before = tf.config.experimental.tensor_float_32_execution_enabled()
        tf.config.experimental.enable_tensor_float_32_execution(tf32)
        try:
            yield
        finally:
            tf.config.experimental.enable_tensor_float_32_execution(before)
    else:
        import jax

        with jax.default_matmul_precision("tensorfloat32" if tf32 else "float32"):
            yield


# Largest differences measured over the sizes below on an H100 and an H200 (PyTorch 2.11, cuDNN
# 9.19): 7e-4 with TF32 (10-bit mantissas in the products), 8e-6 without. The bounds leave room.
# No run on TensorFlow or JAX has measured them.
TOLERANCE = {"tf32": 2e-3, "float32": 2e-5}


@pytest.mark.parametrize("arithmetic", ["tf32", "float32"])
@pytest.mark.parametrize(
    "units, features, timesteps, batch", [(4, 5, 7, 3), (64, 16, 40, 8), (256, 32, 100, 64)]
)
def test_reference_equals_cudnn(units, features, timesteps, batch, arithmetic, record_difference):
    """The NumPy reference gives cuDNN's numbers: to 2e-5 in true float32, to 2e-3 with TF32 products."""
    case = random_lstm_case(units, batch=batch, timesteps=timesteps, features=features, units=units)
    weights = (case["kernel"], case["recurrent_kernel"], case["bias"])
    layer = keras.layers.LSTM(units, return_sequences=True, return_state=True)
    layer.build((None, None, features))
    layer.set_weights(list(weights))
    with arithmetic_context(arithmetic):
        calls, result = cudnn_calls(layer, case["x"])
    assert calls == 1
    expected = [host_array(t) for t in result]
    actual = reference.lstm(case["x"], *weights, return_sequences=True, return_state=True)
    for got, want in zip(actual, expected, strict=True):
        record_difference(f"LSTM on cuDNN ({arithmetic})", float(np.max(np.abs(got - want))))
        np.testing.assert_allclose(got, want, rtol=0, atol=TOLERANCE[arithmetic])


def test_gpu_output_needs_converting():
    """On PyTorch a GPU layer's output lives in GPU memory: NumPy refuses it, Keras's converter copies it."""
    if keras.backend.backend() != "torch":
        pytest.skip("TensorFlow's and JAX's tensors convert to NumPy wherever they were computed")
    output = keras.layers.LSTM(8)(inputs())
    with pytest.raises(TypeError, match="cuda"):
        np.asarray(output)
    with warnings.catch_warnings():
        # PyTorch 2.13's tensors warn under NumPy 2 that __array__ takes no copy keyword (claim
        # TORCH-OUTPUT-TO-NUMPY); the copy is made all the same.
        warnings.simplefilter("ignore", DeprecationWarning)
        converted = keras.ops.convert_to_numpy(output)
    assert converted.shape == (4, 8)
