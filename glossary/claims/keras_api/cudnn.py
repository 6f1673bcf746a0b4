"""Claims of the page "The cuDNN kernel" (``docs/cudnn.md``)."""

from __future__ import annotations

import ast
import importlib
import inspect
import textwrap
from pathlib import Path

import numpy as np

from glossary.claims.keras_backend import accelerator, backend, is_keras_2, keras, with_gradients
from glossary.claims.registry import Evidence, NotApplicable, claim
from glossary.claims.samples import error_of, logged_while, sample


def _outcome(call) -> str:
    """'ran', or the name of the exception ``call`` raised."""
    return error_of(call).partition(":")[0] or "ran"


@claim(
    "CUDNN-NEEDS-GPU",
    "On Keras 3's TensorFlow and JAX backends without a GPU, `LSTM(use_cudnn=True)` raises a "
    "`ValueError`, and so does `GRU(use_cudnn=True)` on TensorFlow. On JAX a GRU given it runs on "
    "Keras's own JAX code (that backend has no cuDNN GRU to ask for), with settings cuDNN cannot take "
    "too (`activation='relu'`, `use_bias=False`), except with a mask, `recurrent_dropout`, "
    "`unroll=True` or `reset_after=False`, where it raises the same `ValueError`. With the default "
    "`use_cudnn='auto'` both layers run without cuDNN.",
    page="cudnn.md#asking-for-it",
    depends_on="Keras 3 on TensorFlow or JAX, without a GPU (PyTorch: CUDNN-TRUE-ON-TORCH); Keras 2 has "
    "no use_cudnn",
)
def cudnn_needs_gpu():
    if is_keras_2():
        raise NotApplicable("Keras 2 has no use_cudnn argument")
    if backend() == "torch":
        raise NotApplicable(
            "the check is about TensorFlow and JAX; CUDNN-TRUE-ON-TORCH says what PyTorch does"
        )
    if accelerator():
        raise NotApplicable("a GPU is present: tests/test_cudnn.py checks what happens there")
    x = sample()
    mask = np.ones((3, 7), bool)
    mask[0, 5:] = False
    found = {
        f"{kind}({setting})": _outcome(
            lambda kind=kind, setting=setting: getattr(keras().layers, kind)(4, use_cudnn=setting)(x)
        )
        for kind in ("LSTM", "GRU")
        for setting in (True, "auto")
    }
    gru_settings = {
        "relu": ({"activation": "relu"}, {}),
        "no bias": ({"use_bias": False}, {}),
        "mask": ({}, {"mask": mask}),
        "recurrent_dropout": ({"recurrent_dropout": 0.2}, {}),
        "unroll": ({"unroll": True}, {}),
        "reset_after=False": ({"reset_after": False}, {}),
    }
    for name, (options, call) in gru_settings.items():
        found[f"GRU(True) {name}"] = _outcome(
            lambda options=options, call=call: keras().layers.GRU(4, use_cudnn=True, **options)(x, **call)
        )
    message = error_of(lambda: keras().layers.LSTM(4, use_cudnn=True)(x))
    on_jax = backend() == "jax"
    expected = {"LSTM(True)": "ValueError", "LSTM(auto)": "ran", "GRU(auto)": "ran"}
    expected["GRU(True)"] = "ran" if on_jax else "ValueError"
    for name in gru_settings:
        runs_on_jax = name in ("relu", "no bias")
        expected[f"GRU(True) {name}"] = "ran" if on_jax and runs_on_jax else "ValueError"
    holds = found == expected and "use_cudnn=True was specified" in message
    return Evidence(holds, "; ".join(f"{call}: {outcome}" for call, outcome in found.items()))


@claim(
    "CUDNN-TRUE-ON-TORCH",
    "On Keras 3's PyTorch backend, `use_cudnn=True` raises a `ValueError` with `recurrent_dropout`, with "
    "a mask, and for a GRU with `reset_after=False`. Without those, an LSTM or GRU given it runs without "
    "an error or a warning, on a CPU too and with settings cuDNN cannot take (`activation='relu'`, "
    "`unroll=True`, `use_bias=False`).",
    page="cudnn.md#asking-for-it",
    depends_on="Keras 3 on PyTorch",
)
def cudnn_true_on_torch():
    if is_keras_2() or backend() != "torch":
        raise NotApplicable(f"the check is about Keras 3's PyTorch backend; the backend here is {backend()}")
    x = sample()
    mask = np.ones((3, 7), bool)
    mask[0, 5:] = False
    settings = {
        "default": ({}, {}),
        "relu": ({"activation": "relu"}, {}),
        "unroll": ({"unroll": True}, {}),
        "no bias": ({"use_bias": False}, {}),
        "recurrent_dropout": ({"recurrent_dropout": 0.2}, {}),
        "mask": ({}, {"mask": mask}),
    }
    found, logged = {}, []
    for kind in ("LSTM", "GRU"):
        cases = dict(settings)
        if kind == "GRU":
            cases["reset_after=False"] = ({"reset_after": False}, {})
        for name, (options, call) in cases.items():
            layer = getattr(keras().layers, kind)(4, use_cudnn=True, **options)
            case = f"{kind} {name}"

            def run(layer=layer, call=call, case=case):
                found[case] = _outcome(lambda: layer(x, **call))

            logged += logged_while(run)
    raising = {"recurrent_dropout", "mask", "reset_after=False"}
    expected = {case: "ValueError" if case.split(" ", 1)[1] in raising else "ran" for case in found}
    about_cudnn = [message for message in logged if "cudnn" in message.lower()]
    raised = sorted(case for case, outcome in found.items() if outcome != "ran")
    return Evidence(
        found == expected and not about_cudnn,
        f"raised: {raised}; ran: {len(found) - len(raised)} other cases; "
        f"warnings about cuDNN: {about_cudnn or 'none'}",
    )


