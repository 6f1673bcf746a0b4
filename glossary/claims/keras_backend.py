"""The Keras the claims run against: which one, on which backend and device, and its tensors.

Keras is imported only when a check runs.
"""

from __future__ import annotations

import contextlib
import os

import numpy as np

from glossary.versions import KerasUnavailableError, import_keras

KERAS_MODULE = "GLOSSARY_KERAS"
"""The environment variable naming the Keras to check: ``keras`` (Keras 3, the default) or ``tf_keras``."""


FLOAT32_ARITHMETIC = (
    "float32 products: on a GPU they may be rounded to TF32, by PyTorch's cuDNN unless "
    "`torch.backends.cudnn.allow_tf32 = False`, and by TensorFlow on Ampere or newer GPUs unless "
    "`tf.config.experimental.enable_tensor_float_32_execution(False)`"
)
"""Why a claim that compares numbers to float32 precision can fail on a GPU."""

KERAS_OWN_LOOP = "no GPU: on one, the layer runs cuDNN's fused kernel, which rounds unlike Keras's loop"
"""Why a claim that two Keras code paths agree bit for bit (to 1e-6) can fail on a GPU."""


def keras():
    """The Keras the claims run against: Keras 3, or Keras 2 (``tf_keras``) if ``GLOSSARY_KERAS`` says so.

    Raises:
        KerasUnavailableError: that Keras, or its backend, cannot be imported, or
            ``GLOSSARY_KERAS`` names no Keras.
    """
    name = os.environ.get(KERAS_MODULE, "keras")
    try:
        return import_keras(name)
    except KerasUnavailableError as error:
        if KERAS_MODULE in os.environ:
            raise KerasUnavailableError(f"{KERAS_MODULE}={name!r}: {error}") from None
        raise


def backend() -> str:
    """The backend of that Keras; Keras 2 has only TensorFlow."""
    imported = keras()
    return imported.backend.backend() if hasattr(imported.backend, "backend") else "tensorflow"


def is_keras_2() -> bool:
    """Whether the claims run against Keras 2 (``tf_keras``)."""
    return keras().__name__ == "tf_keras"


def tensor(array: np.ndarray):
    """``array`` as Keras's own tensor: Keras 2 takes no NumPy array for ``initial_state``."""
    if is_keras_2():
        import tensorflow as tf

        return tf.constant(array)
    return keras().ops.convert_to_tensor(array)


def variable(array: np.ndarray):
    """``array`` as a variable of that Keras, which an optimiser can update."""
    if is_keras_2():
        import tensorflow as tf

        return tf.Variable(array)
    return keras().Variable(array)


def accelerator() -> dict[str, str]:
    """The CUDA GPU the backend computes on, with its cuDNN; empty on a CPU.

    On PyTorch, also whether cuDNN may use TF32 for float32 products. A GPU changes which kernel a
    default LSTM runs, on each of the three backends.
    """
    name = backend()
    if name == "torch":
        import torch

        if not torch.cuda.is_available():
            return {}
        cudnn = torch.backends.cudnn.version() or 0
        return {
            "GPU": torch.cuda.get_device_name(0),
            "cuDNN": f"{cudnn // 10000}.{cudnn // 100 % 100}.{cudnn % 100}",
            "TF32": "allowed" if torch.backends.cudnn.allow_tf32 else "off",
        }
    if name == "tensorflow":
        import tensorflow as tf

        gpus = tf.config.list_physical_devices("GPU")
        if not gpus:
            return {}
        details = tf.config.experimental.get_device_details(gpus[0])
        cudnn = tf.sysconfig.get_build_info().get("cudnn_version", "unknown")
        return {"GPU": details.get("device_name", gpus[0].name), "cuDNN": cudnn}
    if name == "jax":
        import jax

        # Keras's JAX backend runs an LSTM on cuDNN (through jax.experimental.rnn) when JAX's
        # default device is a GPU, the test its source makes (keras.src.backend.jax.rnn).
        if jax.default_backend() != "gpu":
            return {}
        return {"GPU": jax.devices()[0].device_kind}
    return {}


def host_array(value) -> np.ndarray:
    """A Keras output as a NumPy array, wherever it was computed.

    TensorFlow's and JAX's tensors convert themselves, from a GPU too; a PyTorch tensor must leave
    autograd and the GPU first, which ``np.asarray`` refuses to do (and
    ``keras.ops.convert_to_numpy`` does with a NumPy 2 deprecation warning on PyTorch 2.13).
    """
    if hasattr(value, "detach"):
        value = value.detach().cpu()
    return np.asarray(value)


def without_gradients():
    """On the PyTorch backend, no autograd: its outputs then convert to NumPy like any other backend's."""
    if backend() != "torch":
        return contextlib.nullcontext()
    import torch

    return torch.no_grad()


def with_gradients():
    """Autograd back on, for a check that trains: on PyTorch, `checking` runs checks without it."""
    if backend() != "torch":
        return contextlib.nullcontext()
    import torch

    return torch.enable_grad()
