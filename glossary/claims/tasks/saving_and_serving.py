"""Claims of the page "Saving and serving" (``docs/saving-and-serving.md``)."""

from __future__ import annotations

import contextlib
import importlib.metadata
import importlib.util
import re
import sys
import tempfile
import warnings
import zipfile
from pathlib import Path

import numpy as np

from glossary.claims.exporting import (
    EXPORT_FILES,
    EXPORT_NEEDS,
    EXPORT_REFUSED,
    flex_ops,
    hidden_package,
    litert_file,
    litert_tensorflow,
    quiet,
    tflite_interpreter,
)
from glossary.claims.keras_backend import backend, host_array, is_keras_2, keras, with_gradients
from glossary.claims.registry import Evidence, NotApplicable, claim
from glossary.claims.samples import (
    NONZERO_LSTM_BIASES,
    error_of,
    legacy_h5_advice_muted,
    random_biases,
    sample,
)


def forecaster(**lstm_options):
    """The small model the page saves, exports and serves: an LSTM and a one-number forecast."""
    layers = keras().layers
    return keras().Sequential(
        [
            keras().Input((None, 3)),
            layers.LSTM(8, name="lstm", **lstm_options),
            layers.Dense(1, name="forecast"),
        ]
    )


@claim(
    "SAVE-LOAD-SAME-PREDICTIONS",
    "A trained model saved with `model.save('name.keras')` (one zip file, with the model's config and "
    "weights) and loaded with `keras.saving.load_model` predicts exactly what the original predicts, "
    "and its optimizer state comes back with it.",
    page="saving-and-serving.md#save-and-load",
)
def save_load_same_predictions():
    model, x = forecaster(), sample(batch=4, timesteps=20, features=3)
    model.compile(optimizer="adam", loss="mse")
    with with_gradients():
        model.fit(x, x[:, -1, :1], epochs=2, verbose=0)
    with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # TensorFlow's variables under NumPy 2
        path = Path(folder) / "forecaster.keras"
        model.save(path)
        with zipfile.ZipFile(path) as archive:
            held = sorted(name for name in archive.namelist() if name != "metadata.json")
        restored = keras().saving.load_model(path)
    same = np.array_equal(restored.predict(x, verbose=0), model.predict(x, verbose=0))
    pairs = list(zip(restored.optimizer.variables, model.optimizer.variables, strict=True))
    kept = bool(pairs) and all(np.array_equal(host_array(a), host_array(b)) for a, b in pairs)
    return Evidence(
        same and kept and held == ["config.json", "model.weights.h5"],
        f"a zip of {held} (and metadata.json); predictions identical: {same}; "
        f"{len(pairs)} optimizer variables identical: {kept}",
    )


@claim(
    "SAVE-NEEDS-AN-EXTENSION",
    "Keras 3 refuses `model.save(path)` unless the path ends in `.keras` (or the legacy `.h5` or "
    "`.hdf5`): 'Invalid filepath extension for saving'. Given `zipped=False`, it writes a folder of "
    "its own format under any name instead. Keras 2 wrote a SavedModel folder there.",
    page="saving-and-serving.md#file-names-keras-3-insists-on",
)
def save_needs_an_extension():
    model = forecaster()
    with tempfile.TemporaryDirectory() as folder, quiet():  # Keras logs that .h5 files are legacy
        said = error_of(lambda: model.save(str(Path(folder) / "forecaster")))
        saved_model = (Path(folder) / "forecaster" / "saved_model.pb").is_file()
        if is_keras_2():
            holds = saved_model
            shown = "wrote a SavedModel folder (saved_model.pb)" if saved_model else "wrote no SavedModel"
        else:
            others = {
                name: error_of(lambda name=name: model.save(str(Path(folder) / name))).split(". ")[0]
                or "saved"
                for name in ("forecaster.txt", "forecaster.keras", "forecaster.h5", "forecaster.hdf5")
            }
            unzipped = Path(folder) / "unzipped"
            others["unzipped, zipped=False"] = (
                error_of(lambda: model.save(str(unzipped), zipped=False)).split(". ")[0]
                or f"a folder of {sorted(path.name for path in unzipped.iterdir())}"
            )
            refused = "Invalid filepath extension for saving"
            holds = (
                refused in said
                and not saved_model
                and refused in others["forecaster.txt"]
                and [others[name] for name in ("forecaster.keras", "forecaster.h5", "forecaster.hdf5")]
                == ["saved"] * 3
                and (unzipped / "config.json").is_file()
            )
            shown = f"{said.split('. ')[0]}; " + "; ".join(f"{name}: {what}" for name, what in others.items())
    return Evidence(holds, f"Keras {keras().__version__}, 'forecaster': {shown}")


