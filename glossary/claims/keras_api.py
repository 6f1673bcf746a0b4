"""Claims about the Keras behaviour users trip over: masking, stateful layers, Bidirectional,
Dense after a sequence, and the cuDNN kernel."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from glossary import keras_weights, reference
from glossary.claims._keras import (
    accelerator,
    built,
    error_of,
    host_array,
    is_keras_2,
    keras,
    sample,
    tensor,
)
from glossary.claims.registry import Evidence, NotApplicable, claim


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
    "BIDIRECTIONAL-WIDTH",
    "`Bidirectional(LSTM(units))` outputs `2 * units` values by default (`merge_mode='concat'`); "
    "`sum`, `mul` and `ave` keep `units`, and `None` returns the two directions separately.",
    page="bidirectional.md#why-the-width-doubles",
)
def bidirectional_width():
    x = sample()
    found = {}
    for mode in ("concat", "sum", "mul", "ave", None):
        result = keras().layers.Bidirectional(keras().layers.LSTM(4), merge_mode=mode)(x)
        found[mode] = [tuple(r.shape) for r in result] if mode is None else tuple(result.shape)
    expected = {"concat": (3, 8), "sum": (3, 4), "mul": (3, 4), "ave": (3, 4), None: [(3, 4), (3, 4)]}
    shown = "; ".join(f"{mode}: {shape}" for mode, shape in found.items())
    return Evidence(found == expected, f"Bidirectional(LSTM(4)) on (3, 7, 5), by merge_mode: {shown}")


@claim(
    "BIDIRECTIONAL-STATES",
    "With `return_state=True`, `Bidirectional(LSTM)` returns five arrays: output, then forward `h` and "
    "`c`, then backward `h` and `c`.",
    page="bidirectional.md#returned-states",
)
def bidirectional_states():
    result = keras().layers.Bidirectional(keras().layers.LSTM(4, return_state=True))(sample())
    output, forward_h, _, backward_h, _ = (host_array(r) for r in result)
    ordered = np.array_equal(output, np.concatenate([forward_h, backward_h], axis=-1))
    return Evidence(
        len(result) == 5 and ordered, f"{len(result)} arrays; output = [forward h, backward h]: {ordered}"
    )


@claim(
    "DENSE-PER-TIMESTEP",
    "`Dense` after `return_sequences=True` acts on every timestep with one shared weight matrix, exactly "
    "as `TimeDistributed(Dense)` does.",
    page="dense-after-lstm.md",
)
def dense_per_timestep():
    sequence = keras().layers.LSTM(4, return_sequences=True)(sample())
    dense = keras().layers.Dense(2)
    direct = host_array(dense(sequence))
    wrapped = host_array(keras().layers.TimeDistributed(dense)(sequence))
    holds = (
        direct.shape == (3, 7, 2)
        and np.allclose(direct, wrapped, rtol=0, atol=1e-6)
        and dense.count_params() == 10
    )
    return Evidence(
        holds, f"shape {direct.shape}, parameters {dense.count_params()}, same as TimeDistributed"
    )


@claim(
    "CUDNN-NEEDS-GPU",
    "Without a GPU, `LSTM(use_cudnn=True)` raises a `ValueError`; the default `use_cudnn='auto'` falls "
    "back to the generic loop.",
    page="cudnn.md#asking-for-it",
    depends_on="Keras 3 on TensorFlow or JAX without a CUDA GPU; on PyTorch use_cudnn=True falls back "
    "without raising; Keras 2 has no use_cudnn (a TypeError)",
)
def cudnn_needs_gpu():
    if accelerator():
        raise NotApplicable("a GPU is present: tests/test_cudnn.py checks what happens there")
    message = error_of(lambda: keras().layers.LSTM(4, use_cudnn=True)(sample()))
    fallback = tuple(keras().layers.LSTM(4)(sample()).shape)
    raised = message.startswith("ValueError") and "use_cudnn=True was specified" in message
    outcome = message.partition(":")[0] + " raised" if message else "no error"
    return Evidence(raised and fallback == (3, 4), f"use_cudnn=True: {outcome}; use_cudnn='auto' ran")


@claim(
    "BIDIRECTIONAL-PARAMS",
    "A `Bidirectional` layer holds two copies of the wrapped layer, the second with "
    "`go_backwards=True`, so it has twice the parameters.",
    page="bidirectional.md#returned-states",
)
def bidirectional_params():
    wrapper = keras().layers.Bidirectional(keras().layers.LSTM(4))
    wrapper.build((None, None, 5))
    single = built(keras().layers.LSTM(4), 5).count_params()
    backwards = wrapper.backward_layer.go_backwards
    return Evidence(
        wrapper.count_params() == 2 * single and backwards, f"{wrapper.count_params()} = 2 x {single}"
    )


def _logged_while(action) -> list[str]:
    """Every warning and log record (Python's, TensorFlow's) emitted while ``action`` runs."""
    import logging
    import warnings

    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())

    loggers = [logging.getLogger(), logging.getLogger("tensorflow")]
    handler = Collect(logging.DEBUG)
    for logger in loggers:
        logger.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            action()
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
    return records + [str(warning.message) for warning in caught]


@claim(
    "CUDNN-KERAS3-SILENT",
    "Keras 3 logs no warning when an LSTM's settings rule out the cuDNN kernel: with `use_cudnn='auto'` "
    "it falls back silently.",
    page="cudnn.md#the-will-not-use-cudnn-kernels-warning",
    depends_on="Keras 3",
)
def cudnn_keras3_silent():
    # Without a GPU no Keras warns, so the installed source is searched for the message as well.
    logged = _logged_while(lambda: keras().layers.LSTM(4, activation="relu", recurrent_dropout=0.1)(sample()))
    about_cudnn = [message for message in logged if "cudnn" in message.lower()]
    package = Path(keras().__file__).parent
    in_source = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "will not use cuDNN kernels" in path.read_text(encoding="utf-8", errors="replace")
    )
    return Evidence(
        not about_cudnn and not in_source,
        f"messages about cuDNN: {about_cudnn or 'none'}; "
        f"source files holding the warning: {in_source or 'none'}",
    )


@claim(
    "CUDNN-TF-KERAS-WARNING",
    "Keras 2 (`tf-keras`) warns 'Layer NAME will not use cuDNN kernels since it doesn't meet the criteria' "
    "when an LSTM or GRU is created with settings outside cuDNN's, and only while a GPU is visible.",
    page="cudnn.md#the-will-not-use-cudnn-kernels-warning",
    depends_on="tf-keras installed; without a GPU only the message and its silence there are checked",
)
def cudnn_tf_keras_warning():
    try:
        import tf_keras
        from tf_keras.src.layers.rnn import gru_lstm_utils
    except ImportError:
        raise NotApplicable("tf-keras (Keras 2) is not installed") from None
    import tensorflow as tf

    gpu = bool(tf.config.list_logical_devices("GPU"))
    logged = _logged_while(lambda: tf_keras.layers.LSTM(4, activation="relu", name="relu_lstm"))
    logged += _logged_while(lambda: tf_keras.layers.GRU(4, reset_after=False, name="reset_before_gru"))
    warned = all(
        any(f"{name} will not use cuDNN kernels" in message for message in logged)
        for name in ("relu_lstm", "reset_before_gru")
    )
    text = gru_lstm_utils.CUDNN_NOT_AVAILABLE_MSG
    holds = (
        text.startswith("Layer %s will not use cuDNN kernels since it doesn't meet the criteria")
        and warned == gpu
    )
    return Evidence(holds, f"GPU visible: {gpu}; warning logged: {warned}")


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
