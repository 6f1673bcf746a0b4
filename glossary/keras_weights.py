"""Read the weights of a built ``keras.layers.LSTM`` as named gate blocks.

Nothing here imports Keras: a layer is read through ``get_weights()``, so the package stays
importable (and its reference usable) on a machine without TensorFlow.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from glossary.reference import LSTM_GATES


@dataclass(frozen=True)
class GateWeights:
    """The weights one gate of an LSTM layer owns."""

    kernel: np.ndarray
    """(features, units): multiplies the input ``x_t``."""
    recurrent_kernel: np.ndarray
    """(units, units): multiplies the previous hidden state."""
    bias: np.ndarray | None
    """(units,), or None for a layer built with ``use_bias=False``."""


def lstm_arrays(layer) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Return ``(kernel, recurrent_kernel, bias)`` of a built Keras LSTM layer.

    The arrays go straight into `glossary.reference.lstm`. ``bias`` is None for a
    layer built with ``use_bias=False``.

    Raises:
        ValueError: ``layer`` is not an LSTM layer, is not built yet, or uses activations
            other than the standard ``tanh`` and ``sigmoid`` that the reference implements.
    """
    kind = type(layer).__name__
    if kind != "LSTM":
        raise ValueError(f"layer: expected a keras.layers.LSTM, got {kind}")
    if not layer.built:
        raise ValueError(
            "layer: this LSTM is not built yet, so it has no weights; call it on an input "
            "of shape (batch, timesteps, features) first"
        )
    activations = (_name(layer.activation), _name(layer.recurrent_activation))
    if activations != ("tanh", "sigmoid"):
        raise ValueError(
            f"layer: the reference implements activation='tanh' and "
            f"recurrent_activation='sigmoid', this LSTM uses {activations}"
        )
    arrays = layer.get_weights()
    kernel, recurrent_kernel = arrays[0], arrays[1]
    bias = arrays[2] if len(arrays) == 3 else None
    return kernel, recurrent_kernel, bias


def lstm_gate_weights(layer) -> dict[str, GateWeights]:
    """Split a built Keras LSTM layer's weights into one `GateWeights` per gate.

    The keys are ``LSTM_GATES``: ``input_gate``, ``forget_gate``, ``candidate``,
    ``output_gate``, the order of the blocks inside Keras's packed arrays.
    """
    kernel, recurrent_kernel, bias = lstm_arrays(layer)
    kernels = np.split(kernel, 4, axis=1)
    recurrent_kernels = np.split(recurrent_kernel, 4, axis=1)
    biases = np.split(bias, 4) if bias is not None else [None] * 4
    return {
        gate: GateWeights(k, r, b)
        for gate, k, r, b in zip(LSTM_GATES, kernels, recurrent_kernels, biases, strict=True)
    }


def _name(activation) -> str:
    return getattr(activation, "__name__", repr(activation))