@claim(
    "SAVE-WEIGHTS-SUFFIX",
    "Keras 3's `save_weights` refuses a file name that does not end in `.weights.h5` (`forecaster.h5` "
    "and `forecaster` were tried); Keras 2 took both. A `.weights.h5` file loads into a model built "
    "by the same code with `model.load_weights`, which then predicts exactly what the saved model did.",
    page="saving-and-serving.md#file-names-keras-3-insists-on",
)
def save_weights_suffix():
    model, x = forecaster(), sample(batch=4, timesteps=20, features=3)
    with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        refused = {
            name: error_of(lambda name=name: model.save_weights(str(Path(folder) / name)))
            for name in ("forecaster.h5", "forecaster")
        }
        path = str(Path(folder) / "forecaster.weights.h5")
        accepted = error_of(lambda: model.save_weights(path))
        rebuilt = forecaster()
        rebuilt.load_weights(path)
    same = np.array_equal(rebuilt.predict(x, verbose=0), model.predict(x, verbose=0))
    if is_keras_2():  # it took both names: nothing raised
        holds = not any(refused.values())
    else:
        holds = all("must end in `.weights.h5`" in said for said in refused.values())
    holds = holds and not accepted and same
    shown = "; ".join(f"{name}: {said.split('. ')[0] or 'written'}" for name, said in refused.items())
    return Evidence(
        holds,
        f"{shown}; forecaster.weights.h5: {accepted or 'written'}, loaded into a new model: same {same}",
    )


@claim(
    "WEIGHTS-FILE-HOLDS-OPTIMIZER-STATE",
    "In Keras 3, the `.weights.h5` file of a compiled model that has trained holds the optimizer's "
    "variables beside the layers' weights. `load_weights` into a new compiled model whose optimizer is "
    "not built yet warns ('Skipping variable loading for optimizer') and loads the layers' weights "
    "only: the model predicts what the saved one did, its optimizer starts at step 0. With the "
    "optimizer built first, it takes the saved state too.",
    page="saving-and-serving.md#file-names-keras-3-insists-on",
    depends_on="Keras 3",
)
def weights_file_holds_optimizer_state():
    if is_keras_2():
        raise NotApplicable("the statement is about Keras 3's .weights.h5 files")
    import h5py  # Keras 3 needs it to write .weights.h5 files

    def compiled():
        model = forecaster()
        model.compile(optimizer="adam", loss="mse")
        return model

    x = sample(batch=8, timesteps=5, features=3)
    trained = compiled()
    with with_gradients():
        trained.fit(x, np.zeros((8, 1), "float32"), epochs=1, batch_size=8, verbose=0)
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "forecaster.weights.h5")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # TensorFlow's variables under NumPy 2
            trained.save_weights(path)
        with h5py.File(path, "r") as file:
            held = sorted(file["optimizer/vars"]) if "optimizer/vars" in file else []
        fresh = compiled()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fresh.load_weights(path)
        built = compiled()
        built.optimizer.build(built.trainable_variables)
        built.load_weights(path)
    warned = [
        warning for warning in caught if "Skipping variable loading for optimizer" in str(warning.message)
    ]
    same = np.array_equal(fresh.predict(x, verbose=0), trained.predict(x, verbose=0))
    steps = [int(host_array(model.optimizer.iterations)) for model in (trained, fresh, built)]
    holds = len(held) == len(trained.optimizer.variables) > 0 and bool(warned) and same and steps == [1, 0, 1]
    return Evidence(
        holds,
        f"optimizer variables in the file: {len(held)} (the trained optimizer has "
        f"{len(trained.optimizer.variables)}); loaded into a new model: warned {bool(warned)}, same "
        f"predictions {same}; optimizer steps: saved {steps[0]}, new {steps[1]}, built first {steps[2]}",
    )


