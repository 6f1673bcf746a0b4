"""Claims of the page "Saving and serving" (``docs/saving-and-serving.md``)."""

from __future__ import annotations

import importlib.util
import tempfile
import warnings
from pathlib import Path

import numpy as np

from glossary.claims.keras_backend import backend, host_array, is_keras_2, keras, with_gradients
from glossary.claims.registry import Evidence, NotApplicable, claim
from glossary.claims.samples import error_of, sample


def forecaster():
    """The small model the page saves, exports and serves: an LSTM and a one-number forecast."""
    layers = keras().layers
    return keras().Sequential(
        [keras().Input((None, 3)), layers.LSTM(8, name="lstm"), layers.Dense(1, name="forecast")]
    )


@claim(
    "SAVE-LOAD-SAME-PREDICTIONS",
    "A trained model saved with `model.save('name.keras')` and loaded with "
    "`keras.saving.load_model` predicts exactly what the original predicts, and its optimizer "
    "state comes back with it.",
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
        restored = keras().saving.load_model(path)
    same = np.array_equal(restored.predict(x, verbose=0), model.predict(x, verbose=0))
    pairs = list(zip(restored.optimizer.variables, model.optimizer.variables, strict=True))
    kept = bool(pairs) and all(np.array_equal(host_array(a), host_array(b)) for a, b in pairs)
    return Evidence(
        same and kept, f"predictions identical: {same}; {len(pairs)} optimizer variables identical: {kept}"
    )


@claim(
    "SAVE-NEEDS-AN-EXTENSION",
    "Keras 3 refuses `model.save(path)` unless the path ends in `.keras` (or the legacy `.h5`): "
    "'Invalid filepath extension for saving'. Keras 2 wrote a SavedModel folder there.",
    page="saving-and-serving.md#file-names-keras-3-insists-on",
)
def save_needs_an_extension():
    model = forecaster()
    with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        said = error_of(lambda: model.save(str(Path(folder) / "forecaster")))
    refused = "Invalid filepath extension for saving" in said
    return Evidence(
        refused != is_keras_2(),
        f"Keras {keras().__version__}: {said.split('. ')[0] or 'saved without an error'}",
    )


@claim(
    "SAVE-WEIGHTS-SUFFIX",
    "Keras 3's `save_weights` refuses a file name that does not end in `.weights.h5`; Keras 2 took any name.",
    page="saving-and-serving.md#file-names-keras-3-insists-on",
)
def save_weights_suffix():
    model = forecaster()
    with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        refused = error_of(lambda: model.save_weights(str(Path(folder) / "forecaster.h5")))
        accepted = error_of(lambda: model.save_weights(str(Path(folder) / "forecaster.weights.h5")))
    holds = ("must end in `.weights.h5`" in refused) != is_keras_2() and not accepted
    return Evidence(
        holds,
        f"forecaster.h5: {refused.split('. ')[0] or 'written'}; forecaster.weights.h5: "
        f"{accepted or 'written'}",
    )


@claim(
    "EXPORT-SERVES-THE-SAME",
    "`model.export(path, format='tf_saved_model')` writes a SavedModel whose `serve` function, loaded "
    "with `tf.saved_model.load` and no Keras, gives the model's predictions.",
    page="saving-and-serving.md#exporting-for-serving",
    depends_on="Keras 3 on the TensorFlow backend: exporting from JAX or PyTorch is not checked here",
)
def export_serves_the_same():
    if importlib.util.find_spec("tensorflow") is None or is_keras_2():
        raise NotApplicable("model.export needs Keras 3 and TensorFlow installed")
    if backend() != "tensorflow":
        raise NotApplicable(f"the check exports from the TensorFlow backend; this one is {backend()}")
    import tensorflow as tf

    model, x = forecaster(), sample(batch=4, timesteps=20, features=3)
    with tempfile.TemporaryDirectory() as folder:
        model.export(str(Path(folder) / "served"), format="tf_saved_model", verbose=False)
        served = tf.saved_model.load(str(Path(folder) / "served"))
        gap = float(np.max(np.abs(np.asarray(served.serve(x)) - model.predict(x, verbose=0))))
    return Evidence(gap <= 1e-6, f"serve vs predict: largest difference {gap:.1e}")
