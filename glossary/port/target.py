"""What a framework needs to be a target of ``glossary port``, and the helpers the targets share.

A `Target` is one framework's record: the modules it needs (each also a distribution, installed by
the project's extra of the target's name), what its file is, how to write the file from the
converted layers, and how to run the layers that file holds. Each lives beside its converter
(``glossary/port/torch.py`` holds ``TARGET``); `glossary.port.targets` lists them.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from glossary.porting import PortedLayer

TOLERANCE = 1e-4
"""The largest difference between the Keras layer and the converted one that still counts as equal.

Both compute in float32, summing the same products in their own order: every timestep carries the
rounding into the next, so the outputs differ by a few float32 steps (about 1e-7 for values near
1 over these few timesteps, more for wide layers). A gate in the wrong order or a bias in the
wrong place changes them by 1e-2 and more: 1e-4 tells the two apart with room to spare."""

Run = Iterator[tuple[list[np.ndarray], list[list[np.ndarray]]]]
"""For each layer, in order: its output at every timestep, (batch, timesteps, units), one array per
direction in the input's time order; and its final states per direction, as Keras orders them."""


class PortRefusedError(Exception):
    """A layer, or a setting of one, that the target cannot express: the message names the layer."""


@dataclass(frozen=True)
class Target:
    """One framework ``glossary port --to NAME`` converts for."""

    name: str
    needs: tuple[str, ...]
    """The modules it imports; each is also the name of its distribution."""
    file: str
    """What the file it writes is, for the command's last line: ``a PyTorch state dict (torch.save)``."""
    write: Callable[[list[PortedLayer]], bytes]
    """The file's content, holding every layer, each array named after the layer's path."""
    run: Callable[[list[PortedLayer], bytes], Run]
    """Load the file's content in the framework and run each layer on its input (`Run`)."""
    resets_before: bool = False
    """Whether its GRU can reset before the recurrent product, as Keras's ``reset_after=False`` does."""


def converted(layer: PortedLayer, convert_lstm, convert_gru, *options):
    """A layer's weights through the converter of its kind; a refusal names the layer."""
    try:
        return (convert_lstm if layer.kind == "LSTM" else convert_gru)(*options)
    except ValueError as error:
        raise PortRefusedError(f"{layer.title}: {error}") from None


def flat(tree: dict, prefix: str = "") -> dict[str, np.ndarray]:
    """A nested dict of arrays as one dict, keyed by the path of keys joined with slashes."""
    found = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            found |= flat(value, f"{prefix}{key}/")
        else:
            found[f"{prefix}{key}"] = value
    return found


def nested(named: dict[str, np.ndarray]) -> dict:
    """The nested dict that `flat` made ``named`` from."""
    tree: dict = {}
    for name, array in named.items():
        *parents, leaf = name.split("/")
        node = tree
        for parent in parents:
            node = node.setdefault(parent, {})
        node[leaf] = array
    return tree


def named(layers: list[PortedLayer], arrays_of, separator: str) -> dict[str, np.ndarray]:
    """Every layer's arrays in one dict, each name prefixed by the layer's path and ``separator``."""
    pairs = [
        (f"{layer.path}{separator}{name}", array)
        for layer in layers
        for name, array in arrays_of(layer).items()
    ]
    unique([name for name, _ in pairs])
    return dict(pairs)


def unique(names: list[str]) -> None:
    """Refuse a file in which two arrays would take one name."""
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise PortRefusedError(
            f"two layers' arrays would take the same name in the file ({repeated[0]!r}); "
            "rename one of the layers"
        )


def npz(arrays: dict[str, np.ndarray]) -> bytes:
    """An ``.npz`` file's content."""
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def npz_file(parameters_of: Callable[[PortedLayer], dict]) -> Callable[[list[PortedLayer]], bytes]:
    """A target's ``write`` for an ``.npz`` of each layer's parameter tree, keyed ``<layer>/<path>``."""
    return lambda layers: npz(named(layers, lambda layer: flat(parameters_of(layer)), "/"))


def read_npz(content: bytes) -> dict[str, np.ndarray]:
    """The arrays of an ``.npz`` file's content, never unpickling anything."""
    with np.load(io.BytesIO(content), allow_pickle=False) as arrays:
        return {name: arrays[name] for name in arrays.files}
