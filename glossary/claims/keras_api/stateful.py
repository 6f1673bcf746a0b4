"""Claims of the page "Stateful layers" (``docs/stateful.md``)."""

from __future__ import annotations

import numpy as np

from glossary.claims.keras_backend import (
    FLOAT32_ARITHMETIC,
    accelerator,
    backend,
    host_array,
    is_keras_2,
    keras,
    tensor,
    with_gradients,
)
from glossary.claims.registry import Evidence, NotApplicable, claim
from glossary.claims.samples import built, error_of, sample
from glossary.layer_kinds import KINDS


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


def _stateful_and_whole(layer_type: str = "LSTM"):
    """A stateful layer(4) in a model fed batches of 3 sequences, and an ordinary one with its weights."""
    inputs = keras().Input(batch_shape=(3, 7, 5))
    stateful = getattr(keras().layers, layer_type)(4, stateful=True)
    model = keras().Model(inputs, stateful(inputs))
    whole = built(getattr(keras().layers, layer_type)(4, return_state=True), 5)
    whole.set_weights(stateful.get_weights())
    return stateful, model, whole


@claim(
    "STATEFUL-CARRIES-FINAL-STATE",
    "After each call a stateful LSTM stores its final hidden state and final cell state (a GRU or "
    "SimpleRNN, its final hidden state), row by row, and starts the next call from them: two halves "
    "in a row give the whole sequence's result.",
    page="stateful.md#what-is-carried-over",
    depends_on=FLOAT32_ARITHMETIC,
)
def stateful_carries_final_state():
    x = sample(timesteps=14)
    found = {}
    for layer_type in KINDS:
        stateful, model, whole = _stateful_and_whole(layer_type)
        model(x[:, :7])
        finals = whole(x[:, :7])[1:]  # [h, c] for the LSTM, [h] for the others
        stored = float(
            max(
                np.max(np.abs(host_array(kept) - host_array(final)))
                for kept, final in zip(stateful.states, finals, strict=True)
            )
        )
        difference = float(np.max(np.abs(host_array(model(x[:, 7:])) - host_array(whole(x)[0]))))
        found[layer_type] = (len(stateful.states), stored, difference)
    holds = [count for count, _, _ in found.values()] == [2, 1, 1] and all(
        stored < 1e-5 and difference < 1e-5 for _, stored, difference in found.values()
    )
    return Evidence(
        holds,
        "; ".join(
            f"{name}: {count} stored states, {stored:.1e} off the first half's final ones; "
            f"halves vs whole: {difference:.1e}"
            for name, (count, stored, difference) in found.items()
        ),
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


def _carried(stateful, finals, continued: float | None = None, fresh: float | None = None) -> str:
    """Whether a stateful layer carried its states from the first half of ``sample(timesteps=14)``.

    ``finals`` are the states an ordinary layer ends with after the whole sequence. Where the run
    returned the second half's output, ``continued`` and ``fresh`` are how far it is from the
    whole sequence's output and from an ordinary layer's on the second half alone.
    """
    stored = [host_array(state) for state in stateful.states]
    kept = max(float(np.max(np.abs(state - final))) for state, final in zip(stored, finals, strict=True))
    if kept < 1e-5 and (continued is None or continued < 1e-5):
        return "carried"
    if not any(np.any(state) for state in stored) and (fresh is None or fresh < 1e-5):
        return "not carried: the states stay zeros"
    return (
        f"neither: stored states {kept:.1e} off, second half {continued} off the whole, "
        f"{fresh} off a fresh start"
    )


def _through_predict_and_fit(
    layer_type: str = "LSTM", *, fit_only: bool = False, **options
) -> dict[str, str]:
    """What a stateful layer(4) carries through ``predict`` and ``fit``.

    ``predict``: two calls; one call of two batches. ``predict_on_batch``: two calls. ``fit``: two
    batches. ``fit_only`` leaves out the ``predict`` runs.
    """
    x = sample(timesteps=14)
    halves = np.concatenate([x[:, :7], x[:, 7:]])  # batch 1: the first halves; batch 2: the second
    inputs = keras().Input(batch_shape=(3, 7, 5))
    stateful = getattr(keras().layers, layer_type)(4, stateful=True, **options)
    model = keras().Model(inputs, stateful(inputs))
    whole = built(getattr(keras().layers, layer_type)(4, return_state=True), 5)
    whole.set_weights(stateful.get_weights())
    whole_output, *finals = (host_array(t) for t in whole(x))
    fresh_output = host_array(whole(x[:, 7:])[0])

    def judged(second_half) -> str:
        return _carried(
            stateful,
            finals,
            float(np.max(np.abs(second_half - whole_output))),
            float(np.max(np.abs(second_half - fresh_output))),
        )

    found = {}
    if not fit_only:
        model.predict(x[:, :7], verbose=0)
        found["predict, two calls"] = judged(model.predict(x[:, 7:], verbose=0))
        stateful.reset_states()  # the name Keras 2 has too
        found["predict, one call of two batches"] = judged(model.predict(halves, batch_size=3, verbose=0)[3:])
        stateful.reset_states()
        model.predict_on_batch(x[:, :7])
        found["predict_on_batch, two calls"] = judged(host_array(model.predict_on_batch(x[:, 7:])))
        stateful.reset_states()
    model.compile(optimizer=keras().optimizers.SGD(0.0), loss="mse")  # steps that keep the weights
    # Each batch's target is what the layer gives where it carries: the first halves' output, then
    # the whole sequence's. fit's loss is the mean over its two batches (batch 1's is 0), so batch 2
    # ran from the carried states where it is 0, and from zeros where it is half a fresh start's.
    targets = np.concatenate([host_array(whole(x[:, :7])[0]), whole_output])
    fits = []
    with with_gradients():  # the claims run without autograd on PyTorch; a user's fit has it
        failed = error_of(
            lambda: fits.append(model.fit(halves, targets, batch_size=3, shuffle=False, verbose=0))
        )
    if failed:
        found["fit, two batches"] = failed.split(":")[0]
    else:  # root mean squares of batch 2's output: off the whole sequence's, and off a fresh start's
        second = np.sqrt(2 * fits[0].history["loss"][0])
        fresh = float(np.sqrt(np.mean(np.square(fresh_output - whole_output))))
        found["fit, two batches"] = _carried(stateful, finals, second, abs(second - fresh))
    return found


def _predict_after_a_direct_call() -> dict[str, str]:
    """Where a stateful LSTM's ``predict`` starts after a direct call, a reset, a new shape, a compile.

    A direct call on the first halves, then ``predict`` of the second halves: does it continue the
    whole sequence, and are the stored states the whole sequence's final ones afterwards (written
    back)? Then ``reset_states()`` and the same ``predict``: does it start from zeros? Then, on a
    model whose first ``predict`` came before the direct call: does ``predict`` continue it, and
    does it after a reset, ``compile`` and the direct call again? Last, on a model open in its
    timesteps: does a ``predict`` of 6 steps, a shape its first ``predict`` of 7 had not, continue
    a direct call made in between?
    """
    x = sample(timesteps=14)
    inputs = keras().Input(batch_shape=(3, 7, 5))
    stateful = keras().layers.LSTM(4, stateful=True)
    model = keras().Model(inputs, stateful(inputs))
    whole = built(keras().layers.LSTM(4, return_state=True), 5)
    whole.set_weights(stateful.get_weights())
    finals = [host_array(t) for t in whole(x)[1:]]

    def start(output, steps: int = 7) -> str:
        """Whether ``output``, for ``steps`` steps after the first halves, continued them or started anew."""
        if np.max(np.abs(output - host_array(whole(x[:, : 7 + steps])[0]))) < 1e-5:
            return "continues the first halves"
        fresh = host_array(whole(x[:, 7 : 7 + steps])[0])
        return "starts from zeros" if np.max(np.abs(output - fresh)) < 1e-5 else "neither"

    model(x[:, :7])
    first = start(model.predict(x[:, 7:], verbose=0))
    written = max(
        float(np.max(np.abs(host_array(state) - final)))
        for state, final in zip(stateful.states, finals, strict=True)
    )
    stateful.reset_states()  # the name Keras 2 has too
    after_reset = start(model.predict(x[:, 7:], verbose=0))

    def stateful_model(batch_shape):
        """A stateful model with ``stateful``'s weights, given a predict, a reset, a direct call."""
        inputs = keras().Input(batch_shape=batch_shape)
        layer = keras().layers.LSTM(4, stateful=True)
        made = keras().Model(inputs, layer(inputs))
        layer.set_weights(stateful.get_weights())
        made.predict(x[:, :7], verbose=0)
        layer.reset_states()
        made(x[:, :7])
        return made, layer

    other, layer = stateful_model((3, 7, 5))
    after_the_first = start(other.predict(x[:, 7:], verbose=0))
    layer.reset_states()  # that predict wrote its states back where it carries them: start again
    other.compile(loss="mse")
    other(x[:, :7])  # after compile: predict must start from the states held when it next runs
    opened, _ = stateful_model((3, None, 5))
    return {
        "predict after a direct call": f"{first}; states written back: {written < 1e-5}",
        "predict after reset_states()": after_reset,
        "direct call after a first predict, then predict": after_the_first,
        "the same again, compile before the direct call, then predict": start(
            other.predict(x[:, 7:], verbose=0)
        ),
        "the same with open timesteps, then predict of 6 steps": start(
            opened.predict(x[:, 7:13], verbose=0), steps=6
        ),
    }


CARRIED = "carried"
NOT_CARRIED = "not carried: the states stay zeros"


@claim(
    "STATEFUL-PREDICT-AND-FIT",
    "Through `predict`, `predict_on_batch` and `fit`, a stateful LSTM carries its states from batch to "
    "batch, as through direct calls, on TensorFlow (Keras 3 and Keras 2); through `fit`, a GRU and a "
    "SimpleRNN do too. On Keras 3's JAX backend none of the three carries them from batch to batch or "
    "writes them back. There `predict` starts every batch from the states the layer held when `predict` was "
    "compiled: zeros on a fresh layer, those of a direct call made before its first run; a `reset_states()` "
    "or direct call after that changes nothing a later `predict` of the same shape computes, while after "
    "`compile`, or for inputs of another number of timesteps, it is compiled again when it next runs and "
    "starts from the states held then. On PyTorch `predict` and `predict_on_batch` carry them; on a CPU "
    "`fit` of a stateful LSTM or GRU raises a `RuntimeError` (a tensor autograd needs was changed in place) "
    "unless the layer has `use_cudnn=False`, with which it carries them too, and a stateful SimpleRNN's "
    "`fit` carries them.",
    page="stateful.md#through-predict-and-fit",
    depends_on="the backend (Keras 3.15.1: the layer creates its state variables untracked, so JAX's "
    "compiled predict and train steps take their values as constants when traced, and never "
    "write them back) and, for PyTorch's fit, the device: "
    "no GPU run of this site has tried it",
)
def stateful_predict_and_fit():
    on_torch_gpu = backend() == "torch" and accelerator()  # nothing is said of PyTorch's fit on a GPU
    found = {f"LSTM {way}": outcome for way, outcome in _through_predict_and_fit().items()}
    found.update({f"LSTM {way}": outcome for way, outcome in _predict_after_a_direct_call().items()})
    for layer_type in ("GRU", "SimpleRNN"):
        found[f"{layer_type} fit, two batches"] = _through_predict_and_fit(layer_type, fit_only=True)[
            "fit, two batches"
        ]
    if backend() == "torch":  # what use_cudnn=False changes is said of PyTorch only
        for layer_type in ("LSTM", "GRU"):
            found[f"{layer_type} fit, two batches, use_cudnn=False"] = _through_predict_and_fit(
                layer_type, fit_only=True, use_cudnn=False
            )["fit, two batches"]
    carrying = {
        "LSTM predict after a direct call": "continues the first halves; states written back: True",
        "LSTM predict after reset_states()": "starts from zeros",
        "LSTM direct call after a first predict, then predict": "continues the first halves",
        "LSTM the same again, compile before the direct call, then predict": "continues the first halves",
        "LSTM the same with open timesteps, then predict of 6 steps": "continues the first halves",
    }
    # JAX compiles the states a layer holds into predict when it compiles it (at its first run, for
    # a new shape, after compile), and never writes them back.
    jax = dict.fromkeys(found, NOT_CARRIED) | {
        "LSTM predict after a direct call": "continues the first halves; states written back: False",
        "LSTM predict after reset_states()": "continues the first halves",
        "LSTM direct call after a first predict, then predict": "starts from zeros",
        "LSTM the same again, compile before the direct call, then predict": "continues the first halves",
        "LSTM the same with open timesteps, then predict of 6 steps": "continues the first halves",
    }
    torch = {
        way: "RuntimeError" if "fit" in way and "SimpleRNN" not in way and "use_cudnn" not in way else CARRIED
        for way in found
    } | carrying
    expected = {"tensorflow": dict.fromkeys(found, CARRIED) | carrying, "jax": jax, "torch": torch}[backend()]
    decided = [way for way in found if not (on_torch_gpu and "fit" in way)]
    holds = all(found[way] == expected[way] for way in decided)
    return Evidence(holds, f"{keras().__name__} {keras().__version__} on {backend()}: {found}")


@claim(
    "STATEFUL-SMALLER-LAST-BATCH",
    "Given 4 sequences in batches of 3, a stateful LSTM built for batches of 3 is not stopped on "
    "TensorFlow (Keras 3 and Keras 2): `fit` runs, and `predict` returns 6 rows for the 4 sequences. "
    "On JAX, `predict` and `fit` raise a `ValueError`. On PyTorch `predict` raises it, and so does "
    "`fit` of a layer with `use_cudnn=False`; a default layer's `fit` raises the `RuntimeError` of "
    "STATEFUL-PREDICT-AND-FIT first, on a CPU.",
    page="stateful.md#through-predict-and-fit",
    depends_on="the backend: Keras checks the batch size against the states only where it is known "
    "before the run, which a TensorFlow graph's last batch is not; for PyTorch's fit, the device",
)
def stateful_smaller_last_batch():
    x = sample(batch=4)

    def stateful_model(**options):  # one for each run: on JAX a predict that failed leaves its model unusable
        inputs = keras().Input(batch_shape=(3, 7, 5))
        model = keras().Model(inputs, keras().layers.LSTM(4, stateful=True, **options)(inputs))
        model.compile(optimizer=keras().optimizers.SGD(0.0), loss="mse")
        return model

    def fitted(**options) -> str:
        model = stateful_model(**options)
        with with_gradients():  # the claims run without autograd on PyTorch; a user's fit has it
            failed = error_of(
                lambda: model.fit(x, np.zeros((4, 4), "float32"), batch_size=3, shuffle=False, verbose=0)
            )
        return failed.split(":")[0] or "ran"

    model = stateful_model()
    predicted = []
    found = {"predict": error_of(lambda: predicted.append(model.predict(x, batch_size=3, verbose=0)))}
    found["predict"] = found["predict"].split(":")[0] or f"{len(predicted[0])} rows"
    found["fit"] = fitted()
    expected = {
        "tensorflow": {"predict": "6 rows", "fit": "ran"},
        "jax": {"predict": "ValueError", "fit": "ValueError"},
        "torch": {"predict": "ValueError", "fit": "RuntimeError"},
    }[backend()]
    if backend() == "torch":
        found["fit, use_cudnn=False"] = fitted(use_cudnn=False)
        expected["fit, use_cudnn=False"] = "ValueError"
        if accelerator():  # the statement says nothing of a default layer's fit on PyTorch's GPU
            del found["fit"], expected["fit"]
    return Evidence(found == expected, f"{keras().__name__} on {backend()}, 4 sequences: {found}")


@claim(
    "STATEFUL-OTHER-BATCH-SIZE",
    "A stateful LSTM(8) built for a batch of 1, given 4 sequences with no `batch_size=`, stops with a "
    "`ValueError` in a direct call, in `predict`, in `fit` and in `evaluate`. On JAX and PyTorch all "
    "four say 'If an RNN is stateful, the batch size of the input sequences must be the same as the "
    "batch size of the initial state'; on TensorFlow the direct call and `predict` say that too, while "
    "`fit` and `evaluate` say that an input tensor 'enters the loop with shape (1, 8), but has shape "
    "(None, 8) after one iteration'. Built for 3 and given 3 sequences, `predict` runs.",
    page="stateful.md#through-predict-and-fit",
    depends_on="Keras 3 and its backend (TensorFlow traces fit and evaluate with an open batch size); "
    "Keras 2 words these errors differently",
)
def stateful_other_batch_size():
    if is_keras_2():
        raise NotApplicable("Keras 2 words these errors differently; the statement quotes Keras 3's")
    x, y = np.zeros((4, 10, 3), "float32"), np.zeros((4, 8), "float32")

    def stateful_model(batch: int):  # one for each run: on JAX a failed run leaves its model unusable
        inputs = keras().Input(batch_shape=(batch, 10, 3))
        model = keras().Model(inputs, keras().layers.LSTM(8, stateful=True)(inputs))
        model.compile(optimizer=keras().optimizers.SGD(0.0), loss="mse")
        return model

    runs = {
        "call": lambda model: model(x),
        "predict": lambda model: model.predict(x, verbose=0),
        "fit": lambda model: model.fit(x, y, verbose=0),
        "evaluate": lambda model: model.evaluate(x, y, verbose=0),
    }
    stateful_words = "If an RNN is stateful, the batch size of the input sequences must be the same"
    loop_words = "enters the loop with shape (1, 8), but has shape (None, 8) after one iteration"
    found = {}
    for name, run in runs.items():
        model = stateful_model(1)
        with with_gradients():  # the claims run without autograd on PyTorch; a user's fit has it
            said = error_of(lambda run=run, model=model: run(model))
        words = "stateful" if stateful_words in said else "loop" if loop_words in said else said[:120]
        found[name] = f"{said.split(':')[0] or 'ran'}, {words}"
    on_tensorflow = backend() == "tensorflow"
    expected = {
        name: f"ValueError, {'loop' if on_tensorflow and name in ('fit', 'evaluate') else 'stateful'}"
        for name in runs
    }
    found["built for 3, predict of 3"] = (
        error_of(lambda: stateful_model(3).predict(x[:3], verbose=0)) or "ran"
    )
    expected["built for 3, predict of 3"] = "ran"
    return Evidence(found == expected, f"{keras().__name__} on {backend()}: {found}")