@claim(
    "CUDNN-KERAS3-SILENT",
    "Keras 3 logs no warning when an LSTM's settings rule out the cuDNN kernel: with `use_cudnn='auto'` "
    "it falls back silently.",
    page="cudnn.md#the-will-not-use-cudnn-kernels-warning",
    depends_on="Keras 3",
)
def cudnn_keras3_silent():
    if is_keras_2():
        raise NotApplicable("the claim is about Keras 3; CUDNN-TF-KERAS-WARNING says what Keras 2 logs")
    # Without a GPU no Keras warns, so the installed source is searched for the message as well.
    logged = logged_while(lambda: keras().layers.LSTM(4, activation="relu", recurrent_dropout=0.1)(sample()))
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
    logged = logged_while(lambda: tf_keras.layers.LSTM(4, activation="relu", name="relu_lstm"))
    logged += logged_while(lambda: tf_keras.layers.GRU(4, reset_after=False, name="reset_before_gru"))
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
    "CUDNN-JAX-TF32",
    "Keras 3's JAX backend calls JAX's cuDNN LSTM (`jax.experimental.rnn.lstm`) without a precision, "
    "and JAX then lets cuDNN use TF32 for float32 products, unless JAX's default matmul precision is "
    "`'float32'`.",
    page="cudnn.md#same-equations-other-rounding",
    depends_on="JAX installed (the check reads the settings JAX hands cuDNN; it needs no GPU)",
)
def cudnn_jax_tf32():
    if is_keras_2():
        raise NotApplicable("Keras 2 has no JAX backend")
    try:
        import jax
        from jax.experimental import rnn
    except ImportError:
        raise NotApplicable("JAX is not installed") from None
    # The call Keras makes, read from its source: the keywords it passes to JAX's LSTM.
    source = textwrap.dedent(inspect.getsource(importlib.import_module("keras.src.backend.jax.rnn").lstm))
    calls = [
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "jax_lstm"
    ]
    keywords = sorted({keyword.arg for call in calls for keyword in call.keywords})
    allowed = {"default": rnn._lstm_cudnn_allow_tf32(None)}
    for precision in ("float32", "tensorfloat32"):
        with jax.default_matmul_precision(precision):
            allowed[precision] = rnn._lstm_cudnn_allow_tf32(None)
    holds = (
        len(calls) == 1
        and "precision" not in keywords
        and allowed == {"default": True, "float32": False, "tensorfloat32": True}
    )
    return Evidence(
        holds, f"Keras passes {keywords}; TF32 allowed, by JAX's default matmul precision: {allowed}"
    )


@claim(
    "TORCH-OUTPUT-TO-NUMPY",
    "On Keras 3's PyTorch backend, on a CPU, `np.asarray` refuses a layer's output, a tensor that "
    "autograd tracks, with a `RuntimeError`; `keras.ops.convert_to_numpy` returns it as a NumPy array, "
    "with a NumPy `DeprecationWarning` about `__array__`'s `copy` keyword (PyTorch 2.13, NumPy 2).",
    page="cudnn.md#output-on-a-gpu-is-a-gpu-tensor",
    depends_on="Keras 3 on PyTorch, on a CPU (on a GPU, np.asarray raises a TypeError: tests/test_cudnn.py); "
    "the warning depends on PyTorch's and NumPy's versions",
)
def torch_output_to_numpy():
    import warnings

    if is_keras_2() or backend() != "torch":
        raise NotApplicable(f"the check is about Keras 3's PyTorch backend; the backend here is {backend()}")
    if accelerator():
        raise NotApplicable("a GPU computes here: tests/test_cudnn.py checks the output there")
    with with_gradients():  # the claims run without autograd on PyTorch; a user's code has it
        output = keras().layers.LSTM(3)(sample())
        refused = error_of(lambda: np.asarray(output)).partition(":")[0]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            converted = keras().ops.convert_to_numpy(output)
    warned = [
        type(warning.message).__name__
        for warning in caught
        if "copy" in str(warning.message) and "__array__" in str(warning.message)
    ]
    holds = (
        output.requires_grad
        and refused == "RuntimeError"
        and isinstance(converted, np.ndarray)
        and converted.shape == (3, 3)
        and warned == ["DeprecationWarning"]
    )
    return Evidence(
        holds,
        f"tracked by autograd: {output.requires_grad}; np.asarray: {refused or 'accepted'}; "
        f"convert_to_numpy: {type(converted).__name__} {converted.shape}, warnings {warned or 'none'}",
    )
