"""Which version of a library is installed, whichever distribution provides it."""

from __future__ import annotations

from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version


def installed(distributions: Iterable[str]) -> str | None:
    """The version of the first of ``distributions`` that is installed (``tensorflow-cpu`` or
    ``tensorflow``, say), or None if none is."""
    for distribution in distributions:
        try:
            return version(distribution)
        except PackageNotFoundError:
            continue
    return None
