"""Installed versions of the libraries the glossary runs against, and TensorFlow kept quiet.

One place for both, used by the command, the claims' records, the site's footer, the tests and
the benchmarks.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, MutableMapping
from importlib.metadata import PackageNotFoundError, version

LIBRARIES = {
    "Keras": ("keras",),
    "TensorFlow": ("tensorflow-cpu", "tensorflow", "tensorflow-gpu", "tensorflow-macos"),
    "NumPy": ("numpy",),
    "PyTorch": ("torch",),
    "JAX": ("jax",),
}
"""Each library by its display name, with the distributions that may provide it."""

QUIET_TENSORFLOW = {
    "TF_CPP_MIN_LOG_LEVEL": "3",  # TensorFlow's C++ start-up logging is not the caller's news
    "TF_ENABLE_ONEDNN_OPTS": "0",  # oneDNN reorders float sums: Keras's last digits differ with it on
}
"""Environment variables that TensorFlow reads once, when it is first imported."""


def quiet_tensorflow(environment: MutableMapping[str, str] = os.environ) -> MutableMapping[str, str]:
    """Set ``QUIET_TENSORFLOW`` in ``environment`` where the user has not set them.

    Call it before anything imports TensorFlow (Keras does, on its TensorFlow backend).
    """
    for name, value in QUIET_TENSORFLOW.items():
        environment.setdefault(name, value)
    return environment


def installed(distributions: Iterable[str]) -> str | None:
    """The version of the first of ``distributions`` that is installed, or None if none is.

    ``tensorflow-cpu`` or ``tensorflow``, say.
    """
    for distribution in distributions:
        try:
            return version(distribution)
        except PackageNotFoundError:
            continue
    return None


def library_versions(names: Iterable[str] = LIBRARIES) -> dict[str, str | None]:
    """The installed version of each named library of ``LIBRARIES``, None where it is missing."""
    return {name: installed(LIBRARIES[name]) for name in names}


KERAS_MODULES = {"keras": ("Keras 3", "keras"), "tf_keras": ("Keras 2", "tf-keras")}
"""The Keras modules the glossary works with, by import name: which Keras, from which distribution."""


class KerasUnavailableError(ImportError):
    """The Keras asked for cannot be imported here: not installed, not a Keras, or its backend is missing."""


def import_keras(name: str = "keras"):
    """Import the Keras named ``name`` (one of ``KERAS_MODULES``); say in one line why it cannot be.

    Raises:
        KerasUnavailableError: ``name`` is not a Keras module, or it or the backend that
            ``KERAS_BACKEND`` names is not installed (or cannot start).
    """
    if name not in KERAS_MODULES:
        expected = " or ".join(f"{module!r} ({what})" for module, (what, _) in KERAS_MODULES.items())
        raise KerasUnavailableError(f"{name!r} is not a Keras the glossary knows; expected {expected}")
    backend = os.environ.get("KERAS_BACKEND")
    which, distribution = KERAS_MODULES[name]
    try:
        return importlib.import_module(name)
    except ImportError as error:
        if error.name == name:
            raise KerasUnavailableError(f"{which} is not installed (pip install {distribution})") from None
        on = f" on the backend KERAS_BACKEND={backend!r}" if backend else ""
        raise KerasUnavailableError(
            f"{which} cannot start{on}: it needs {error.name or 'a module'}, which is "
            f"not installed ({type(error).__name__}: {error})"
        ) from None
    except Exception as error:  # an unknown KERAS_BACKEND, a broken ~/.keras/keras.json, ...
        reason = " ".join(str(error).split()) or type(error).__name__
        raise KerasUnavailableError(f"{which} cannot start: {type(error).__name__}: {reason}") from None
