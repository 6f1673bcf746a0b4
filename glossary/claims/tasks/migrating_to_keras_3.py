"""Claims of the page "Upgrade from Keras 2 to Keras 3" (``docs/migrating-to-keras-3.md``).

Each statement says what Keras 3 does and what Keras 2 (``tf-keras``) did, and the check expects
whichever the Keras it runs on is: on the compatibility matrix, both halves are tested. What Keras 3
makes of files that Keras 2 wrote is decided on files that tf-keras 2.21 wrote, kept in the
repository (``tests/fixtures/keras2_models``, with the ``make.py`` that wrote them), and, for a
SavedModel folder, on the Keras 2 set-up, where tf-keras writes one and Keras 3 reads it.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import tempfile
import warnings
import zipfile
from pathlib import Path

import numpy as np

from glossary.claims.keras_backend import backend, host_array, is_keras_2, keras, tensor, with_gradients
from glossary.claims.registry import Evidence, NotApplicable, claim
from glossary.claims.samples import error_of, legacy_h5_advice_muted, sample


@claim(
    "NO-CUDNN-LAYERS",
    "Neither Keras 3 nor Keras 2 as `tf-keras` has `keras.layers.CuDNNLSTM` or `CuDNNGRU` (they "
    "lived in standalone Keras 2.3 and earlier, and in TensorFlow 1's `tf.keras`): `LSTM` and `GRU` "
    "take the cuDNN kernel themselves.",
    page="migrating-to-keras-3.md#removed-layers-and-arguments",
)
def no_cudnn_layers():
    found = {name: hasattr(keras().layers, name) for name in ("CuDNNLSTM", "CuDNNGRU")}
    return Evidence(not any(found.values()), f"Keras {keras().__version__}: {found}")


@claim(
    "TIME-MAJOR-REMOVED",
    "Keras 3's `LSTM` refuses `time_major`: 'Unrecognized keyword arguments passed to LSTM'. "
    "Keras 2 accepted it.",
    page="migrating-to-keras-3.md#removed-layers-and-arguments",
)
def time_major_removed():
    said = error_of(lambda: keras().layers.LSTM(4, time_major=True))
    refused = "Unrecognized keyword arguments passed to LSTM" in said
    return Evidence(refused != is_keras_2(), said or f"Keras {keras().__version__} accepts time_major")


@claim(
    "LR-ARGUMENT-REFUSED",
    "Keras 3's optimizers refuse `lr=`: 'Argument(s) not recognized'; the argument is `learning_rate`.",
    page="migrating-to-keras-3.md#removed-layers-and-arguments",
    depends_on="Keras 3",
)
def lr_argument_refused():
    if is_keras_2():
        raise NotApplicable("the statement is about Keras 3's optimizers")
    said = error_of(lambda: keras().optimizers.Adam(lr=0.01))
    accepted = not error_of(lambda: keras().optimizers.Adam(learning_rate=0.01))
    return Evidence("Argument(s) not recognized: {'lr': 0.01}" in said and accepted, said)


@claim(
    "FIT-GENERATOR-REMOVED",
    "Keras 3's models have no `fit_generator`, `evaluate_generator` or `predict_generator`, and `fit` "
    "refuses their `workers` argument; `fit` takes the generator itself. Keras 2 still had them.",
    page="migrating-to-keras-3.md#removed-layers-and-arguments",
)
def fit_generator_removed():
    model = keras().Sequential([keras().Input((3,)), keras().layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    names = ("fit_generator", "evaluate_generator", "predict_generator")
    found = {name: hasattr(model, name) for name in names}

    def batches():
        while True:
            yield np.ones((4, 3), "float32"), np.zeros((4, 1), "float32")

    with with_gradients():
        history = model.fit(batches(), steps_per_epoch=3, shuffle=False, verbose=0)
        workers = error_of(
            lambda: model.fit(batches(), steps_per_epoch=1, shuffle=False, workers=2, verbose=0)
        )
    refused = "unexpected keyword argument 'workers'" in workers
    holds = all(has == is_keras_2() for has in found.values()) and len(history.history["loss"]) == 1
    holds = holds and refused != is_keras_2()
    return Evidence(
        holds,
        f"Keras {keras().__version__}: {found}; fit on a generator ran; workers=2: {workers or 'accepted'}",
    )


def _keras3_tensorflow():
    """Keras 3 on the TensorFlow backend, the only one whose ``TFSMLayer`` reads a SavedModel."""
    if is_keras_2() or importlib.util.find_spec("tensorflow") is None or backend() != "tensorflow":
        raise NotApplicable("the check writes the SavedModel with Keras 3 on the TensorFlow backend")
    return keras()


@claim(
    "SAVEDMODEL-FOLDER-REFUSED",
    "Keras 3's `load_model` refuses a TensorFlow SavedModel folder ('File format not supported'). "
    "On the TensorFlow backend, `keras.layers.TFSMLayer` wraps the folder as one layer, with none of "
    "the saved model's layers inside it, that computes the model's outputs.",
    page="migrating-to-keras-3.md#savedmodel-folders",
    depends_on="Keras 3 on the TensorFlow backend (TFSMLayer refuses the others)",
)
def savedmodel_folder_refused():
    keras3 = _keras3_tensorflow()
    model, x = keras3.Sequential([keras3.Input((7, 5)), keras3.layers.LSTM(4)]), sample()
    with tempfile.TemporaryDirectory() as folder:
        model.export(folder, format="tf_saved_model", verbose=False)
        said = error_of(lambda: keras3.saving.load_model(folder))
        layer = keras3.layers.TFSMLayer(folder, call_endpoint="serve")
        inputs = keras3.Input((7, 5))
        wrapped = keras3.Model(inputs, layer(inputs))
        served = host_array(wrapped(x))
    gap = float(np.max(np.abs(served - host_array(model(x)))))
    inside = [type(each).__name__ for each in wrapped.layers]
    one_layer = inside == ["InputLayer", "TFSMLayer"] and not hasattr(layer, "layers")
    holds = "File format not supported" in said and one_layer and gap <= 1e-6
    refusal = said.split(":")[0] + ":" + said.split(":")[1] if said else "loaded"  # without the folder's path
    return Evidence(
        holds,
        f"{refusal}; wrapped: {inside}, {len(layer.weights)} weights; TFSMLayer vs the model: {gap:.1e}",
    )


SCOPE_NAME_REFUSED = "is not a valid scope name"
"""What Keras 3.15.1 says when an optimizer names its variable after a TFSMLayer weight (``...:0``)."""


@claim(
    "TFSMLAYER-TRAINS-WITH-PLAIN-SGD",
    "In Keras 3.15.1, `fit` trains the weights of a `TFSMLayer` with plain SGD (the loss goes down), "
    "but stops with an optimizer that keeps a variable for each weight (SGD with momentum, Adam and "
    "RMSprop tried): the layer's weights keep TensorFlow's ':0' in their names, which the "
    "optimizer's variable names then carry ('...:0_momentum' is not a valid scope name).",
    page="migrating-to-keras-3.md#savedmodel-folders",
    depends_on="Keras 3 on the TensorFlow backend; the refusal is a fault of Keras 3.15.1",
)
def tfsmlayer_trains_with_plain_sgd():
    keras3 = _keras3_tensorflow()
    x, y = sample(batch=8), sample(batch=8, timesteps=1, features=4, seed=1)[:, 0]
    model = keras3.Sequential([keras3.Input((7, 5)), keras3.layers.LSTM(4, name="lstm")], name="model")
    optimizers = {
        "SGD": lambda: keras3.optimizers.SGD(learning_rate=0.1),
        "SGD(momentum=0.9)": lambda: keras3.optimizers.SGD(learning_rate=0.1, momentum=0.9),
        "Adam": keras3.optimizers.Adam,
        "RMSprop": keras3.optimizers.RMSprop,
    }
    seen, names = {}, []
    with tempfile.TemporaryDirectory() as folder:
        model.export(folder, format="tf_saved_model", verbose=False)
        for name, optimizer in optimizers.items():
            layer = keras3.layers.TFSMLayer(folder, call_endpoint="serve")
            names = [weight.name for weight in layer.trainable_weights]
            inputs = keras3.Input((7, 5))
            wrapped = keras3.Model(inputs, layer(inputs))
            wrapped.compile(optimizer=optimizer(), loss="mse")
            before = wrapped.evaluate(x, y, verbose=0)
            said = error_of(lambda wrapped=wrapped: wrapped.fit(x, y, epochs=3, verbose=0))
            after = wrapped.evaluate(x, y, verbose=0)
            seen[name] = said.split(". ")[0] if said else (before, after)
    plain = seen["SGD"]
    trains = isinstance(plain, tuple) and plain[1] < plain[0]
    refused = [name for name, what in seen.items() if isinstance(what, str) and SCOPE_NAME_REFUSED in what]
    named = bool(names) and all(":0" in name for name in names)
    shown = "; ".join(
        f"{name}: loss {what[0]:.4f} -> {what[1]:.4f}" if isinstance(what, tuple) else f"{name}: {what}"
        for name, what in seen.items()
    )
    return Evidence(trains and refused == list(optimizers)[1:] and named, f"weights {names}; {shown}")


@claim(
    "KERAS2-SAVEDMODEL-SERVING-DEFAULT",
    "Keras 2's `model.save('folder')` (tf-keras 2.21) writes a SavedModel whose one signature, "
    "`serving_default`, takes the batch under the name of the model's Input layer and returns a dict "
    "keyed by the name of its last layer. Keras 3's `load_model` refuses the folder, and so does "
    "`keras.layers.TFSMLayer(folder)`, whose default endpoint, `serve`, is not there; with "
    "`call_endpoint='serving_default'` it returns that dict, holding tf-keras's predictions, and "
    "`fit` with plain SGD trains the layer's weights (the loss goes down).",
    page="migrating-to-keras-3.md#savedmodel-folders",
    depends_on="tf-keras 2.21 to write the folder and Keras 3 on TensorFlow beside it to read it: the "
    "Keras 2 set-up, where TensorFlow 2.21 installs both",
)
def keras2_savedmodel_serving_default():
    if not is_keras_2():
        raise NotApplicable("tf-keras writes the folder: the check runs on the Keras 2 set-up")
    keras3 = importlib.import_module("keras")  # installed with TensorFlow, beside tf-keras
    if not keras3.__version__.startswith("3.") or keras3.backend.backend() != "tensorflow":
        raise NotApplicable(
            f"Keras {keras3.__version__} on {keras3.backend.backend()} has no TFSMLayer to read it"
        )
    import tensorflow as tf

    keras2, x = keras(), sample()
    inputs = keras2.Input((7, 5), name="readings")
    model = keras2.Model(inputs, keras2.layers.Dense(1, name="forecast")(keras2.layers.LSTM(4)(inputs)))
    with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.save(folder)  # Keras 2: a SavedModel folder
        signatures = tf.saved_model.load(folder).signatures
        serving = signatures["serving_default"]
        takes, gives = sorted(serving.structured_input_signature[1]), sorted(serving.structured_outputs)
        refused = error_of(lambda: keras3.saving.load_model(folder))
        no_serve = error_of(lambda: keras3.layers.TFSMLayer(folder))
        outputs = keras3.layers.TFSMLayer(folder, call_endpoint="serving_default")(x)
        trained = _sgd_losses(keras3, keras3.layers.TFSMLayer(folder, call_endpoint="serving_default"))
    gap = float(np.max(np.abs(np.asarray(outputs["forecast"]) - model.predict(x, verbose=0))))
    holds = list(signatures) == ["serving_default"] and takes == ["readings"] and gives == ["forecast"]
    holds = holds and "File format not supported" in refused and "'serve' is neither" in no_serve
    holds = holds and sorted(outputs) == ["forecast"] and gap <= 1e-6 and trained[1] < trained[0]
    return Evidence(
        holds,
        f"tf-keras {keras2.__version__}: signatures {list(signatures)}, input {takes}, outputs {gives}; "
        f"Keras {keras3.__version__}: load_model: {refused.split(': filepath')[0]}; TFSMLayer(folder): "
        f"{no_serve.split('. ')[0]}; serving_default: {sorted(outputs)}, vs tf-keras {gap:.1e}; "
        f"plain SGD: loss {trained[0]:.4f} -> {trained[1]:.4f}",
    )


def _sgd_losses(keras3, layer) -> tuple[float, float]:
    """The loss of a model around a Keras 2 folder's ``TFSMLayer``, before and after `fit` with SGD."""
    x, y = sample(batch=8), sample(batch=8, timesteps=1, features=1, seed=1)[:, 0]
    inputs = keras3.Input((7, 5))
    wrapped = keras3.Model(inputs, layer(inputs)["forecast"])
    wrapped.compile(optimizer=keras3.optimizers.SGD(learning_rate=0.1), loss="mse")
    before = wrapped.evaluate(x, y, verbose=0)
    wrapped.fit(x, y, epochs=3, verbose=0)
    return before, wrapped.evaluate(x, y, verbose=0)


