"""Claims of the page "Upgrade from Keras 2 to Keras 3" (``docs/migrating-to-keras-3.md``).

Each statement says what Keras 3 does and what Keras 2 (``tf-keras``) did, and the check expects
whichever the Keras it runs on is: on the compatibility matrix, both halves are tested.
"""

from __future__ import annotations

import importlib.util
import tempfile
import warnings

import numpy as np

from glossary.claims.keras_backend import backend, host_array, is_keras_2, keras, tensor, with_gradients
from glossary.claims.registry import Evidence, NotApplicable, claim
from glossary.claims.samples import error_of, sample


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


@claim(
    "SAVEDMODEL-FOLDER-REFUSED",
    "Keras 3's `load_model` refuses a TensorFlow SavedModel folder ('File format not supported'); "
    "`keras.layers.TFSMLayer` reads one, for inference only.",
    page="migrating-to-keras-3.md#saved-models",
    depends_on="Keras 3 with TensorFlow installed",
)
def savedmodel_folder_refused():
    if is_keras_2() or importlib.util.find_spec("tensorflow") is None or backend() != "tensorflow":
        raise NotApplicable("the check writes the SavedModel with Keras 3 on the TensorFlow backend")
    model, x = keras().Sequential([keras().Input((7, 5)), keras().layers.LSTM(4)]), sample()
    with tempfile.TemporaryDirectory() as folder:
        model.export(folder, format="tf_saved_model", verbose=False)
        said = error_of(lambda: keras().saving.load_model(folder))
        served = host_array(keras().layers.TFSMLayer(folder, call_endpoint="serve")(x))
    gap = float(np.max(np.abs(served - host_array(model(x)))))
    holds = "File format not supported" in said and gap <= 1e-6
    refusal = said.split(":")[0] + ":" + said.split(":")[1] if said else "loaded"  # without the folder's path
    return Evidence(holds, f"{refusal}; TFSMLayer vs the model: {gap:.1e}")


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
    "The same LSTM weights with `recurrent_activation='hard_sigmoid'` compute other numbers in "
    "Keras 3 than with Keras 2's hard sigmoid, which models saved by Keras 2.2 and earlier use by "
    "default.",
    page="migrating-to-keras-3.md#an-activation-that-changed-meaning",
    depends_on="Keras 3 (in Keras 2 the two functions are the same)",
)
def old_hard_sigmoid_weights_differ():
    if is_keras_2():
        raise NotApplicable("in Keras 2, hard_sigmoid is Keras 2's hard sigmoid")
    ops = keras().ops
    x = sample()
    by_name = keras().layers.LSTM(4, recurrent_activation="hard_sigmoid")
    old = keras().layers.LSTM(4, recurrent_activation=lambda v: ops.clip(0.2 * v + 0.5, 0.0, 1.0))
    by_name.build(x.shape)
    old.build(x.shape)
    old.set_weights(by_name.get_weights())
    gap = float(np.max(np.abs(host_array(by_name(x)) - host_array(old(x)))))
    return Evidence(gap > 1e-3, f"largest difference between the two, same weights: {gap:.3f}")


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
