"""Claims of the page "RNNs and unrolling" (``docs/rnn-and-unrolling.md``)."""

from __future__ import annotations

import contextlib
import importlib
import inspect
from unittest import mock

import numpy as np

from glossary.claims.keras_backend import KERAS_OWN_LOOP, accelerator, backend, host_array, is_keras_2, keras
from glossary.claims.registry import Evidence, claim
from glossary.claims.samples import NONZERO_LSTM_BIASES, built, error_of, random_biases, sample
from glossary.layer_kinds import KINDS


@claim(
    "LAYER-IS-LOOPED-CELL",
    "An `LSTM` layer is an `RNN` loop around an `LSTMCell`: with the same weights both give the same output.",
    page="rnn-and-unrolling.md#cell-and-layer",
    depends_on=KERAS_OWN_LOOP,
)
def layer_is_looped_cell():
    # random biases in every block: a layer's own loop (PyTorch's) that put a bias block in the
    # wrong place would agree with the cell on a new layer's zeros
    layer = built(keras().layers.LSTM(4, bias_initializer=random_biases(), **NONZERO_LSTM_BIASES), 5)
    loop = built(keras().layers.RNN(keras().layers.LSTMCell(4)), 5)
    loop.set_weights(layer.get_weights())
    difference = float(np.max(np.abs(host_array(loop(sample())) - host_array(layer(sample())))))
    return Evidence(difference < 1e-6, f"largest difference {difference:.1e}")


TORCH_FUNCTIONS = ("_fallback_lstm", "_cudnn_lstm", "_fallback_gru", "_cudnn_gru")
"""The functions of Keras's PyTorch backend that run a whole LSTM or GRU: its own loop, and cuDNN."""


@contextlib.contextmanager
def _loops_watched():
    """The loops run inside the block, in order, in the list it yields.

    Each call of Keras's generic loop (``backend.rnn``) is ``"loop"`` or ``"unrolled loop"``, by
    the ``unroll`` it was given; on PyTorch, each call of one of `TORCH_FUNCTIONS` is its name.
    """
    watched = [
        (importlib.import_module("tf_keras.src.backend" if is_keras_2() else "keras.src.backend"), "rnn")
    ]
    if backend() == "torch":
        torch_rnn = importlib.import_module("keras.src.backend.torch.rnn")
        watched += [(torch_rnn, name) for name in TORCH_FUNCTIONS]
    seen: list[str] = []

    def spy(owner, name):
        original = getattr(owner, name)

        def run(*args, **kwargs):
            if name == "rnn":
                unroll = inspect.signature(original).bind(*args, **kwargs).arguments.get("unroll", False)
                seen.append("unrolled loop" if unroll else "loop")
            else:
                seen.append(name.strip("_"))
            return original(*args, **kwargs)

        return mock.patch.object(owner, name, run)

    with contextlib.ExitStack() as spies:
        for owner, name in watched:
            spies.enter_context(spy(owner, name))
        yield seen


def _loops_run(layer, x, **call) -> tuple[np.ndarray, list[str]]:
    """``layer(x)``, and the loops it ran, in order (see `_loops_watched`)."""
    with _loops_watched() as seen:
        output = host_array(layer(x, **call))
    return output, seen


def _twins(kind: str, **options):
    """A layer of ``kind`` with ``options``, and the same layer with ``unroll=True``, sharing weights."""
    rolled = built(getattr(keras().layers, kind)(4, **options), 5)
    unrolled = getattr(keras().layers, kind)(4, unroll=True, **options)
    unrolled.build((None, 7, 5))
    unrolled.set_weights(rolled.get_weights())
    return rolled, unrolled