@claim(
    "EXPORT-SERVES-THE-SAME",
    "`model.export(path, format='tf_saved_model')` writes a SavedModel whose `serve` function, loaded "
    "with `tf.saved_model.load` and no Keras, gives the model's predictions; so does its signature "
    "`serving_default`.",
    page="saving-and-serving.md#exporting-for-serving",
    depends_on="Keras 3 on the TensorFlow backend: exporting from JAX or PyTorch is not checked here",
)
def export_serves_the_same():
    if importlib.util.find_spec("tensorflow") is None or is_keras_2():
        raise NotApplicable("model.export needs Keras 3 and TensorFlow installed")
    if backend() != "tensorflow":
        raise NotApplicable(f"the check exports from the TensorFlow backend; this one is {backend()}")
    import tensorflow as tf

    # random biases: with a new layer's zeros, a bias the export put in the wrong gate block would not show
    model = forecaster(bias_initializer=random_biases(), **NONZERO_LSTM_BIASES)
    x = sample(batch=4, timesteps=20, features=3)
    with tempfile.TemporaryDirectory() as folder:
        model.export(str(Path(folder) / "served"), format="tf_saved_model", verbose=False)
        served = tf.saved_model.load(str(Path(folder) / "served"))
        expected = model.predict(x, verbose=0)
        gap = float(np.max(np.abs(np.asarray(served.serve(x)) - expected)))
        by_signature = served.signatures["serving_default"](tf.constant(x))
    signed = float(np.max(np.abs(np.asarray(next(iter(by_signature.values()))) - expected)))
    return Evidence(
        gap <= 1e-6 and len(by_signature) == 1 and signed <= 1e-6,
        f"random biases; serve vs predict: largest difference {gap:.1e}; "
        f"serving_default: {sorted(by_signature)}, {signed:.1e}",
    )


@claim(
    "CUSTOM-LAYER-NEEDS-REGISTRATION",
    "A model file holds the name and config of a layer of the user's own class, not its code. "
    "`load_model` stops without the class ('Could not locate class ...'); it loads the model, with "
    "the same predictions, when the class is passed in `custom_objects` or was decorated with "
    "`@keras.saving.register_keras_serializable()` before the model was saved. Decorated only after "
    "saving, before loading, the class does not load the file, which stops with the same message: for a "
    "`Sequential`, both say the model 'could not be deserialized properly' and 'Could not locate class' "
    "with the layer's class name.",
    page="saving-and-serving.md#your-own-layers-and-code-in-a-model-file",
    depends_on="Keras 3",
)
def custom_layer_needs_registration():
    if is_keras_2():
        raise NotApplicable("the statement is about Keras 3's loader")

    class ScaledLSTM(keras().layers.LSTM):
        """An LSTM of the user's own: the class only, its behaviour is an LSTM's."""

    class RegisteredLSTM(keras().layers.LSTM):
        """The same, registered under the package name ``forecasting``."""

    class LateLSTM(keras().layers.LSTM):
        """The same, registered only after its model was saved."""

    registered = keras().saving.register_keras_serializable(package="forecasting")(RegisteredLSTM)
    x, said, gaps = sample(batch=4, timesteps=20, features=3), "", {}
    try:
        with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # TensorFlow's variables under NumPy 2
            for name, layer, options in (
                ("custom_objects", ScaledLSTM, {"custom_objects": {"ScaledLSTM": ScaledLSTM}}),
                ("registered", registered, {}),
            ):
                model = keras().Sequential([keras().Input((None, 3)), layer(8), keras().layers.Dense(1)])
                path = Path(folder) / f"{name}.keras"
                model.save(path)
                if "custom_objects" in options:  # first without them
                    said = error_of(lambda path=path: keras().saving.load_model(path))
                loaded = keras().saving.load_model(path, **options)
                same_class = type(loaded.layers[0]) is layer
                gap = float(np.max(np.abs(loaded.predict(x, verbose=0) - model.predict(x, verbose=0))))
                gaps[name] = gap if same_class else float("inf")
            late = Path(folder) / "late.keras"
            keras().Sequential([keras().Input((None, 3)), LateLSTM(8), keras().layers.Dense(1)]).save(late)
            keras().saving.register_keras_serializable(package="forecasting")(LateLSTM)
            late_said = error_of(lambda: keras().saving.load_model(late))
    finally:
        for name in ("RegisteredLSTM", "LateLSTM"):
            keras().saving.get_custom_objects().pop(f"forecasting>{name}", None)

    def parts(message, name):
        """The message's two statements, or None where the message lacks either."""
        outer = re.search(r"(\w+)'> could not be deserialized properly", message)  # "<class '...Sequential'>"
        inner = re.search(rf"Could not locate class '{name}'", message)
        return (f"{outer[1]} could not be deserialized properly", inner[0]) if outer and inner else None

    without, after = parts(said, "ScaledLSTM"), parts(late_said, "LateLSTM")
    holds = (
        without is not None
        and after is not None
        and without[0] == after[0]
        and all(gap == 0 for gap in gaps.values())
    )
    shown = "; ".join(f"{name}: largest difference {gap:.1e}" for name, gap in gaps.items())
    return Evidence(
        holds,
        f"without the class: {' ... '.join(without) if without else said[:200]}; {shown}; registered after "
        f"saving: {' ... '.join(after) if after else late_said[:200] or 'loaded'}",
    )