KERAS2_MODELS = {
    "lstm": ("LSTM", "Sequential"),
    "gru": ("GRU", "Sequential"),
    "bilstm": ("Bidirectional LSTM", "Sequential"),
    "lstm_functional": ("LSTM", "functional"),
}
"""The model files tf-keras 2.21 wrote: what each holds (Dense(1) after it) and how it was built."""


def keras2_files() -> Path:
    """The folder of model files that tf-keras 2.21 wrote, with its make.py and expected.json.

    It is the repository's ``tests/fixtures/keras2_models``: an installed package without the
    repository cannot decide the claims that read it.
    """
    import glossary

    folder = Path(glossary.__file__).resolve().parent.parent / "tests" / "fixtures" / "keras2_models"
    if not (folder / "expected.json").is_file():
        raise NotApplicable("the files tf-keras wrote are in the repository (tests/fixtures/keras2_models)")
    return folder


def written_by(path: Path) -> str:
    """The Keras version a model file says it was written by."""
    if path.suffix == ".keras":
        with zipfile.ZipFile(path) as archive:
            return json.loads(archive.read("metadata.json"))["keras_version"]
    import h5py

    with h5py.File(path, "r") as stored:
        version = stored.attrs["keras_version"]
    return version.decode() if isinstance(version, bytes) else str(version)


