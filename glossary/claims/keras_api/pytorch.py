"""Claims of the page "Moving weights to and from PyTorch" (``docs/pytorch.md``)."""

from __future__ import annotations

import numpy as np

from glossary.claims.keras_backend import FLOAT32_ARITHMETIC, host_array, keras
from glossary.claims.registry import Evidence, claim, require_torch
from glossary.claims.samples import NONZERO_LSTM_BIASES, built, random_biases, sample


def _torch_lstm(features: int, units: int):
    torch = require_torch()
    torch.manual_seed(0)
    return torch, torch.nn.LSTM(input_size=features, hidden_size=units, batch_first=True)


def keras_gru_to_torch_order(blocks: np.ndarray) -> np.ndarray:
    """Reorder the last axis of a Keras GRU weight from (update, reset, candidate) to PyTorch's (r, z, n)."""
    update, reset, candidate = np.split(blocks, 3, axis=-1)
    return np.concatenate([reset, update, candidate], axis=-1)


def _gru_in_torch(reorder: bool = True, swap_bias_rows: bool = False, **gru_options) -> float:
    """The largest difference between a Keras GRU, with non-zero biases, and an ``nn.GRU`` given its weights.

    The Keras bias goes to ``bias_ih_l0`` (its first row, with ``reset_after``) and ``bias_hh_l0``
    (its second row, or zeros); ``reorder=False`` copies the gate blocks in Keras's order, and
    ``swap_bias_rows=True`` copies each bias row to the other's place.
    """
    torch = require_torch()
    torch_gru = torch.nn.GRU(input_size=5, hidden_size=4, batch_first=True)
    layer = keras().layers.GRU(4, return_sequences=True, bias_initializer=random_biases(), **gru_options)
    x = sample()
    expected = host_array(layer(x))
    kernel, recurrent_kernel, bias = layer.get_weights()
    input_bias, recurrent_bias = bias if bias.ndim == 2 else (bias, np.zeros_like(bias))
    if swap_bias_rows:
        input_bias, recurrent_bias = recurrent_bias, input_bias
    order = keras_gru_to_torch_order if reorder else (lambda blocks: blocks)
    with torch.no_grad():
        torch_gru.weight_ih_l0.copy_(torch.from_numpy(order(kernel).T))
        torch_gru.weight_hh_l0.copy_(torch.from_numpy(order(recurrent_kernel).T))
        torch_gru.bias_ih_l0.copy_(torch.from_numpy(order(input_bias)))
        torch_gru.bias_hh_l0.copy_(torch.from_numpy(order(recurrent_bias)))
        output = torch_gru(torch.from_numpy(x))[0].numpy()
    return float(np.max(np.abs(output - expected)))


@claim(
    "TORCH-FROM-KERAS",
    "A Keras LSTM's weights run in PyTorch's `nn.LSTM` as `weight_ih_l0 = kernel.T`, "
    "`weight_hh_l0 = recurrent_kernel.T`, `bias_ih_l0 = bias`, `bias_hh_l0 = 0`: the gate order is the same.",
    page="pytorch.md#from-keras-to-pytorch",
    depends_on=f"PyTorch installed; {FLOAT32_ARITHMETIC}",
)
def torch_from_keras():
    torch, torch_lstm = _torch_lstm(5, 4)
    # all four bias blocks random and unlike each other: with unit_forget_bias the forget block is
    # ones, and a mapping that swapped two blocks of the same draw would pass
    layer = keras().layers.LSTM(
        4, return_sequences=True, bias_initializer=random_biases(), **NONZERO_LSTM_BIASES
    )
    x = sample()
    expected = host_array(layer(x))
    kernel, recurrent_kernel, bias = layer.get_weights()
    with torch.no_grad():
        torch_lstm.weight_ih_l0.copy_(torch.from_numpy(kernel.T))
        torch_lstm.weight_hh_l0.copy_(torch.from_numpy(recurrent_kernel.T))
        torch_lstm.bias_ih_l0.copy_(torch.from_numpy(bias))
        torch_lstm.bias_hh_l0.zero_()
        output = torch_lstm(torch.from_numpy(x))[0].numpy()
    difference = float(np.max(np.abs(output - expected)))
    return Evidence(difference < 1e-5, f"largest difference {difference:.1e} (PyTorch {torch.__version__})")


@claim(
    "TORCH-TO-KERAS",
    "An `nn.LSTM`'s weights run in Keras as `kernel = weight_ih_l0.T`, `recurrent_kernel = weight_hh_l0.T` "
    "and `bias = bias_ih_l0 + bias_hh_l0`.",
    page="pytorch.md#from-pytorch-to-keras",
    depends_on=f"PyTorch installed; {FLOAT32_ARITHMETIC}",
)
def torch_to_keras():
    torch, torch_lstm = _torch_lstm(5, 4)
    x = sample()
    with torch.no_grad():
        output = torch_lstm(torch.from_numpy(x))[0].numpy()
        weights = [
            torch_lstm.weight_ih_l0.numpy().T,
            torch_lstm.weight_hh_l0.numpy().T,
            (torch_lstm.bias_ih_l0 + torch_lstm.bias_hh_l0).numpy(),
        ]
    layer = built(keras().layers.LSTM(4, return_sequences=True), 5)
    layer.set_weights(weights)
    difference = float(np.max(np.abs(host_array(layer(x)) - output)))
    return Evidence(difference < 1e-5, f"largest difference {difference:.1e}")


@claim(
    "TORCH-GRU",
    "A Keras GRU (`reset_after=True`, the default) runs in PyTorch's `nn.GRU` once its three gate blocks "
    "are reordered from (update, reset, candidate) to PyTorch's (reset, update, new), in both matrices "
    "and both bias rows; the first bias row (the input side's) becomes `bias_ih_l0`, the second (the "
    "recurrent side's) `bias_hh_l0`.",
    page="pytorch.md#gru",
    depends_on=f"PyTorch installed; {FLOAT32_ARITHMETIC}",
)
def torch_gru():
    difference, swapped = _gru_in_torch(), _gru_in_torch(swap_bias_rows=True)
    return Evidence(
        difference < 1e-5 and swapped > 1e-3,
        f"non-zero biases: largest difference {difference:.1e}; with the two bias rows swapped {swapped:.2f}",
    )


@claim(
    "TORCH-GRU-UNORDERED",
    "Copying a Keras GRU's weights into `nn.GRU` without reordering the gate blocks gives different outputs.",
    page="pytorch.md#gru",
    depends_on="PyTorch installed",
)
def torch_gru_unordered():
    difference = _gru_in_torch(reorder=False)
    return Evidence(difference > 1e-3, f"largest difference {difference:.2f}")


@claim(
    "TORCH-GRU-RESET-BEFORE",
    "A Keras GRU with `reset_after=False` does not port to `nn.GRU`, which applies the reset gate after the "
    "recurrent product: with its weights reordered and its single bias copied, PyTorch's outputs differ.",
    page="pytorch.md#gru",
    depends_on="PyTorch installed",
)
def torch_gru_reset_before():
    difference = _gru_in_torch(reset_after=False)
    return Evidence(difference > 1e-3, f"largest difference {difference:.2f}")
