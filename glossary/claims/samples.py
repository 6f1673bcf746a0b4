"""What the checks build and feed to Keras: sample inputs, built layers and caught errors.

Also the reference, measured against a layer.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re

import numpy as np

from glossary.claims.keras_backend import host_array, keras


def built(layer, features: int):
    """``layer``, built for inputs with ``features`` features and any batch or length."""
    layer.build((None, None, features))
    return layer


def sample(batch: int = 3, timesteps: int = 7, features: int = 5, seed: int = 0) -> np.ndarray:
    """A (batch, timesteps, features) array of standard normal numbers, the same for the same seed."""
    return np.random.default_rng(seed).normal(size=(batch, timesteps, features)).astype("float32")


def error_of(call) -> str:
    """The message of the exception ``call`` raises, or '' if it raises none."""
    try:
        call()
    except Exception as error:  # the message is the evidence, whatever the exception
        return f"{type(error).__name__}: {error}"
    return ""


TERMINAL_MARKS = re.compile(r"\x1b\[[0-9;]*m")
"""Keras prints the middle line of a wrapped message in bold for a terminal; the marks are not text."""


def message_of(call) -> str:
    """What Keras says when ``call`` fails, as a terminal shows it: type and text, without bold marks."""
    said = TERMINAL_MARKS.sub("", error_of(call))
    return "\n".join(line.rstrip() for line in said.strip().splitlines())


def random_biases(seed: int = 1):
    """An initializer of non-zero biases, as a trained layer has.

    A bias copied to the wrong place then changes the outputs. A new layer's biases are zeros (an
    LSTM's forget block ones, unless ``unit_forget_bias=False``), which a bias in the wrong row or
    gate block leaves unchanged.
    """
    return keras().initializers.RandomNormal(stddev=0.5, seed=seed)


NONZERO_LSTM_BIASES = {"unit_forget_bias": False}
"""With ``bias_initializer=random_biases()``, every one of an LSTM's four bias blocks random, the
forget block included (``unit_forget_bias=True`` would set it to ones)."""


REFERENCE_FUNCTIONS = {"LSTM": "lstm", "GRU": "gru", "SimpleRNN": "simple_rnn"}


def reference_difference(layer_type: str, **options) -> float:
    """The largest |glossary.reference - Keras| for a new layer of ``layer_type`` with the same weights.

    The layer's biases are random: with a new layer's zeros, a bias the reference read from the
    wrong row or gate block would not show.
    """
    from glossary import reference

    x = sample(batch=4, timesteps=20, features=5)
    layer = getattr(keras().layers, layer_type)(
        8, return_sequences=True, bias_initializer=random_biases(), **options
    )
    expected = host_array(layer(x))
    run = getattr(reference, REFERENCE_FUNCTIONS[layer_type])
    actual = run(x, *layer.get_weights(), return_sequences=True, **options)
    return float(np.max(np.abs(actual - expected)))


@contextlib.contextmanager
def legacy_h5_advice_muted():
    """Keras's advice that `.h5` is a legacy format, which it logs through absl, not shown.

    It is advice for a user who saves, not news about the claim; a site build fails on a logged
    warning.
    """
    log = logging.getLogger("absl")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(level)


@contextlib.contextmanager
def process_stderr_dropped():
    """The process's standard error (file descriptor 2) sent nowhere for a while.

    TensorFlow's converter and PyTorch's exporter print from C++ there, below Python's
    ``sys.stderr``; the claims' evidence keeps what matters.
    """
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as nowhere:
            os.dup2(nowhere.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def logged_while(action) -> list[str]:
    """Every warning and log record (Python's, TensorFlow's) emitted while ``action`` runs."""
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
