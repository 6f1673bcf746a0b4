"""Claims about the hidden state, the cell state, and what a layer returns."""

from __future__ import annotations

import numpy as np

from glossary import reference
from glossary.claims._keras import error_of, host_array, keras, sample
from glossary.claims.registry import Evidence, claim


@claim(
    "OUTPUT-IS-HIDDEN",
    "An LSTM's output is its hidden state: with `return_state=True`, `output` and `state_h` are identical.",
    page="return-sequences-and-state.md#return_state",
)
def output_is_hidden():
    output, state_h, _ = (host_array(t) for t in keras().layers.LSTM(4, return_state=True)(sample()))
    same = bool(np.array_equal(output, state_h))
    return Evidence(
        same, f"LSTM(4): output and state_h are {'identical' if same else 'different'}, {output.size} numbers"
    )


@claim(
    "HIDDEN-BOUNDED",
    "With the default `activation` (tanh), the hidden state always lies between -1 and 1, while the cell "
    "state can grow past 1.",
    page="cell-state-vs-hidden-state.md#the-hidden-state-what-the-layer-shows",
)
def hidden_bounded():
    # Gates held open by their biases: every step adds about 1 to the cell state.
    bias = np.full(4, 6.0, "float32")
    _, hidden, cell = reference.lstm(
        np.zeros((1, 10, 1), "float32"), np.zeros((1, 4), "float32"), np.zeros((1, 4), "float32"), bias,
        return_state=True,
    )  # fmt: skip
    layer = keras().layers.LSTM(8, return_sequences=True)
    layer.build((None, None, 5))
    layer.set_weights([w * 20 for w in layer.get_weights()])  # large weights push every tanh to its limit
    largest = float(np.max(np.abs(host_array(layer(sample(features=5) * 10)))))
    holds = float(cell[0, 0]) > 1 and abs(float(hidden[0, 0])) < 1 and largest <= 1
    return Evidence(
        holds,
        f"gates held open for 10 steps: cell state {cell[0, 0]:.3f}, hidden state {hidden[0, 0]:.3f}; "
        f"largest |hidden state| with its weights times 20 and inputs times 10: {largest:.4f}",
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
    "RETURN-SEQUENCES-SHAPES",
    "`return_sequences=True` returns `(batch, timesteps, units)`; the default returns `(batch, units)`.",
    page="return-sequences-and-state.md#return_sequences",
)
def return_sequences_shapes():
    found = {
        flag: tuple(keras().layers.LSTM(4, return_sequences=flag)(sample()).shape) for flag in (False, True)
    }
    return Evidence(
        found == {False: (3, 4), True: (3, 7, 4)},
        f"LSTM(4) on (3, 7, 5): {found[False]} by default, {found[True]} with return_sequences=True",
    )


@claim(
    "RETURN-STATE-TUPLE",
    "With `return_state=True` an LSTM returns a tuple of three: `output`, `state_h`, `state_c`.",
    page="return-sequences-and-state.md#return_state",
    depends_on="Keras 3 returns a tuple; Keras 2 (tf-keras) returns a list",
)
def return_state_tuple():
    result = keras().layers.LSTM(4, return_state=True)(sample())
    return Evidence(type(result) is tuple and len(result) == 3, f"{type(result).__name__} of {len(result)}")


@claim(
    "LAST-ROW-IS-STATE",
    "With `return_sequences=True`, `state_h` equals the last timestep of the returned sequence.",
    page="return-sequences-and-state.md#return_state",
)
def last_row_is_state():
    returned = keras().layers.LSTM(4, return_sequences=True, return_state=True)(sample())
    sequence, state_h, _ = (host_array(t) for t in returned)
    same = bool(np.array_equal(sequence[:, -1], state_h))
    return Evidence(
        same, f"last timestep of the sequence and state_h: {'identical' if same else 'different'}"
    )


@claim(
    "RETURN-STATES-REFUSED",
    "`return_states` (with an s) is not a Keras argument: Keras 3 refuses it when the layer is created.",
    page="return-sequences-and-state.md#it-is-return_state-singular",
    depends_on="Keras 3 refuses unknown keyword arguments",
)
def return_states_refused():
    message = error_of(lambda: keras().layers.LSTM(4, return_states=True))
    return Evidence("return_states" in message, repr(message))


@claim(
    "STACK-NEEDS-SEQUENCES",
    "A second LSTM stacked on a first one needs `return_sequences=True` on the first; without it Keras "
    "raises `expected ndim=3, found ndim=2`.",
    page="stacked-layers.md#the-ndim-error-between-layers",
)
def stack_needs_sequences():
    inputs = keras().Input(shape=(7, 5))
    # Named, so that the message quoted as evidence is the same whatever ran before in the process.
    message = error_of(lambda: keras().layers.LSTM(4, name="second")(keras().layers.LSTM(8)(inputs)))
    stacked = keras().layers.LSTM(4)(keras().layers.LSTM(8, return_sequences=True)(inputs))
    holds = "expected ndim=3, found ndim=2" in message and tuple(stacked.shape) == (None, 4)
    return Evidence(holds, f"{message!r}; with return_sequences: {tuple(stacked.shape)}")
