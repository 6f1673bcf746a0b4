"""Keras's packed arrays to and from any layout of `glossary.port.layout`.

A framework module names and nests the arrays; everything numeric happens here: the gate
blocks are reordered, the weights transposed, and the biases moved between the input's side
and the recurrent side, all as the layout's data says.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from glossary import checks
from glossary.port.layout import CANDIDATE, KERAS_GRU, KERAS_GRU_RESET_BEFORE, Layout, keras_layout


class Packed(NamedTuple):
    """One direction's weights in a framework's layout, gate blocks in ``layout.gates`` order."""

    kernel: np.ndarray
    """(features, gates * units), or (gates * units, features) where the layout is transposed."""
    recurrent_kernel: np.ndarray
    """(units, gates * units), or its transpose."""
    input_bias: np.ndarray | None
    """(len(layout.input_bias) * units,); None where the layout has no input bias."""
    recurrent_bias: np.ndarray | None
    """(len(layout.recurrent_bias) * units,); None where the layout has no recurrent bias."""


def keras_directions(weights: Sequence[np.ndarray], kind: str) -> list[tuple[np.ndarray, ...]]:
    """One (kernel, recurrent_kernel, bias) per direction, from a Keras layer's ``get_weights()``.

    Three arrays are one direction (an LSTM or GRU layer); six are two (``Bidirectional``:
    the forward layer's three, then the backward layer's).

    Raises:
        ValueError: ``weights`` holds neither three nor six arrays.
    """
    if isinstance(weights, np.ndarray) or len(weights) not in (3, 6):
        count = "one array" if isinstance(weights, np.ndarray) else f"{len(weights)} arrays"
        raise ValueError(
            f"weights: expected a Keras {kind}'s get_weights(), [kernel, recurrent_kernel, bias], or a "
            f"Bidirectional's six arrays, got {count} (a layer built with use_bias=False is not supported)"
        )
    return [tuple(weights[start : start + 3]) for start in range(0, len(weights), 3)]


def to_layout(kernel, recurrent_kernel, bias, target: Layout) -> Packed:
    """One direction's Keras arrays rearranged into ``target``'s layout.

    Raises:
        ValueError: an array's shape is not Keras's, the GRU's ``reset_after`` is not the one
            ``target`` computes, or ``target`` has no place for a nonzero bias.
        TypeError: an array is not floating point.
    """
    gates = len(target.gates)
    kernel = checks.as_float_array(kernel, "kernel", f"(features, {gates} * units)")
    checks.require_ndim(kernel, 2, "kernel", f"(features, {gates} * units)")
    keras = keras_layout(target)
    if keras.reset_after is not None:  # a GRU: its bias's rows say which reset it computes
        keras = KERAS_GRU if np.ndim(bias) == 2 else KERAS_GRU_RESET_BEFORE
    kernel, recurrent_kernel, bias = checks.packed_weights(
        kernel,
        recurrent_kernel,
        bias,
        features=kernel.shape[0],
        gates=gates,
        gate_names=", ".join(keras.gate_letters),
        bias_rows=2 if keras.recurrent_bias else 1,
    )
    if keras.reset_after != target.reset_after:
        raise ValueError(
            f"bias: {target.layer} computes a Keras GRU with reset_after={target.reset_after}, "
            f"this GRU has reset_after={keras.reset_after} (bias of shape {bias.shape})"
        )
    units = recurrent_kernel.shape[0]
    input_biases = _blocks(bias[0] if keras.recurrent_bias else bias, keras.gates)
    no_bias = np.zeros(units, bias.dtype)
    recurrent_biases = (
        _blocks(bias[1], keras.gates) if keras.recurrent_bias else dict.fromkeys(keras.gates, no_bias)
    )

    input_side, recurrent_side = {}, {}
    for gate in target.gates:
        given_input, given_recurrent = input_biases[gate], recurrent_biases[gate]
        if gate in target.input_bias and gate in target.recurrent_bias:
            input_side[gate], recurrent_side[gate] = given_input, given_recurrent
        elif gate == CANDIDATE and target.reset_after:
            # The reset gate multiplies the recurrent bias and not the input bias: they never sum.
            if np.any(given_recurrent):
                raise ValueError(
                    f"bias: {target.layer} has no recurrent bias inside the reset gate, and this GRU's "
                    f"(bias[1] of the candidate, h) is not zero"
                )
            input_side[gate] = given_input
        elif gate in target.input_bias:
            input_side[gate] = given_input + given_recurrent  # both are added to the same sum
        else:
            recurrent_side[gate] = given_input + given_recurrent
    return Packed(
        _oriented(_packed(_blocks(kernel, keras.gates), target.gates), target),
        _oriented(_packed(_blocks(recurrent_kernel, keras.gates), target.gates), target),
        _packed(input_side, target.gates) if target.input_bias else None,
        _packed(recurrent_side, target.gates) if target.recurrent_bias else None,
    )


def from_layout(packed: Packed, target: Layout, names: Sequence[str]) -> tuple[np.ndarray, ...]:
    """One direction's arrays in ``target``'s layout, as Keras's (kernel, recurrent_kernel, bias).

    ``names`` are the framework's names of the four arrays of ``packed``, for the messages.
    ``bias`` is (2, 3 * units) for a GRU that resets after the recurrent product.

    Raises:
        ValueError: an array's shape does not fit ``target``, or it holds NaN or infinity.
        TypeError: an array is not floating point.
    """
    gates = len(target.gates)
    kernel_name, recurrent_name, input_name, recurrent_bias_name = names
    wide = f"{gates} * units"
    recurrent_shape = f"({wide}, units)" if target.transposed else f"(units, {wide})"
    recurrent_kernel = checks.as_float_array(packed.recurrent_kernel, recurrent_name, recurrent_shape)
    checks.require_ndim(recurrent_kernel, 2, recurrent_name, recurrent_shape)
    recurrent_kernel = recurrent_kernel.T if target.transposed else recurrent_kernel
    units = recurrent_kernel.shape[0]
    if units == 0 or recurrent_kernel.shape[1] != gates * units:
        raise ValueError(
            f"{recurrent_name}: expected {recurrent_shape} with the gates packed as "
            f"[{', '.join(target.gate_letters)}], got shape {packed.recurrent_kernel.shape}"
        )
    kernel_shape = f"({wide}, features)" if target.transposed else f"(features, {wide})"
    kernel = checks.as_float_array(packed.kernel, kernel_name, kernel_shape)
    checks.require_ndim(kernel, 2, kernel_name, kernel_shape)
    features = kernel.shape[1] if target.transposed else kernel.shape[0]
    width = gates * units
    checks.require_shape(
        kernel, (width, features) if target.transposed else (features, width), kernel_name, kernel_shape
    )
    kernel = kernel.T if target.transposed else kernel
    input_biases = _given_biases(packed.input_bias, target.input_bias, input_name, target, units)
    recurrent_biases = _given_biases(
        packed.recurrent_bias, target.recurrent_bias, recurrent_bias_name, target, units
    )
    for name, array in ((kernel_name, kernel), (recurrent_name, recurrent_kernel)):
        checks.require_finite(array, name)

    keras = keras_layout(target)
    dtype = np.result_type(kernel, recurrent_kernel, *input_biases.values(), *recurrent_biases.values())
    no_bias = np.zeros(units, dtype)
    keras_input, keras_recurrent = {}, {}
    for gate in keras.gates:
        given_input, given_recurrent = input_biases.get(gate, no_bias), recurrent_biases.get(gate, no_bias)
        if gate in keras.recurrent_bias:  # a GRU with reset_after=True keeps both rows
            keras_input[gate], keras_recurrent[gate] = given_input, given_recurrent
        else:
            keras_input[gate] = given_input + given_recurrent
    bias = _packed(keras_input, keras.gates)
    if keras.recurrent_bias:
        bias = np.stack([bias, _packed(keras_recurrent, keras.gates)])
    return (
        _packed(_blocks(kernel, target.gates), keras.gates).astype(dtype, copy=False),
        _packed(_blocks(recurrent_kernel, target.gates), keras.gates).astype(dtype, copy=False),
        bias.astype(dtype, copy=False),
    )


def _given_biases(
    array, gates: tuple[str, ...], name: str, target: Layout, units: int
) -> dict[str, np.ndarray]:
    """A framework's bias vector split into its gates' blocks; {} where the layout has none."""
    if not gates:
        if array is not None:
            raise ValueError(f"{name}: {target.layer} has no such bias, got shape {np.shape(array)}")
        return {}
    expected = f"({len(gates)} * units,)"
    bias = checks.as_float_array(array, name, expected)
    checks.require_shape(bias, (len(gates) * units,), name, expected)
    checks.require_finite(bias, name)
    return _blocks(bias, tuple(gate for gate in target.gates if gate in gates))


def _blocks(packed: np.ndarray, gates: tuple[str, ...]) -> dict[str, np.ndarray]:
    """The last axis of ``packed`` cut into one block per gate, named."""
    return dict(zip(gates, np.split(packed, len(gates), axis=-1), strict=True))


def _packed(blocks: dict[str, np.ndarray], gates: tuple[str, ...]) -> np.ndarray:
    """The blocks of ``gates`` side by side, in that order."""
    return np.concatenate([blocks[gate] for gate in gates if gate in blocks], axis=-1)


def _oriented(weight: np.ndarray, target: Layout) -> np.ndarray:
    return np.ascontiguousarray(weight.T) if target.transposed else weight