def keras3_twin(name: str):
    """The model of ``name``'s file, built again with Keras 3's layers: same kinds, sizes and order."""
    layers = keras().layers
    recurrent = {
        "lstm": lambda: layers.LSTM(3),
        "gru": lambda: layers.GRU(3),
        "bilstm": lambda: layers.Bidirectional(layers.LSTM(3)),
    }[name.removesuffix("_functional")]
    if name.endswith("_functional"):
        inputs = keras().Input((6, 3))
        return keras().Model(inputs, layers.Dense(1)(recurrent()(inputs)))
    return keras().Sequential([keras().Input((6, 3)), recurrent(), layers.Dense(1)])


@claim(
    "KERAS2-RECURRENT-FILES-REFUSED",
    "Keras 3.15.1's `load_model` refuses the recurrent models that tf-keras 2.21 saved, as `.h5` and as "
    "`.keras` files: a Sequential model of an LSTM, of a GRU or of a Bidirectional LSTM, each with a "
    "Dense layer after it, stops with 'Unrecognized keyword arguments passed to LSTM: "
    "{'time_major': False}' (GRU for the GRU), an argument tf-keras writes and Keras 3 dropped. The "
    "same LSTM model built with the functional API loads from neither: from `.h5` with that error, "
    "from `.keras` with 'Could not locate class 'Functional'': Keras 3 has a class of that name, but "
    "the file records it under tf-keras's own module, `tf_keras.src.engine.functional`.",
    page="migrating-to-keras-3.md#files-that-keras-2-saved",
    depends_on="Keras 3, reading the files tf-keras 2.21 wrote (tests/fixtures/keras2_models)",
)
def keras2_recurrent_files_refused():
    if is_keras_2():
        raise NotApplicable("the statement is about Keras 3 reading files that Keras 2 wrote")
    folder = keras2_files()
    said, versions = {}, set()
    for name, (kind, built) in KERAS2_MODELS.items():
        for suffix in (".h5", ".keras"):
            path = folder / f"{name}{suffix}"
            versions.add(written_by(path))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                message = error_of(lambda path=path: keras().saving.load_model(path))
            said[path.name] = message.split(". ")[0]
            layer = "GRU" if kind == "GRU" else "LSTM"
            expected = (
                "TypeError: Could not locate class 'Functional'"
                if (built, suffix) == ("functional", ".keras")
                else f"ValueError: Unrecognized keyword arguments passed to {layer}: {{'time_major': False}}"
            )
            said[path.name] = (said[path.name], said[path.name] == expected)
    with zipfile.ZipFile(folder / "lstm_functional.keras") as archive:
        recorded = json.loads(archive.read("config.json"))
    module, named = recorded.get("module"), recorded.get("class_name")
    has_its_own = hasattr(importlib.import_module("keras.src.models.functional"), "Functional")
    holds = (
        versions == {"2.21.0"}
        and all(matches for _, matches in said.values())
        and (module, named) == ("tf_keras.src.engine.functional", "Functional")
        and has_its_own
    )
    grouped: dict[str, list[str]] = {}
    for file, (message, _) in said.items():
        grouped.setdefault(message or "loaded", []).append(file)
    shown = "; ".join(f"{', '.join(files)}: {message}" for message, files in grouped.items())
    return Evidence(
        holds,
        f"files written by Keras {sorted(versions)}; Keras {keras().__version__}: {shown}; "
        f"lstm_functional.keras records class {named} of module {module}; Keras 3 has a Functional "
        f"class: {has_its_own}",
    )