@claim(
    "SAFE-MODE-REFUSES-LAMBDA",
    "`load_model` refuses a model whose `Lambda` layer holds a Python lambda, in a `.keras` file and in a "
    "legacy `.h5` file that Keras 3 wrote, and in an `.h5` file that Keras 2 wrote ('Requested the "
    "deserialization of a `Lambda` layer whose `function` is a Python lambda'), because `safe_mode=True` is "
    "its default; with `safe_mode=False` it rebuilds the function from the file and loads the model, where "
    "the Python that reads the file is the version that wrote it.",
    page="saving-and-serving.md#your-own-layers-and-code-in-a-model-file",
    depends_on="Keras 3, and the files tf-keras 2.21 wrote (tests/fixtures/keras2_models)",
)
def safe_mode_refuses_lambda():
    if is_keras_2():
        raise NotApplicable("the statement is about Keras 3's loader")
    import h5py

    from glossary.claims.tasks.migrating_to_keras_3 import keras2_files

    written_by_keras_2 = keras2_files() / "lambda.h5"  # Dense(1), then Lambda(lambda h: 2.0 * h)
    layers, x = keras().layers, sample(batch=4, timesteps=20, features=3)
    model = keras().Sequential(
        [keras().Input((None, 3)), layers.LSTM(8), layers.Lambda(lambda h: 2.0 * h), layers.Dense(1)]
    )
    seen = {}
    with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings(), legacy_h5_advice_muted():
        warnings.simplefilter("ignore")  # the legacy format's advice, and NumPy 2's about variables
        for suffix in (".keras", ".h5"):
            path = Path(folder) / f"with_lambda{suffix}"
            model.save(path)
            said = error_of(lambda path=path: keras().saving.load_model(path))
            loaded = keras().saving.load_model(path, safe_mode=False)
            gap = float(np.max(np.abs(loaded.predict(x, verbose=0) - model.predict(x, verbose=0))))
            seen[suffix] = (said.split(". ")[0], gap)
        said = error_of(lambda: keras().saving.load_model(written_by_keras_2))
        with h5py.File(written_by_keras_2, "r") as stored:
            writer = str(stored.attrs["python_version"])
        gap = None  # the lambda is the writer's bytecode: another Python version cannot rebuild it
        if writer == f"{sys.version_info.major}.{sys.version_info.minor}":
            loaded = keras().saving.load_model(written_by_keras_2, safe_mode=False)
            kernel, bias = loaded.get_weights()
            rows = x[:, 0]  # (4, 3): the file's model reads 3 features, no timesteps
            gap = float(np.max(np.abs(loaded.predict(rows, verbose=0) - 2.0 * (rows @ kernel + bias))))
        seen[f".h5 by Keras 2, Python {writer}"] = (said.split(". ")[0], gap)
    refusal = "Requested the deserialization of a `Lambda` layer whose `function` is a Python lambda"
    keras_2_gap = seen[f".h5 by Keras 2, Python {writer}"][1]
    holds = (
        all(refusal in said for said, _ in seen.values())
        and seen[".keras"][1] == 0
        and seen[".h5"][1] == 0
        # 1e-6: Keras's product of 3 features with the kernel and NumPy's, each rounded to float32
        and (keras_2_gap is None or keras_2_gap <= 1e-6)
    )
    shown = "; ".join(
        f"{suffix}: {said}; unsafe: "
        + (f"largest difference {gap:.1e}" if gap is not None else "not rebuilt, another Python wrote it")
        for suffix, (said, gap) in seen.items()
    )
    return Evidence(holds, shown)


