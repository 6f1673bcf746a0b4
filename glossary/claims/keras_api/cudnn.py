"""Claims of the page "The cuDNN kernel" (``docs/cudnn.md``)."""

from __future__ import annotations

from pathlib import Path

from glossary.claims.keras_backend import accelerator, keras
from glossary.claims.registry import Evidence, NotApplicable, claim
from glossary.claims.samples import error_of, sample


def _logged_while(action) -> list[str]:
    """Every warning and log record (Python's, TensorFlow's) emitted while ``action`` runs."""
    import logging
    import warnings

    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())

    loggers = [logging.getLogger(), logging.getLogger("tensorflow")]
    handler = Collect(logging.DEBUG)
    for logger in loggers:
        logger.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            action()
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
    return records + [str(warning.message) for warning in caught]


@claim(
    "CUDNN-NEEDS-GPU",
    "Without a GPU, `LSTM(use_cudnn=True)` raises a `ValueError`; the default `use_cudnn='auto'` falls "
    "back to the generic loop.",
    page="cudnn.md#asking-for-it",
    depends_on="Keras 3 on TensorFlow or JAX without a CUDA GPU; on PyTorch use_cudnn=True falls back "
    "without raising; Keras 2 has no use_cudnn (a TypeError)",
)
def cudnn_needs_gpu():
    if accelerator():
        raise NotApplicable("a GPU is present: tests/test_cudnn.py checks what happens there")
    message = error_of(lambda: keras().layers.LSTM(4, use_cudnn=True)(sample()))
    fallback = tuple(keras().layers.LSTM(4)(sample()).shape)
    raised = message.startswith("ValueError") and "use_cudnn=True was specified" in message
    outcome = message.partition(":")[0] + " raised" if message else "no error"
    return Evidence(raised and fallback == (3, 4), f"use_cudnn=True: {outcome}; use_cudnn='auto' ran")


@claim(
    "CUDNN-KERAS3-SILENT",
    "Keras 3 logs no warning when an LSTM's settings rule out the cuDNN kernel: with `use_cudnn='auto'` "
    "it falls back silently.",
    page="cudnn.md#the-will-not-use-cudnn-kernels-warning",
    depends_on="Keras 3",
)
def cudnn_keras3_silent():
    # Without a GPU no Keras warns, so the installed source is searched for the message as well.
    logged = _logged_while(lambda: keras().layers.LSTM(4, activation="relu", recurrent_dropout=0.1)(sample()))
    about_cudnn = [message for message in logged if "cudnn" in message.lower()]
    package = Path(keras().__file__).parent
    in_source = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "will not use cuDNN kernels" in path.read_text(encoding="utf-8", errors="replace")
    )
    return Evidence(
        not about_cudnn and not in_source,
        f"messages about cuDNN: {about_cudnn or 'none'}; "
        f"source files holding the warning: {in_source or 'none'}",
    )


@claim(
    "CUDNN-TF-KERAS-WARNING",
    "Keras 2 (`tf-keras`) warns 'Layer NAME will not use cuDNN kernels since it doesn't meet the criteria' "
    "when an LSTM or GRU is created with settings outside cuDNN's, and only while a GPU is visible.",
    page="cudnn.md#the-will-not-use-cudnn-kernels-warning",
    depends_on="tf-keras installed; without a GPU only the message and its silence there are checked",
)
def cudnn_tf_keras_warning():
    try:
        import tf_keras
        from tf_keras.src.layers.rnn import gru_lstm_utils
    except ImportError:
        raise NotApplicable("tf-keras (Keras 2) is not installed") from None
    import tensorflow as tf

    gpu = bool(tf.config.list_logical_devices("GPU"))
    logged = _logged_while(lambda: tf_keras.layers.LSTM(4, activation="relu", name="relu_lstm"))
    logged += _logged_while(lambda: tf_keras.layers.GRU(4, reset_after=False, name="reset_before_gru"))
    warned = all(
        any(f"{name} will not use cuDNN kernels" in message for message in logged)
        for name in ("relu_lstm", "reset_before_gru")
    )
    text = gru_lstm_utils.CUDNN_NOT_AVAILABLE_MSG
    holds = (
        text.startswith("Layer %s will not use cuDNN kernels since it doesn't meet the criteria")
        and warned == gpu
    )
    return Evidence(holds, f"GPU visible: {gpu}; warning logged: {warned}")