@claim(
    "KERAS2-RECURRENT-WEIGHTS-LOAD",
    "The same models built again with Keras 3's layers (the same kinds, sizes and order) take the "
    "weights of those tf-keras 2.21 files with `model.load_weights(path)`, from `.h5` and `.keras` "
    "alike, the Bidirectional LSTM and the functional model included, and predict what tf-keras "
    "predicted, to 1e-6.",
    page="migrating-to-keras-3.md#files-that-keras-2-saved",
    depends_on="Keras 3, reading the files tf-keras 2.21 wrote (tests/fixtures/keras2_models)",
)
def keras2_recurrent_weights_load():
    if is_keras_2():
        raise NotApplicable("the statement is about Keras 3 reading files that Keras 2 wrote")
    folder = keras2_files()
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    x = np.asarray(expected["x"], "float32")
    gaps = {}
    for name in KERAS2_MODELS:
        for suffix in (".h5", ".keras"):
            model = keras3_twin(name)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)  # TensorFlow's variables under NumPy 2
                model.load_weights(folder / f"{name}{suffix}")
            predicted = host_array(model.predict(x, verbose=0))
            gaps[f"{name}{suffix}"] = float(np.max(np.abs(predicted - np.asarray(expected[name], "float32"))))
    worst = max(gaps, key=gaps.get)
    return Evidence(
        all(gap <= 1e-6 for gap in gaps.values()),
        f"{len(gaps)} files of tf-keras {expected['keras_version']}; largest difference from its "
        f"predictions: {gaps[worst]:.1e} ({worst})",
    )


