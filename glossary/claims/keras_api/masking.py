"""Claims of the page "Masking and padding" (``docs/masking.md``)."""

from __future__ import annotations

import ast
import contextlib
import importlib
import inspect
import textwrap
from unittest import mock

import numpy as np

from glossary import keras_weights, reference
from glossary.claims.keras_backend import accelerator, backend, host_array, is_keras_2, keras, tensor
from glossary.claims.registry import Evidence, NotApplicable, claim
from glossary.claims.samples import NONZERO_LSTM_BIASES, built, error_of, logged_while, random_biases, sample


def _masked_run():
    x = sample(batch=2, timesteps=5, features=3)
    x[0, 3:] = 0.0
    mask = host_array(keras().layers.Masking(0.0).compute_mask(x))
    # random biases: with a new layer's zeros, a bias in the wrong gate block would not show
    lstm = keras().layers.LSTM(
        2, return_sequences=True, return_state=True, bias_initializer=random_biases(), **NONZERO_LSTM_BIASES
    )
    sequence, state_h, _ = (host_array(t) for t in lstm(x, mask=mask))
    return x, mask, lstm, sequence, state_h


def _keras_loop_takes_the_mask():
    """Skip a check where a masked LSTM runs cuDNN instead of Keras's loop: TensorFlow on a GPU."""
    if backend() == "tensorflow" and accelerator():
        raise NotApplicable(
            "TensorFlow on a GPU hands a right-padded mask to cuDNN, which by Keras's source writes "
            "zeros at padded timesteps of a returned sequence"
        )


@claim(
    "MASK-REPEATS-OUTPUT",
    "In Keras's own loop, which runs a masked LSTM on a CPU, and on JAX and PyTorch on any device, a "
    "masked timestep carries the state over unchanged and repeats the previous timestep's output.",
    page="masking.md#what-happens-at-a-masked-timestep",
    depends_on="Keras's own loop: TensorFlow's cuDNN path on a GPU writes zeros at padded timesteps of a "
    "returned sequence (Keras's source says so; no GPU run of this site has shown it)",
)
def mask_repeats_output():
    _keras_loop_takes_the_mask()
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
    "`glossary.reference.lstm` with the same mask gives the masked numbers of Keras's own loop (to 1e-5).",
    page="masking.md#the-same-rule-in-numpy",
    depends_on="Keras's own loop, not TensorFlow's cuDNN path on a GPU",
)
def mask_reference():
    _keras_loop_takes_the_mask()
    x, mask, lstm, sequence, _ = _masked_run()
    ours = reference.lstm(x, *keras_weights.lstm_arrays(lstm), return_sequences=True, mask=mask)
    difference = float(np.max(np.abs(ours - sequence)))
    return Evidence(difference < 1e-5, f"largest difference {difference:.1e}")