@claim(
    "UNROLL-SAME-RESULT",
    "`unroll=True` makes Keras 3 on TensorFlow and JAX, and Keras 2, run the loop of an LSTM, a GRU or a "
    "SimpleRNN unrolled; on a CPU it gives the numbers of the rolled loop (to 1e-6). Keras 3 on PyTorch "
    "unrolls an LSTM or GRU only when it is given a mask, `use_cudnn=False` or `recurrent_dropout`, or for "
    "a GRU with `reset_after=False`: with `unroll=True` alone, the layer runs the backend's own PyTorch "
    "loop, the one it runs on a CPU anyway, so that on a CPU the numbers are the same, and on a GPU the "
    "setting only keeps the layer off cuDNN.",
    page="rnn-and-unrolling.md#unrolling",
    depends_on="the device: on a GPU the default layer runs cuDNN, whose numbers are not compared",
)
def unroll_same_result():
    x = sample()
    if backend() != "torch":
        found, holds = {}, True
        for kind in KINDS:
            # random biases: a bias one loop handled wrongly would not show on a new layer's zeros
            biases = {"bias_initializer": random_biases(), **(NONZERO_LSTM_BIASES if kind == "LSTM" else {})}
            rolled, unrolled = _twins(kind, **biases)
            expected, rolled_ran = _loops_run(rolled, x)
            output, unrolled_ran = _loops_run(unrolled, x)
            difference = float(np.max(np.abs(output - expected)))
            same = accelerator() or difference < 1e-6
            holds &= unrolled_ran == ["unrolled loop"] and "unrolled loop" not in rolled_ran and same
            compared = "" if accelerator() else f", largest difference {difference:.1e}"
            # the default runs cuDNN on a GPU, and JAX's own GRU scan on any device: no generic loop
            found[kind] = f"unroll=True ran {unrolled_ran}, the default {rolled_ran or ['its own']}{compared}"
        return Evidence(holds, "; ".join(f"{kind}: {seen}" for kind, seen in found.items()))
    mask = np.ones((3, 7), bool)
    mask[0, 5:] = False
    found, holds = {}, True
    for kind in ("LSTM", "GRU"):
        own = f"fallback_{kind.lower()}"
        rolled, unrolled = _twins(kind)
        expected, rolled_ran = _loops_run(rolled, x)
        output, unrolled_ran = _loops_run(unrolled, x)
        _, masked_ran = _loops_run(unrolled, x, mask=mask)
        _, without_cudnn_ran = _loops_run(_twins(kind, use_cudnn=False)[1], x)
        _, dropout_ran = _loops_run(_twins(kind, recurrent_dropout=0.2)[1], x)
        others = [without_cudnn_ran, dropout_ran]
        if kind == "GRU":
            _, reset_before_ran = _loops_run(_twins(kind, reset_after=False)[1], x)
            others.append(reset_before_ran)
        same = accelerator() or float(np.max(np.abs(output - expected))) < 1e-6
        holds &= (
            unrolled_ran == [own]
            and rolled_ran == ([f"cudnn_{kind.lower()}"] if accelerator() else [own])
            and masked_ran == ["unrolled loop"]
            and all(ran == ["unrolled loop"] for ran in others)
            and same
        )
        found[kind] = (
            f"unroll=True ran {unrolled_ran}, the default {rolled_ran}, with a mask {masked_ran}, "
            f"with use_cudnn=False {without_cudnn_ran}, with recurrent_dropout {dropout_ran}"
            + (f", with reset_after=False {reset_before_ran}" if kind == "GRU" else "")
            + ("" if accelerator() else f", same numbers: {same}")
        )
    return Evidence(holds, "; ".join(f"{kind}: {seen}" for kind, seen in found.items()))


@claim(
    "UNROLL-NEEDS-KNOWN-LENGTH",
    "An LSTM with `unroll=True` needs the number of timesteps when it is traced. In Keras 3 on "
    "TensorFlow, a model on `keras.Input((None, features))` builds and predicts for one length, then "
    "raises a `ValueError` ('Cannot unroll a RNN if the time dimension is undefined') for a second "
    "length, which TensorFlow traces for any length. Keras 2 raises one ('Unrolling requires a fixed "
    "number of timesteps') as soon as the layer is called on such an input. Keras 3 on JAX and PyTorch "
    "predict for both lengths, running the unrolled loop each time (on PyTorch the LSTM is given "
    "`use_cudnn=False`, without which it is not unrolled at all).",
    page="rnn-and-unrolling.md#unrolling",
)
def unroll_needs_known_length():
    sequences = keras().Input((None, 5))
    if is_keras_2():
        said = error_of(lambda: keras().layers.LSTM(4, unroll=True)(sequences))
        holds = said.startswith("ValueError") and "Unrolling requires a fixed number of timesteps" in said
        return Evidence(holds, f"called on (None, None, 5): {said.partition(':')[0] or 'built'}")
    # on PyTorch an LSTM with unroll=True alone runs PyTorch's own loop (see UNROLL-SAME-RESULT),
    # which would take any length without unrolling anything
    options = {"use_cudnn": False} if backend() == "torch" else {}
    model = keras().Model(sequences, keras().layers.LSTM(4, unroll=True, **options)(sequences))
    found = {}
    for length in (7, 9):
        with _loops_watched() as seen:
            batch = np.zeros((2, length, 5), "float32")
            said = error_of(lambda batch=batch: model.predict(batch, verbose=0))
        undefined = "Cannot unroll a RNN if the time dimension is undefined" in said
        if undefined:
            found[length] = f"{said.partition(':')[0]} (time dimension undefined)"
        elif said:
            found[length] = said[:80]
        else:
            found[length] = "ran the unrolled loop" if set(seen) == {"unrolled loop"} else f"ran {seen}"
    unrolled = "ran the unrolled loop"
    second = "ValueError (time dimension undefined)" if backend() == "tensorflow" else unrolled
    return Evidence(found == {7: unrolled, 9: second}, f"predict, 7 steps: {found[7]}; then 9: {found[9]}")
