"""Installed versions of the libraries the glossary runs against, and TensorFlow kept quiet.

One place for both, used by the command, the claims' records, the site's footer, the tests and
the benchmarks.
"""

from __future__ import annotations

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
    "TF_ENABLE_ONEDNN_OPTS": "0",  # oneDNN reorders float sums: Keras's numbers change between runs
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
