"""Writing files so that a failed write never leaves a broken one behind.

Everything the project writes (a claims record, a benchmark's figures, a diagram, the file of
``glossary port``) goes through `write_atomically`, or `write_bytes_atomically` for a binary file:
the content goes to a temporary file in the same folder, which then replaces the target in one
step. A full disk, a size limit or an interruption leaves the previous file as it was, never a
file cut short.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: str | os.PathLike, text: str, *, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path``, replacing the file only once all of it is on disk.

    The temporary file sits beside ``path`` (``os.replace`` is atomic only within one file system),
    under a short name of its own, so that any name the folder accepts can be written; it takes
    the permissions the target has, or those a new file would get. Where ``path`` is a symbolic
    link, the file it points to is replaced and the link kept. Newlines are written as given, on
    every platform.

    Raises:
        OSError: the folder is missing or not writable, the disk is full, ...; ``path`` is then
            unchanged and no temporary file is left.
    """
    _replace(path, text, "w", encoding=encoding, newline="")


def write_bytes_atomically(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` as `write_atomically` writes text: all of it, or nothing changed.

    Raises:
        OSError: as `write_atomically`; ``path`` is then unchanged and no temporary file is left.
    """
    _replace(path, data, "wb")


def write_all_atomically(texts: dict[str | os.PathLike, str]) -> None:
    """Write several text files, each as `write_atomically` does, and replace none unless all are written.

    Every file's content goes to its temporary file first; only when all are on disk does each
    replace its target. A failure before that leaves every target as it was.

    Raises:
        OSError: as `write_atomically`; no target has then changed and no temporary file is left.
    """
    written: list[tuple[str, Path]] = []
    try:
        for path, text in texts.items():
            written.append(_temporary(path, text, "w", encoding="utf-8", newline=""))
    except BaseException:
        for temporary, _ in written:
            Path(temporary).unlink(missing_ok=True)
        raise
    try:
        for temporary, target in written:
            os.replace(temporary, target)
    finally:
        for temporary, _ in written:  # those not moved into place: none, unless a replace failed
            Path(temporary).unlink(missing_ok=True)


def _replace(path: str | os.PathLike, content: str | bytes, mode: str, **options) -> None:
    """``content`` into a temporary file beside ``path`` (opened with ``mode``), which then replaces it."""
    temporary, target = _temporary(path, content, mode, **options)
    try:
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _temporary(path: str | os.PathLike, content: str | bytes, mode: str, **options) -> tuple[str, Path]:
    """``content`` in a temporary file beside the file ``path`` names, with that file's permissions.

    Returns the temporary file and the file it is to replace (where ``path`` is a symbolic link,
    the file it points to).
    """
    path = Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".glossary-", suffix=".tmp")
    try:
        with os.fdopen(handle, mode, **options) as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, _mode_for(path))
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary, path


def _mode_for(path: Path) -> int:
    """The permission bits of ``path``, or those of a new file under the current umask."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