def _called_forecaster():
    """The forecaster, called once on a batch: Keras exports to ONNX only a model that was called."""
    model, x = forecaster(), sample(batch=4, timesteps=20, features=3)
    model(x)
    return model, x


@claim(
    "EXPORT-FORMAT-PACKAGES",
    "Keras 3.15.1's `model.export` needs a package that Keras does not install for `format='onnx'` "
    "(`tf2onnx` on TensorFlow, `jax2onnx` on JAX, `onnx` on PyTorch) and for `'openvino'` "
    "(`openvino`), for `'litert'` on PyTorch (`litert-torch`) and for `'tf_saved_model'` on JAX and "
    "PyTorch (`tensorflow`); it refuses `'litert'` on JAX, and `'torch'` on any backend but PyTorch. "
    "Without the package, the export stops and names it.",
    page="saving-and-serving.md#other-export-formats",
    depends_on="Keras 3; each part is decided where its package is missing, or installed and hidden "
    "from Keras for the export; `tensorflow` is not hidden, so on a set-up that has it besides JAX or "
    "PyTorch the `'tf_saved_model'` part is not decided",
)
def export_format_packages():
    if is_keras_2():
        raise NotApplicable("the statement is about Keras 3's model.export")
    here = backend()
    required = " ".join(importlib.metadata.requires("keras") or []).lower()
    model, _ = _called_forecaster()
    needed = ("onnx", "openvino", "litert", "tensorflow")
    seen, holds = {}, not any(package in required for package in needed)
    with tempfile.TemporaryDirectory() as folder:
        for format, file in EXPORT_FILES.items():
            package = EXPORT_NEEDS.get(format, {}).get(here)
            refused_on, refusal = EXPORT_REFUSED.get(format, (set(), ""))
            installed = package and importlib.util.find_spec(package) is not None
            if installed and package == "tensorflow":
                # the backend's own imports may need it: it cannot be hidden from Keras here
                seen[format] = f"{package} is installed here: not decided"
                continue
            if not package and here not in refused_on:
                continue  # nothing beyond the backend: the other claims of the page export it
            with quiet(), hidden_package(package) if installed else contextlib.nullcontext():
                said = error_of(
                    lambda format=format, file=file: model.export(
                        str(Path(folder) / file), format=format, verbose=False
                    )
                )
            expected = (
                refusal
                if here in refused_on
                else package.replace("_", "-")
                if format == "litert"
                else package
            )
            holds = holds and expected in said
            seen[format] = ("(hidden) " if installed else "") + (said.split(". ")[0][:120] or "exported")
    shown = "; ".join(f"{format}: {what}" for format, what in seen.items())
    return Evidence(holds, f"Keras {keras().__version__} on {here}, which requires none of them: {shown}")