@claim(
    "HARD-SIGMOID-CHANGED",
    "`hard_sigmoid` changed meaning: Keras 3 computes `x / 6 + 1/2` clipped to [0, 1], Keras 2 "
    "computed `0.2 x + 1/2` clipped, so `hard_sigmoid(1)` is 0.667 in one and 0.7 in the other.",
    page="migrating-to-keras-3.md#an-activation-that-changed-meaning",
)
def hard_sigmoid_changed():
    z = np.array([-1.0, 1.0, 2.0], "float32")
    values = [round(float(value), 4) for value in host_array(keras().activations.hard_sigmoid(tensor(z)))]
    expected = np.clip(0.2 * z + 0.5, 0, 1) if is_keras_2() else np.clip(z / 6 + 0.5, 0, 1)
    holds = np.allclose(values, expected, atol=1e-4)  # the values are rounded to 4 decimals
    return Evidence(holds, f"Keras {keras().__version__}: hard_sigmoid({z.tolist()}) = {values}")


@claim(
    "OLD-HARD-SIGMOID-WEIGHTS-DIFFER",
    "An LSTM or a GRU whose config names `recurrent_activation='hard_sigmoid'` gets Keras 3's own "
    "`hard_sigmoid`, with no error or warning, so the same weights compute other numbers than with "
    "Keras 2's hard sigmoid, which models saved by Keras 2.2 and earlier use by default.",
    page="migrating-to-keras-3.md#an-activation-that-changed-meaning",
    depends_on="Keras 3 (in Keras 2 the two functions are the same)",
)
def old_hard_sigmoid_weights_differ():
    if is_keras_2():
        raise NotApplicable("in Keras 2, hard_sigmoid is Keras 2's hard sigmoid")
    ops = keras().ops
    x = sample()
    found = {}
    for kind in ("LSTM", "GRU"):
        layer_class = getattr(keras().layers, kind)
        config = layer_class(4, recurrent_activation="hard_sigmoid").get_config()
        with warnings.catch_warnings(record=True) as given:
            warnings.simplefilter("always")
            by_name = layer_class.from_config(config)  # as a loader rebuilds it from a file
            by_name.build(x.shape)
            by_name_output = host_array(by_name(x))
        own = by_name.cell.recurrent_activation is keras().activations.hard_sigmoid
        old = layer_class(4, recurrent_activation=lambda v: ops.clip(0.2 * v + 0.5, 0.0, 1.0))
        old.build(x.shape)
        old.set_weights(by_name.get_weights())
        gap = float(np.max(np.abs(by_name_output - host_array(old(x)))))
        said = [f"{warning.category.__name__}: {warning.message}" for warning in given]
        found[kind] = (own and not said and gap > 1e-3, own, said, gap)
    return Evidence(
        all(holds for holds, *_ in found.values()),
        "; ".join(
            f"{kind} from the config: Keras's own hard_sigmoid: {own}; warnings: {said or 'none'}; "
            f"largest difference between the two, same weights: {gap:.3f}"
            for kind, (_, own, said, gap) in found.items()
        ),
    )


