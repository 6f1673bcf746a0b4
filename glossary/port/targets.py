"""The frameworks ``glossary port --to`` converts for, one line each, and the two steps every one takes.

`convert` writes the file of a target (`glossary.port.target.Target`), holding every layer; `measure`
loads that very file in the target's framework, runs each layer on the input Keras ran, and gives
each layer's largest difference from Keras's outputs. The command, the tests and the extras of
``pyproject.toml`` (one per target, of its name) read ``TARGETS``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from glossary.port import flax, mlx, onnx, torch
from glossary.port.target import Target

if TYPE_CHECKING:
    from glossary.porting import PortedLayer

TARGETS: dict[str, Target] = {
    target.name: target
    for target in (
        torch.TARGET,
        onnx.TARGET,
        flax.TARGET,
        mlx.TARGET,
    )
}


def convert(layers: list[PortedLayer], name: str) -> bytes:
    """The content of the file for the target ``name`` that holds every layer.

    Raises:
        PortRefusedError: a converter refuses a layer's weights, or two layers' arrays would take
            the same name in the file.
    """
    return TARGETS[name].write(layers)


def measure(layers: list[PortedLayer], name: str, content: bytes) -> list[float]:
    """Each layer's largest difference from Keras, running the layers ``content`` holds in ``name``."""
    runs = TARGETS[name].run(layers, content)
    return [_difference(layer, *run) for layer, run in zip(layers, runs, strict=True)]


def _difference(layer: PortedLayer, sequences: list[np.ndarray], states: list[list[np.ndarray]]) -> float:
    """The largest difference between Keras's outputs and the target's (`glossary.port.target.Run`)."""
    if layer.return_sequences:
        output = np.concatenate(sequences, axis=-1)
    else:
        output = np.concatenate([direction[0] for direction in states], axis=-1)
    expected = [output]
    if layer.return_state:
        expected += [state for direction in states for state in direction]
    if len(expected) != len(layer.keras_outputs):
        return float("inf")
    differences = []
    for ours, theirs in zip(expected, layer.keras_outputs, strict=True):
        if np.shape(ours) != np.shape(theirs):
            return float("inf")
        differences.append(float(np.max(np.abs(np.asarray(ours, np.float64) - theirs), initial=0.0)))
    return float("nan") if any(np.isnan(differences)) else max(differences)