@claim(
    "LITERT-OPEN-SHAPES-NEED-FLEX",
    "`model.export('forecaster.tflite', format='litert')` converts the forecaster, whose batch size "
    "and timesteps are left open, without an error, but the file uses Select TensorFlow ops "
    "(`FlexTensorListReserve`, ...): TensorFlow's `tf.lite.Interpreter` reads it and then fails in "
    "`allocate_tensors`, since it has no Flex delegate.",
    page="saving-and-serving.md#other-export-formats",
    depends_on="Keras 3 on the TensorFlow backend, TensorFlow 2.21's converter and interpreter",
)
def litert_open_shapes_need_flex():
    tf = litert_tensorflow()
    flatbuffer = litert_file(forecaster())
    flex = flex_ops(flatbuffer)
    interpreter = tflite_interpreter(tf, flatbuffer)
    with quiet():  # the interpreter says which delegate it made
        said = error_of(interpreter.allocate_tensors)
    return Evidence(
        bool(flex) and "Flex delegate" in said,
        f"Flex ops in the file: {flex}; allocate_tensors: {said.split('. ')[0] or 'allocated'}",
    )


@claim(
    "LITERT-FIXED-BATCH-RUNS",
    "Exported with its batch size fixed at 1 (`input_signature=[keras.InputSpec(shape=(1, None, 3))]`), "
    "the forecaster's LiteRT file holds no Flex op, and one `tf.lite.Interpreter`, resized in turn, runs "
    "it on sequences of 20 and of 5 timesteps with Keras's forecast to 1e-5. Fixing the timesteps "
    "alone, `(None, 20, 3)`, still brings Flex ops.",
    page="saving-and-serving.md#other-export-formats",
    depends_on="Keras 3 on the TensorFlow backend, TensorFlow 2.21's converter and interpreter",
)
def litert_fixed_batch_runs():
    tf = litert_tensorflow()
    keras3, model = keras(), forecaster()
    flatbuffer = litert_file(model, [keras3.InputSpec(shape=(1, None, 3), dtype="float32")])
    interpreter = tflite_interpreter(tf, flatbuffer)
    given = interpreter.get_input_details()[0]
    gaps = {}
    for timesteps in (20, 5):  # the same interpreter, given each length before it allocates
        x = sample(batch=1, timesteps=timesteps, features=3)
        interpreter.resize_tensor_input(given["index"], x.shape)
        with quiet():  # the interpreter says which delegate it made
            interpreter.allocate_tensors()
        interpreter.set_tensor(given["index"], x)
        interpreter.invoke()
        output = interpreter.get_tensor(interpreter.get_output_details()[0]["index"])
        gaps[timesteps] = float(np.max(np.abs(output - model.predict(x, verbose=0))))
    timesteps_only = flex_ops(litert_file(model, [keras3.InputSpec(shape=(None, 20, 3), dtype="float32")]))
    fixed = flex_ops(flatbuffer)
    shown = ", ".join(f"{timesteps} timesteps {gap:.1e}" for timesteps, gap in gaps.items())
    return Evidence(
        not fixed and max(gaps.values()) <= 1e-5 and bool(timesteps_only),
        f"batch of 1: Flex ops {fixed}, largest difference from Keras: {shown}; "
        f"(None, 20, 3): Flex ops {timesteps_only}",
    )