@claim(
    "BIDIRECTIONAL-FUNCTION-NEEDS-SCOPE",
    "`Bidirectional` copies the layer it wraps through its config, so wrapping an LSTM whose "
    "`recurrent_activation` is a plain Python function fails (Keras 3: a `TypeError`; Keras 2: a "
    "`ValueError`, unknown activation function). Inside `custom_object_scope({name: function})`, with "
    "the function's own name as the key, it is built, with the function in both directions; under "
    "another key it fails as before.",
    page="migrating-to-keras-3.md#an-activation-that-changed-meaning",
)
def bidirectional_function_needs_scope():
    def keras2_hard_sigmoid(v):
        return (
            keras().backend.clip(0.2 * v + 0.5, 0.0, 1.0)
            if is_keras_2()
            else keras().ops.clip(0.2 * v + 0.5, 0.0, 1.0)
        )

    layers = keras().layers

    def wrapped():
        return layers.Bidirectional(layers.LSTM(4, recurrent_activation=keras2_hard_sigmoid))

    refused = error_of(wrapped)
    scope = (keras().utils if is_keras_2() else keras().saving).custom_object_scope
    with scope({"old_hard_sigmoid": keras2_hard_sigmoid}):  # the config holds the function's __name__
        misnamed = error_of(wrapped)
    with scope({"keras2_hard_sigmoid": keras2_hard_sigmoid}):
        layer = wrapped()
    directions = [
        layer.forward_layer.cell.recurrent_activation,
        layer.backward_layer.cell.recurrent_activation,
    ]
    expected = "ValueError" if is_keras_2() else "TypeError"
    holds = (
        refused.partition(":")[0] == expected
        and misnamed.partition(":")[0] == expected
        and all(f is keras2_hard_sigmoid for f in directions)
    )
    return Evidence(
        holds,
        f"without the scope: {refused[:160]}; under another key: {misnamed[:80]}; under its name, both "
        f"directions take the function: {all(f is keras2_hard_sigmoid for f in directions)}",
    )


