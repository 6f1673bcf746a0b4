"""Claims of the page "Stateful layers" (``docs/stateful.md``)."""

from __future__ import annotations

import numpy as np

from glossary.claims.keras_backend import FLOAT32_ARITHMETIC, host_array, is_keras_2, keras, tensor
from glossary.claims.registry import Evidence, NotApplicable, claim
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


def _stateful_and_whole():
    """A stateful LSTM(4) in a model fed batches of 3 sequences, and an ordinary one with its weights."""
    inputs = keras().Input(batch_shape=(3, 7, 5))
    stateful = keras().layers.LSTM(4, stateful=True)
    model = keras().Model(inputs, stateful(inputs))
    whole = built(keras().layers.LSTM(4, return_state=True), 5)
    whole.set_weights(stateful.get_weights())
    return stateful, model, whole


@claim(
    "STATEFUL-CARRIES-FINAL-STATE",
    "After each call a stateful LSTM stores its final hidden state and final cell state, row by row, "
    "and starts the next call from them: two halves in a row give the whole sequence's result.",
    page="stateful.md#what-is-carried-over",
    depends_on=FLOAT32_ARITHMETIC,
)
def stateful_carries_final_state():
    x = sample(timesteps=14)
    stateful, model, whole = _stateful_and_whole()
    model(x[:, :7])
    _, state_h, state_c = whole(x[:, :7])
    stored = float(
        max(
            np.max(np.abs(host_array(kept) - host_array(final)))
            for kept, final in zip(stateful.states, (state_h, state_c), strict=True)
        )
    )
    difference = float(np.max(np.abs(host_array(model(x[:, 7:])) - host_array(whole(x)[0]))))
    return Evidence(
        stored < 1e-5 and difference < 1e-5,
        f"stored states vs the first half's final [h, c]: {stored:.1e}; halves vs whole: {difference:.1e}",
    )


@claim(
    "STATEFUL-RESET-STATE-ZEROES",
    "`reset_state()` sets a stateful layer's stored states back to zeros: the next call gives what an "
    "ordinary layer with the same weights gives.",
    page="stateful.md#resetting",
    depends_on="Keras 3: Keras 2 has no reset_state() (its reset_states() does the same)",
)
def stateful_reset_state_zeroes():
    if is_keras_2():
        raise NotApplicable("Keras 2 has no reset_state(); RESET-STATE-NAMES checks its reset_states()")
    x = sample(timesteps=14)
    stateful, model, whole = _stateful_and_whole()
    model(x[:, :7])
    stateful.reset_state()
    zeros = all(not np.any(host_array(state)) for state in stateful.states)
    difference = float(np.max(np.abs(host_array(model(x[:, 7:])) - host_array(whole(x[:, 7:])[0]))))
    return Evidence(
        zeros and difference < 1e-5,
        f"states all zero after reset_state: {zeros}; next call vs an ordinary layer: {difference:.1e}",
    )


@claim(
    "RESET-STATE-NAMES",
    "Keras 3 resets a stateful layer with `reset_state()` and keeps `reset_states()` as an alias that "
    "takes no `states`; `Model.reset_states()` is gone. Keras 2 has only `reset_states()`, on layers "
    "(taking `states=`) and models.",
    page="stateful.md#resetting",
)
def reset_state_names():
    inputs = keras().Input(batch_shape=(3, 7, 5))
    layer = keras().layers.LSTM(4, stateful=True)
    model = keras().Model(inputs, layer(inputs))
    model(sample())
    found = {name: hasattr(layer, name) for name in ("reset_state", "reset_states")}
    found["Model.reset_states"] = hasattr(model, "reset_states")
    given = [np.zeros((3, 4), "float32")] * 2
    found["reset_states(states=...)"] = error_of(lambda: layer.reset_states(states=given)) or "accepted"
    model(sample())
    layer.reset_states()
    found["reset_states() zeroes"] = all(not np.any(host_array(state)) for state in layer.states)
    keras_3 = not is_keras_2()
    holds = (
        found["reset_state"] == keras_3
        and found["reset_states"]
        and found["Model.reset_states"] != keras_3
        and found["reset_states(states=...)"].startswith("TypeError" if keras_3 else "accepted")
        and found["reset_states() zeroes"]
    )
    return Evidence(holds, f"Keras {keras().__version__}: {found}")


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
