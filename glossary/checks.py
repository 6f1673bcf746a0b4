"""Input checks that fail with the glossary's own words.

Every public function of the package validates what it is given here, so a reader who passes
the wrong thing sees ``x: expected (batch, timesteps, features) ...`` instead of a NumPy
broadcasting error from deep inside a matrix product.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def as_float_array(value: object, name: str, expected: str) -> np.ndarray:
    """Return ``value`` as a floating-point array, or raise naming the glossary term."""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name}: expected an array of shape {expected}; {error}") from None
    if array.dtype == object:
        raise ValueError(f"{name}: expected an array of shape {expected}, got ragged or non-numeric data")
    if not np.issubdtype(array.dtype, np.floating):
        raise TypeError(
            f"{name}: expected floating-point numbers (float16, float32 or float64), "
            f"got dtype {array.dtype}; convert with {name}.astype('float32')"
        )
    return array


def require_ndim(array: np.ndarray, ndim: int, name: str, expected: str) -> None:
    """Raise unless ``array`` has exactly ``ndim`` axes."""
    if array.ndim != ndim:
        raise ValueError(f"{name}: expected {expected} ({ndim}-D), got {array.ndim}-D shape {array.shape}")


def require_shape(array: np.ndarray, shape: tuple[int, ...], name: str, expected: str) -> None:
    """Raise unless ``array.shape == shape``, naming every axis in ``expected``."""
    if array.shape != shape:
        raise ValueError(f"{name}: expected {expected} = {shape}, got shape {array.shape}")


def require_finite(array: np.ndarray, name: str) -> None:
    """Raise if ``array`` holds NaN or infinity, and say where the first one is."""
    if not np.all(np.isfinite(array)):
        where = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
        raise ValueError(f"{name}: contains NaN or infinity (first at index {where})")


def sequence_input(x: object) -> np.ndarray:
    """Check the layer input: a float array of shape (batch, timesteps, features)."""
    expected = "(batch, timesteps, features)"
    array = as_float_array(x, "x", expected)
    if array.ndim == 2:
        raise ValueError(
            f"x: expected {expected} (3-D), got 2-D shape {array.shape}; "
            f"a single sequence needs a batch axis: x[None], and one feature per "
            f"timestep needs a features axis: x[..., None]"
        )
    require_ndim(array, 3, "x", expected)
    if 0 in array.shape:
        raise ValueError(f"x: expected {expected} with no empty axis, got shape {array.shape}")
    require_finite(array, "x")
    return array


def packed_weights(
    kernel: object,
    recurrent_kernel: object,
    bias: object,
    *,
    features: int,
    gates: int,
    gate_names: str,
    bias_rows: int = 1,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Check a recurrent layer's three weight arrays in Keras's packed layout.

    ``gates`` blocks of ``units`` columns each sit side by side in every array, in the order
    named by ``gate_names``; ``units`` is read from ``recurrent_kernel``.
    """
    recurrent_kernel = as_float_array(recurrent_kernel, "recurrent_kernel", f"(units, {gates} * units)")
    require_ndim(recurrent_kernel, 2, "recurrent_kernel", f"(units, {gates} * units)")
    units = recurrent_kernel.shape[0]
    if units == 0 or recurrent_kernel.shape[1] != gates * units:
        raise ValueError(
            f"recurrent_kernel: expected (units, {gates} * units) with the gates packed as "
            f"[{gate_names}], got shape {recurrent_kernel.shape}"
        )
    kernel = as_float_array(kernel, "kernel", f"(features, {gates} * units)")
    require_shape(kernel, (features, gates * units), "kernel", f"(features, {gates} * units)")
    if bias is None:  # a layer built with use_bias=False
        bias = np.zeros((bias_rows, gates * units) if bias_rows > 1 else gates * units, kernel.dtype)
    bias = as_float_array(bias, "bias", f"({gates} * units,)")
    bias_shape = (gates * units,) if bias_rows == 1 else (bias_rows, gates * units)
    bias_expected = f"({gates} * units,)" if bias_rows == 1 else f"({bias_rows}, {gates} * units)"
    require_shape(bias, bias_shape, "bias", bias_expected)
    for name, array in (("kernel", kernel), ("recurrent_kernel", recurrent_kernel), ("bias", bias)):
        require_finite(array, name)
    return kernel, recurrent_kernel, bias


def state_inputs(
    initial_state: Sequence[object] | None, *, names: Sequence[str], batch: int, units: int
) -> list[np.ndarray] | None:
    """Check ``initial_state``: one (batch, units) array per state, in ``names`` order."""
    if initial_state is None:
        return None
    listed = ", ".join(names)
    if isinstance(initial_state, np.ndarray) and len(names) > 1:
        raise ValueError(f"initial_state: expected a list [{listed}], got a single array")
    states = list(initial_state) if isinstance(initial_state, list | tuple) else [initial_state]
    if len(states) != len(names):
        raise ValueError(f"initial_state: expected [{listed}], got {len(states)} arrays")
    checked = []
    for name, state in zip(names, states, strict=True):
        array = as_float_array(state, name, "(batch, units)")
        require_shape(array, (batch, units), name, "(batch, units)")
        require_finite(array, name)
        checked.append(array)
    return checked


def timestep_mask(mask: object, *, batch: int, timesteps: int) -> np.ndarray | None:
    """Check ``mask``: booleans of shape (batch, timesteps), True where a timestep is real."""
    if mask is None:
        return None
    array = np.asarray(mask)
    if array.dtype != bool:
        raise TypeError(
            f"mask: expected booleans (True = real timestep, False = padding), "
            f"got dtype {array.dtype}; convert with mask.astype(bool)"
        )
    require_shape(array, (batch, timesteps), "mask", "(batch, timesteps)")
    return array