@claim(
    "HARD-SIGMOID-CUSTOM-OBJECTS",
    "Loading a model whose LSTM names `hard_sigmoid`, `load_model(path, custom_objects={'hard_sigmoid': "
    "f})` ignores `f` for a `.keras` file (the layer gets Keras 3's own `hard_sigmoid`) and uses it "
    "for a legacy `.h5` file.",
    page="migrating-to-keras-3.md#an-activation-that-changed-meaning",
    depends_on="Keras 3",
)
def hard_sigmoid_custom_objects():
    if is_keras_2():
        raise NotApplicable("the statement is about Keras 3's loader")

    def keras2_hard_sigmoid(v):
        return keras().ops.clip(0.2 * v + 0.5, 0.0, 1.0)

    model = keras().Sequential(
        [keras().Input((7, 5)), keras().layers.LSTM(4, recurrent_activation="hard_sigmoid")]
    )
    got = {}
    with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings(), legacy_h5_advice_muted():
        warnings.simplefilter("ignore")  # the legacy format's advice, and NumPy 2's about variables
        for suffix in (".keras", ".h5"):
            path = Path(folder) / f"old{suffix}"
            model.save(path)
            loaded = keras().saving.load_model(path, custom_objects={"hard_sigmoid": keras2_hard_sigmoid})
            got[suffix] = loaded.layers[0].cell.recurrent_activation
    holds = got[".keras"] is keras().activations.hard_sigmoid and got[".h5"] is keras2_hard_sigmoid
    return Evidence(
        holds,
        "; ".join(
            f"{suffix}: {function.__name__} of {function.__module__}" for suffix, function in got.items()
        ),
    )


@claim(
    "MODEL-RESET-STATES-GONE",
    "Keras 3's `Model` has no `reset_states()`; Keras 2's had one, which reset every stateful layer.",
    page="migrating-to-keras-3.md#removed-layers-and-arguments",
)
def model_reset_states_gone():
    inputs = keras().Input(batch_shape=(3, 7, 5))
    model = keras().Model(inputs, keras().layers.LSTM(4, stateful=True)(inputs))
    has = hasattr(model, "reset_states")
    holds = has == is_keras_2()
    if has:  # Keras 2: it sets the layer's states, which a call changed, back to zeros
        model(sample())
        carried = all(np.any(host_array(state)) for state in model.layers[-1].states)
        model.reset_states()
        holds = holds and carried and all(not np.any(host_array(state)) for state in model.layers[-1].states)
    return Evidence(holds, f"Keras {keras().__version__}: Model.reset_states: {has}")


@claim(
    "INPUT-SHAPE-ARGUMENT-WARNS",
    "Keras 3 still accepts `input_shape=` on a layer, with a warning to start the model with "
    "`keras.Input(shape)` instead.",
    page="migrating-to-keras-3.md#arguments-that-still-work",
    depends_on="Keras 3",
)
def input_shape_argument_warns():
    if is_keras_2():
        raise NotApplicable("the statement is about Keras 3")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = keras().Sequential([keras().layers.LSTM(4, input_shape=(7, 5))])
    said = [str(warning.message) for warning in caught if "input_shape" in str(warning.message)]
    holds = bool(said) and tuple(model.output_shape) == (None, 4)
    return Evidence(
        holds, (said[0].split(". ")[0] if said else "no warning") + f"; output {model.output_shape}"
    )
