"""Weight shapes and parameter counts of Keras's recurrent layers, from two numbers.

A recurrent layer's size is fixed by ``features`` (the last axis of its input) and ``units``;
neither the batch size nor the number of timesteps appears in any weight.
"""

from __future__ import annotations

from glossary.layer_kinds import KINDS

GATES = {name: kind.blocks for name, kind in KINDS.items()}
"""How many blocks of ``units`` columns each layer packs into its weight arrays."""


def weight_shapes(
    layer: str, features: int, units: int, *, use_bias: bool = True, reset_after: bool = True
) -> dict[str, tuple[int, ...]]:
    """The shape of each weight of ``layer`` ("SimpleRNN", "GRU" or "LSTM"), as Keras names them.

    ``reset_after`` only matters for GRU: Keras's default (True) keeps two bias rows, one for
    the input side and one for the recurrent side.
    """
    gates = _gates(layer)
    _require_positive(features=features, units=units)
    shapes: dict[str, tuple[int, ...]] = {
        "kernel": (features, gates * units),
        "recurrent_kernel": (units, gates * units),
    }
    if use_bias:
        two_rows = layer == "GRU" and reset_after
        shapes["bias"] = (2, gates * units) if two_rows else (gates * units,)
    return shapes


def parameter_count(
    layer: str, features: int, units: int, *, use_bias: bool = True, reset_after: bool = True
) -> int:
    """The number of trainable parameters of ``layer``: what Keras's ``count_params()`` reports."""
    total = 0
    for shape in weight_shapes(layer, features, units, use_bias=use_bias, reset_after=reset_after).values():
        size = 1
        for axis in shape:
            size *= axis
        total += size
    return total


def _gates(layer: str) -> int:
    if layer not in GATES:
        raise ValueError(f"layer: expected one of {sorted(GATES)}, got {layer!r}")
    return GATES[layer]


def _require_positive(**sizes: int) -> None:
    for name, size in sizes.items():
        if not isinstance(size, int) or isinstance(size, bool) or size < 1:
            raise ValueError(f"{name}: expected a positive whole number, got {size!r}")
