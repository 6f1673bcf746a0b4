"""Claims of the page "Stateful layers" (``docs/stateful.md``)."""

from __future__ import annotations

import numpy as np

from glossary.claims.keras_backend import host_array, is_keras_2, keras, tensor
from glossary.claims.registry import Evidence, claim
from glossary.claims.samples import built, error_of, sample


@claim(
    "STATEFUL-NEEDS-BATCH-SHAPE",
    "A stateful layer needs a fixed batch size, given in Keras 3 as `keras.Input(batch_shape=...)`; "
    "`batch_input_shape` is refused.",
    page="stateful.md#setting-it-up-in-keras-3",
    depends_on="Keras 3: Keras 2 took batch_input_shape on the layer",
)
def stateful_needs_batch_shape():
    refused = error_of(lambda: keras().layers.LSTM(4, stateful=True, batch_input_shape=(3, 7, 5)))
    dynamic = error_of(lambda: keras().layers.LSTM(4, stateful=True)(keras().Input(shape=(7, 5))))
    fixed = keras().layers.LSTM(4, stateful=True)(keras().Input(batch_shape=(3, 7, 5)))
    holds = (
        "batch_input_shape" in refused and "batch size must be static" in dynamic and fixed.shape == (3, 4)
    )
    return Evidence(holds, f"{refused!r}; without a batch size: {dynamic!r}")


@claim(
    "STATEFUL-CARRIES-FINAL-STATE",
    "A stateful LSTM starts each batch from the final states of the previous one, sample by sample: "
    "two halves in a row give the whole sequence's result.",
    page="stateful.md#what-is-carried-over",
    depends_on="Keras 3 (the check resets with reset_state(), which Keras 2 lacks)",
)
def stateful_carries_final_state():
    x = sample(timesteps=14)
    inputs = keras().Input(batch_shape=(3, 7, 5))
    stateful = keras().layers.LSTM(4, stateful=True)
    model = keras().Model(inputs, stateful(inputs))
    whole = built(keras().layers.LSTM(4), 5)
    whole.set_weights(stateful.get_weights())
    model(x[:, :7])
    difference = float(np.max(np.abs(host_array(model(x[:, 7:])) - host_array(whole(x)))))
    stateful.reset_state()
    after_reset = float(np.max(np.abs(host_array(model(x[:, 7:])) - host_array(whole(x[:, 7:])))))
    holds = difference < 1e-5 and after_reset < 1e-5
    return Evidence(
        holds, f"halves vs whole: {difference:.1e}; after reset_state vs fresh: {after_reset:.1e}"
    )


@claim(
    "RESET-STATE-NAMES",
    "Keras 3 resets a stateful layer with `reset_state()` and keeps `reset_states()` as an alias; "
    "Keras 2 has only `reset_states()`.",
    page="stateful.md#resetting",
)
def reset_state_names():
    layer = keras().layers.LSTM(2)
    found = {name: hasattr(layer, name) for name in ("reset_state", "reset_states")}
    expected = {"reset_state": not is_keras_2(), "reset_states": True}
    return Evidence(found == expected, f"Keras {keras().__version__}: {found}")


@claim(
    "STATEFUL-ASSIGN-SETS-STATES",
    "A stateful layer's states are set to given values with `assign` on each variable of "
    "`layer.states`: the next call starts from them, as an `initial_state` would.",
    page="stateful.md#resetting",
)
def stateful_assign_sets_states():
    x = sample()
    inputs = keras().Input(batch_shape=(3, 7, 5))
    stateful = keras().layers.LSTM(4, stateful=True)
    model = keras().Model(inputs, stateful(inputs))
    model(x)  # states that are not the ones assigned next
    given = [np.full((3, 4), 0.3, "float32"), np.full((3, 4), -0.7, "float32")]
    for variable, value in zip(stateful.states, given, strict=True):
        variable.assign(value)
    fresh = built(keras().layers.LSTM(4), 5)
    fresh.set_weights(stateful.get_weights())
    started = fresh(x, initial_state=[tensor(value) for value in given])
    difference = float(np.max(np.abs(host_array(model(x)) - host_array(started))))
    return Evidence(difference < 1e-5, f"after assign vs initial_state: {difference:.1e}")