@claim(
    "ONNX-TORCH-OPEN-TIMESTEPS-WRONG",
    "On Keras's PyTorch backend, `format='onnx'` exports the forecaster, timesteps left open, as a "
    "model that takes any number of timesteps but computes from the first one only: for 20 "
    "timesteps, ONNX Runtime gives Keras's forecast of the first timestep alone, with no error. "
    "With the timesteps fixed in `input_signature`, `(None, 20, 3)`, it gives Keras's forecast to "
    "1e-5 and refuses another length.",
    page="saving-and-serving.md#other-export-formats",
    depends_on="Keras 3 on the PyTorch backend, with onnx and onnxruntime installed",
)
def onnx_torch_open_timesteps_wrong():
    if is_keras_2() or backend() != "torch":
        raise NotApplicable("the statement is about Keras's PyTorch backend")
    missing = [name for name in ("onnx", "onnxruntime") if importlib.util.find_spec(name) is None]
    if missing:
        raise NotApplicable(f"{' and '.join(missing)} not installed here")
    import onnxruntime

    model, x = _called_forecaster()
    keras3, results = keras(), {}
    with tempfile.TemporaryDirectory() as folder:
        for name, signature in (
            ("open", None),
            ("fixed", [keras3.InputSpec(shape=(None, 20, 3), dtype="float32")]),
        ):
            path = str(Path(folder) / f"{name}.onnx")
            with quiet():
                model.export(path, format="onnx", verbose=False, input_signature=signature)
            session = onnxruntime.InferenceSession(path)
            given = session.get_inputs()[0]
            results[name] = (given.shape, session.run(None, {given.name: x})[0])
            if name == "fixed":
                results["other length"] = error_of(
                    lambda session=session, given=given: session.run(None, {given.name: x[:, :5]})
                )
    forecast, first_step = model.predict(x, verbose=0), model.predict(x[:, :1], verbose=0)
    open_shape, open_output = results["open"]
    fixed_shape, fixed_output = results["fixed"]
    wrong = float(np.max(np.abs(open_output - forecast)))
    first = float(np.max(np.abs(open_output - first_step)))
    fixed = float(np.max(np.abs(fixed_output - forecast)))
    refused = "invalid dimensions" in results["other length"].lower()
    holds = wrong > 1e-2 and first <= 1e-5 and fixed <= 1e-5 and refused
    return Evidence(
        holds,
        f"open: input {open_shape}, off Keras's forecast by {wrong:.2f}, off its first-timestep forecast by "
        f"{first:.1e}; fixed: input {fixed_shape}, off by {fixed:.1e}; 5 timesteps: "
        f"{results['other length'].split(' for the following')[0] or 'ran'}",
    )


@claim(
    "TORCH-EXPORT-FIXES-OPEN-SIZES",
    "On Keras's PyTorch backend, `format='torch'` writes a `torch.export` program whose open sizes (the "
    "forecaster's batch and timesteps) are fixed at 1: loaded with `torch.export.load`, it refuses a batch "
    "of 4 sequences of 20 timesteps ('Guard failed'), and each of those sizes alone. With those sizes in "
    "`input_signature` it gives Keras's forecast to 1e-5.",
    page="saving-and-serving.md#other-export-formats",
    depends_on="Keras 3 on the PyTorch backend",
)
def torch_export_fixes_open_sizes():
    if is_keras_2() or backend() != "torch":
        raise NotApplicable("format='torch' exports from Keras's PyTorch backend only")
    import torch

    model, x = forecaster(), sample(batch=4, timesteps=20, features=3)
    keras3, programs = keras(), {}
    with tempfile.TemporaryDirectory() as folder:
        for name, signature in (
            ("open", None),
            ("given", [keras3.InputSpec(shape=(4, 20, 3), dtype="float32")]),
        ):
            path = str(Path(folder) / f"{name}.pt2")
            with quiet():
                model.export(path, format="torch", verbose=False, input_signature=signature)
            programs[name] = torch.export.load(path).module()
    # each open size on its own, so that a program that fixed only one of them would not pass
    refused = {
        shape: error_of(lambda shape=shape: programs["open"](torch.from_numpy(x[: shape[0], : shape[1]])))
        for shape in ((4, 20), (1, 20), (4, 1))
    }
    ones = programs["open"](torch.from_numpy(x[:1, :1])).detach().numpy()
    output = programs["given"](torch.from_numpy(x)).detach().numpy()
    gap = float(np.max(np.abs(output - model.predict(x, verbose=0))))
    at_one = float(np.max(np.abs(ones - model.predict(x[:1, :1], verbose=0))))
    shown = "; ".join(
        f"({batch}, {steps}, 3): {said.splitlines()[0][:60] if said else 'ran'}"
        for (batch, steps), said in refused.items()
    )
    return Evidence(
        all("Guard failed" in said for said in refused.values()) and at_one <= 1e-5 and gap <= 1e-5,
        f"open: {shown}; (1, 1, 3): off by {at_one:.1e}; given (4, 20, 3): off Keras's forecast by {gap:.1e}",
    )