@claim(
    "MASK-LEADING-OUTPUT",
    "Before a sequence's first real timestep, a masked SimpleRNN, GRU or LSTM outputs zeros on "
    "TensorFlow (in Keras 2 as well) and on PyTorch, even when given a non-zero `initial_state`; on "
    "JAX, with the default `unroll=False`, it outputs the initial hidden state there.",
    page="masking.md#what-happens-at-a-masked-timestep",
    depends_on="the backend. On a GPU with TensorFlow, a left-padded mask fails Keras's check before "
    "cuDNN, which stops fit, evaluate and predict (CUDNN-MASK-RIGHT-PADDED-ONLY): use_cudnn=False there",
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
    expected = [0.5, 0.5] if backend() == "jax" else [0.0, 0.0]
    holds = all(output == expected for output in outputs.values())
    return Evidence(holds, f"output at the masked first timestep: {outputs}")


def _tensorflow_rnn():
    """Keras 3's TensorFlow functions for recurrent layers (``keras.src.backend.tensorflow.rnn``)."""
    if is_keras_2() or backend() != "tensorflow":
        raise NotApplicable(
            f"the check is about Keras 3's TensorFlow backend; here it is {keras().__name__} on {backend()}"
        )
    return importlib.import_module("keras.src.backend.tensorflow.rnn")


@contextlib.contextmanager
def cudnn_kernel_calls():
    """A list that grows by one each time Keras builds a call of TensorFlow's cuDNN op, ``CudnnRNNV3``.

    On a GPU the op is the real one. Without one, Keras is told that a GPU is there and the op is a
    stand-in that returns zeros of the op's shapes (tied to its inputs, so that ``fit`` finds
    gradients for every weight): all of Keras's code up to the kernel runs as on a GPU, its mask
    check included.
    """
    module = _tensorflow_rnn()  # first: where it is not Keras 3 on TensorFlow, the claim is skipped
    import tensorflow as tf

    real = tf.raw_ops.CudnnRNNV3
    on_gpu = bool(accelerator())
    calls: list[str] = []

    def stand_in(*, input, input_h, input_c, params, **_):
        zero = 0.0 * (tf.reduce_sum(params) + tf.reduce_sum(input))  # gradients reach every weight
        outputs = tf.zeros(tf.concat([tf.shape(input)[:2], tf.shape(input_h)[-1:]], 0)) + zero
        return outputs, input_h + zero, input_c + zero, None, None

    def counted(**arguments):
        calls.append(arguments.get("rnn_mode", "lstm"))
        return (real if on_gpu else stand_in)(**arguments)

    with contextlib.ExitStack() as patches:
        if not on_gpu:
            patches.enter_context(mock.patch.object(module, "_is_gpu_available", return_value=True))
        patches.enter_context(mock.patch.object(tf.raw_ops, "CudnnRNNV3", counted))
        yield calls


def graph_error(model, inputs, targets=None, step: str = "fit") -> str:
    """What ``model`` raised, shortened; '' if it ran.

    It runs ``predict`` or, given targets, ``step``: ``fit`` or ``evaluate``.
    """
    if targets is None:
        said = error_of(lambda: model.predict(inputs, verbose=0))
    else:
        model.compile(optimizer="sgd", loss="mse")
        run = {
            "fit": lambda: model.fit(inputs, targets, epochs=1, verbose=0),
            "evaluate": lambda: model.evaluate(inputs, targets, verbose=0),
        }[step]
        said = error_of(run)
    if not said:
        return ""
    kind = said.partition(":")[0]
    if "does not correspond to right-padded sequences" in said:  # Keras's assertion, in TensorFlow's error
        return f"{kind} (Keras's mask assertion)"
    return f"{kind}: {said.partition(':')[2].strip()[:120]}"


MASKS = {
    "right-padded": [[True, True, True, False, False], [True] * 5],
    "left-padded": [[False, False, True, True, True], [True] * 5],
    "a row all padding": [[True, True, True, False, False], [False] * 5],
}


@claim(
    "CUDNN-MASK-RIGHT-PADDED-ONLY",
    "On Keras 3's TensorFlow backend, an LSTM or GRU that would run on cuDNN hands it a mask only "
    "after a TensorFlow assertion that the mask is right-padded (each row's real timesteps first) "
    "with no row all padding. A right-padded mask reaches the kernel. Where the assertion fails, a "
    "direct call of the layer falls back to Keras's own loop (with `use_cudnn=True`, it raises a "
    "`ValueError`), while `predict`, `evaluate` and `fit`, which run the model as a TensorFlow graph, "
    "stop with an `InvalidArgumentError`.",
    page="masking.md#masks-and-the-cudnn-kernel",
    depends_on="Keras 3 on TensorFlow, on a GPU. Without one, the check tells Keras a GPU is there and "
    "stands in for TensorFlow's cuDNN op (CudnnRNNV3): the assertion, the fallback and the errors are "
    "Keras's and TensorFlow's own; no run on a GPU has checked it",
)
def cudnn_mask_right_padded_only():
    _tensorflow_rnn()
    x = sample(batch=2, timesteps=5, features=3)
    found, expected = {}, {}
    with cudnn_kernel_calls() as calls:
        for kind in ("LSTM", "GRU"):
            layer = getattr(keras().layers, kind)(4)
            own_loop = built(getattr(keras().layers, kind)(4, use_cudnn=False), 3)
            sequences = keras().Input((5, 3))
            mask_input = keras().Input((5,), dtype="bool")
            model = keras().Model([sequences, mask_input], layer(sequences, mask=mask_input))
            own_loop.set_weights(layer.get_weights())
            for name, rows in MASKS.items():
                mask = np.array(rows)
                right = name == "right-padded"
                calls.clear()
                direct = host_array(layer(x, mask=mask))
                kernel = "kernel" if calls else "Keras's loop"
                if not calls:
                    gap = float(np.max(np.abs(direct - host_array(own_loop(x, mask=mask)))))
                    kernel += f" ({'same' if gap <= 1e-6 else 'not the same'} as use_cudnn=False)"
                asked = getattr(keras().layers, kind)(4, use_cudnn=True)
                refused = error_of(lambda asked=asked, mask=mask: asked(x, mask=mask)).partition(":")[0]
                seen = {
                    "call": kernel,
                    "use_cudnn=True": refused or "ran",
                    "predict": graph_error(model, [x, mask]) or "ran",
                    "evaluate": graph_error(model, [x, mask], np.zeros((2, 4), "float32"), "evaluate")
                    or "ran",
                    "fit": graph_error(model, [x, mask], np.zeros((2, 4), "float32")) or "ran",
                }
                found[f"{kind}, {name}"] = seen
                expected[f"{kind}, {name}"] = (
                    {
                        "call": "kernel",
                        "use_cudnn=True": "ran",
                        "predict": "ran",
                        "evaluate": "ran",
                        "fit": "ran",
                    }
                    if right
                    else {
                        "call": "Keras's loop (same as use_cudnn=False)",
                        "use_cudnn=True": "ValueError",
                        "predict": "InvalidArgumentError (Keras's mask assertion)",
                        "evaluate": "InvalidArgumentError (Keras's mask assertion)",
                        "fit": "InvalidArgumentError (Keras's mask assertion)",
                    }
                )
    shown = "; ".join(
        f"{case}: " + ", ".join(f"{step} {outcome}" for step, outcome in seen.items())
        for case, seen in found.items()
    )
    return Evidence(
        found == expected, ("on a GPU: " if accelerator() else "with a stand-in kernel: ") + shown
    )


def _gives_up_on_a_mask_first(function) -> bool:
    """Whether ``function``'s first statement raises NotImplementedError when given a mask."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    body = [
        s for s in tree.body[0].body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
    ]
    first = body[0] if body else None
    return (
        isinstance(first, ast.If)
        and "mask is not None" in ast.unparse(first.test)
        and [ast.unparse(statement) for statement in first.body] == ["raise NotImplementedError"]
    )


@claim(
    "MASK-KEEPS-JAX-AND-TORCH-OFF-CUDNN",
    "On Keras 3's JAX and PyTorch backends, an LSTM or GRU given a mask runs Keras's own loop on any "
    "device: the first statement of those backends' LSTM and GRU functions hands a masked layer back "
    "to it, before any test of the device.",
    page="masking.md#masks-and-the-cudnn-kernel",
    depends_on="Keras 3 on JAX or PyTorch",
)
def mask_keeps_jax_and_torch_off_cudnn():
    if is_keras_2() or backend() not in ("jax", "torch"):
        raise NotApplicable(f"the check is about Keras 3's JAX and PyTorch backends; here it is {backend()}")
    module = importlib.import_module(f"keras.src.backend.{backend()}.rnn")
    first = {name: _gives_up_on_a_mask_first(getattr(module, name)) for name in ("lstm", "gru")}
    generic = importlib.import_module("keras.src.backend")
    masked_loops = {}
    x = sample(batch=2, timesteps=5, features=3)
    mask = np.array(MASKS["right-padded"])
    for kind in ("LSTM", "GRU"):
        loop = mock.patch.object(generic, "rnn", wraps=generic.rnn)
        with loop as spy:
            getattr(keras().layers, kind)(4)(x, mask=mask)
        masked_loops[kind] = [call.kwargs.get("mask") is not None for call in spy.call_args_list]
    holds = all(first.values()) and all(seen == [True] for seen in masked_loops.values())
    return Evidence(
        holds,
        f"first statement gives up on a mask: {first}; "
        f"calls of Keras's own loop with the mask, per layer: {masked_loops}",
    )


@claim(
    "MASK-ZERO-OUTPUT",
    "With `zero_output_for_mask=True`, a masked LSTM outputs zeros at padded timesteps instead of "
    "repeating the last real output, and its final state is still the state after the last real "
    "timestep. `Bidirectional` sets it on both its layers when they return sequences, so both halves "
    "of its output are zeros there.",
    page="masking.md#what-happens-at-a-masked-timestep",
)
def mask_zero_output():
    x, mask, _, _, _ = _masked_run()  # row 0: 3 real timesteps, then 2 of padding
    lstm = keras().layers.LSTM(
        2,
        return_sequences=True,
        return_state=True,
        zero_output_for_mask=True,
        bias_initializer=random_biases(),
    )
    sequence, state_h, _ = (host_array(t) for t in lstm(x, mask=mask))
    wrapper = keras().layers.Bidirectional(keras().layers.LSTM(2, return_sequences=True))
    both = host_array(wrapper(x, mask=tensor(mask)))
    found = {
        "LSTM padded outputs zero": not np.any(sequence[0, 3:]),
        "LSTM real outputs non-zero": bool(np.all(sequence[0, :3] != 0)),
        "LSTM final state is timestep 3's output": bool(np.array_equal(state_h[0], sequence[0, 2])),
        "Bidirectional sets it": wrapper.forward_layer.zero_output_for_mask
        and wrapper.backward_layer.zero_output_for_mask,
        "Bidirectional padded outputs zero (both halves)": not np.any(both[0, 3:]),
        "Bidirectional real outputs non-zero": bool(np.all(both[0, :3] != 0)),
    }
    return Evidence(all(found.values()), f"{keras().__name__} on {backend()}: {found}")


@claim(
    "MASK-AFTER-THE-LAYER",
    "A mask that reaches the model's output leaves the padded timesteps out of the loss: the padded "
    "targets can hold anything (in Keras 2 as well). A layer that does not support masks, such as "
    "`Conv1D`, drops the mask: Keras 3 warns that it does, Keras 2 does so silently.",
    page="masking.md#after-the-recurrent-layer",
)
def mask_after_the_layer():
    layers = keras().layers
    ids = np.array([[3, 1, 4, 0, 0], [2, 7, 1, 8, 2]])  # row 0: 3 real ids, then padding
    inputs = keras().Input((5,), dtype="int32")
    masked = layers.Embedding(10, 3, mask_zero=True)(inputs)
    outputs = layers.Dense(1)(layers.LSTM(4, return_sequences=True)(masked))
    model = keras().Model(inputs, outputs)
    model.compile(loss="mse")
    targets = np.zeros((2, 5, 1), "float32")
    losses = [model.evaluate(ids, targets, verbose=0)]
    targets[0, 3:] = 100.0  # only the padded timesteps' targets change
    losses.append(model.evaluate(ids, targets, verbose=0))
    targets[0, 2] = 100.0  # a real timestep's target: the loss must move
    losses.append(model.evaluate(ids, targets, verbose=0))
    embedded = layers.Embedding(10, 3, mask_zero=True)
    convolved = []
    logged = logged_while(lambda: convolved.append(layers.Conv1D(2, 2, padding="same")(embedded(ids))))
    dropped = [message for message in logged if "does not support masking" in message]
    kept = getattr(convolved[0], "_keras_mask", None)
    warned = bool(dropped) != is_keras_2()
    holds = losses[0] == losses[1] != losses[2] and warned and kept is None
    return Evidence(
        holds,
        f"loss with padded targets 0: {losses[0]:.6g}, 100: {losses[1]:.6g}, a real target changed: "
        f"{losses[2]:.6g}; {keras().__name__}'s warning on Conv1D: {dropped[:1] or 'none'}; "
        f"its output's mask: {kept}",
    )
