"""Claims of the page "Masking and padding" (``docs/masking.md``)."""

from __future__ import annotations

import numpy as np

from glossary import keras_weights, reference
from glossary.claims.keras_backend import host_array, keras, tensor
from glossary.claims.registry import Evidence, claim
from glossary.claims.samples import sample


def _masked_run():
    x = sample(batch=2, timesteps=5, features=3)
    x[0, 3:] = 0.0
    mask = host_array(keras().layers.Masking(0.0).compute_mask(x))
    lstm = keras().layers.LSTM(2, return_sequences=True, return_state=True)
    sequence, state_h, _ = (host_array(t) for t in lstm(x, mask=mask))
    return x, mask, lstm, sequence, state_h


@claim(
    "MASK-REPEATS-OUTPUT",
    "At a masked timestep an LSTM's state is carried over unchanged and its output repeats the previous "
    "timestep's output.",
    page="masking.md#what-happens-at-a-masked-timestep",
    depends_on="Keras's own loop: TensorFlow's cuDNN path on a GPU writes zeros at padded timesteps of a "
    "returned sequence (Keras's source says so; no GPU run of this site has shown it)",
)
def mask_repeats_output():
    x, mask, lstm, sequence, state_h = _masked_run()
    repeated = np.array_equal(sequence[0, 3], sequence[0, 2]) and np.array_equal(
        sequence[0, 4], sequence[0, 2]
    )
    held = np.array_equal(state_h[0], sequence[0, 2])
    # The whole state, cell state included, is the state after the last real timestep.
    _, _, cell_padded = (host_array(t) for t in lstm(x, mask=mask))
    _, _, cell_cut = (host_array(t) for t in lstm(x[:1, :3]))  # the first sequence without its padding
    cell_held = bool(np.allclose(cell_padded[0], cell_cut[0], rtol=0, atol=1e-6))
    return Evidence(
        repeated and held and cell_held,
        f"padded outputs repeat timestep 3: {repeated}; final hidden state is its: {held}; "
        f"final cell state is that of the unpadded sequence: {cell_held}",
    )


@claim(
    "MASK-REFERENCE",
    "`glossary.reference.lstm` with the same mask gives Keras's masked numbers.",
    page="masking.md#the-same-rule-in-numpy",
)
def mask_reference():
    x, mask, lstm, sequence, _ = _masked_run()
    ours = reference.lstm(x, *keras_weights.lstm_arrays(lstm), return_sequences=True, mask=mask)
    difference = float(np.max(np.abs(ours - sequence)))
    return Evidence(difference < 1e-5, f"largest difference {difference:.1e}")


@claim(
    "MASK-LEADING-OUTPUT",
    "Before a sequence's first real timestep, a masked layer outputs zeros, even when given a non-zero "
    "`initial_state`.",
    page="masking.md#what-happens-at-a-masked-timestep",
    depends_on="backend: TensorFlow and PyTorch output zeros; JAX outputs the initial hidden state; "
    "on a GPU with TensorFlow, cuDNN takes only right padding (use_cudnn=False for left padding)",
)
def mask_leading_output():
    x = np.ones((1, 3, 2), "float32")
    mask = tensor(np.array([[False, True, True]]))
    start = np.full((1, 2), 0.5, "float32")
    outputs = {}
    for layer_type in ("SimpleRNN", "GRU", "LSTM"):
        layer = getattr(keras().layers, layer_type)(2, return_sequences=True)
        states = [tensor(start)] * (2 if layer_type == "LSTM" else 1)
        outputs[layer_type] = host_array(layer(x, initial_state=states, mask=mask))[0, 0].tolist()
    holds = all(output == [0.0, 0.0] for output in outputs.values())
    return Evidence(holds, f"output at the masked first timestep: {outputs}")
