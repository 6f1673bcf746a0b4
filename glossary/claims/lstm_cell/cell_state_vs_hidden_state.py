"""Claims of the page "Cell state vs hidden state" (``docs/cell-state-vs-hidden-state.md``)."""

from __future__ import annotations

import numpy as np

from glossary.claims.keras_api.return_sequences_and_state import output_is_hidden
from glossary.claims.keras_backend import host_array, keras
from glossary.claims.registry import Evidence, claim, opposite
from glossary.claims.samples import built, sample


@claim(
    "GUIDE-HIDDEN-IS-NOT-OUTPUT",
    "The hidden state is something other than the LSTM layer's output.",
    verdict=False,
    page="cell-state-vs-hidden-state.md#the-hidden-state-what-the-layer-shows",
    corrected_by="OUTPUT-IS-HIDDEN",
)
def hidden_is_not_output():
    return opposite(output_is_hidden)


@claim(
    "HIDDEN-BOUNDED",
    "With the default `activation` (tanh) and `recurrent_activation` (sigmoid), the hidden state always "
    "lies between -1 and 1, while the cell state can grow past 1. Both defaults are needed: with tanh "
    "but a `recurrent_activation` whose values leave [0, 1], such as `linear`, it does not, nor with "
    "sigmoid gates but an `activation` whose values leave [-1, 1], such as `relu`.",
    page="cell-state-vs-hidden-state.md#the-hidden-state-what-the-layer-shows",
)
def hidden_bounded():
    # One unit whose gates are held open by their biases: every step adds about 1 to the cell state.
    held_open = keras().layers.LSTM(1, return_sequences=True, return_state=True)
    built(held_open, 1).set_weights(
        [np.zeros((1, 4), "float32"), np.zeros((1, 4), "float32"), np.full(4, 6.0, "float32")]
    )
    sequence, hidden, cell = (host_array(t) for t in held_open(np.zeros((1, 10, 1), "float32")))
    layer = keras().layers.LSTM(8, return_sequences=True)
    layer.build((None, None, 5))
    layer.set_weights(
        [w * 20 for w in layer.get_weights()]
    )  # large weights: gates and tanh near their limits
    largest = float(np.max(np.abs(host_array(layer(sample(features=5) * 10)))))
    # the same weights with linear gates: the output gate is then no longer a share of tanh(c)
    linear_gates = keras().layers.LSTM(8, return_sequences=True, recurrent_activation="linear")
    built(linear_gates, 5).set_weights(layer.get_weights())
    unbounded = float(np.max(np.abs(host_array(linear_gates(sample(features=5) * 10)))))
    relu = keras().layers.LSTM(8, return_sequences=True, activation="relu")
    built(relu, 5).set_weights(layer.get_weights())
    unbounded_relu = float(np.max(np.abs(host_array(relu(sample(features=5) * 10)))))
    holds = (
        float(cell[0, 0]) > 1
        and float(np.max(np.abs(sequence))) < 1
        and largest <= 1
        and unbounded > 1
        and unbounded_relu > 1
    )
    return Evidence(
        holds,
        f"Keras LSTM, gates held open for 10 steps: cell state {cell[0, 0]:.3f}, hidden state "
        f"{hidden[0, 0]:.3f}; largest |hidden state| with its weights times 20 and inputs times 10: "
        f"{largest:.4f}, with recurrent_activation='linear' instead: {unbounded:.3g}, with "
        f"activation='relu' instead: {unbounded_relu:.3g}",
    )


@claim(
    "HIDDEN-HAS-HISTORY",
    "The final hidden state depends on the first timestep: changing only `x_1` changes `h_T`.",
    page="cell-state-vs-hidden-state.md#both-states-remember-the-whole-sequence",
)
def hidden_has_history():
    keras().utils.set_random_seed(0)
    x = sample(batch=1, timesteps=20)
    layer = keras().layers.LSTM(4)
    changed = x.copy()
    changed[:, 0] += 1.0
    difference = float(np.max(np.abs(host_array(layer(changed)) - host_array(layer(x)))))
    return Evidence(difference > 1e-4, f"largest change of h_20 after changing x_1: {difference:.2e}")


@claim(
    "GUIDE-HIDDEN-ONLY-RECENT",
    "The hidden state describes only the most recent timestep, the cell state the history.",
    verdict=False,
    page="cell-state-vs-hidden-state.md#both-states-remember-the-whole-sequence",
    corrected_by="HIDDEN-HAS-HISTORY",
)
def hidden_only_recent():
    return opposite(hidden_has_history)
