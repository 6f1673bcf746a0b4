"""Claims of the page "Windows from a series" (``docs/time-series-windows.md``)."""

from __future__ import annotations

import importlib.util
import inspect
import tempfile
import warnings
from pathlib import Path

import numpy as np

from glossary.claims.keras_backend import host_array, is_keras_2, keras
from glossary.claims.registry import Evidence, NotApplicable, claim
from glossary.claims.samples import error_of, process_stderr_dropped


def _windows_dataset(data, targets, **options) -> tuple[np.ndarray, np.ndarray | None]:
    """Every window (and target) that ``keras.utils.timeseries_dataset_from_array`` yields, in order."""
    if importlib.util.find_spec("tensorflow") is None:  # the utility builds a tf.data pipeline
        raise NotApplicable("keras.utils.timeseries_dataset_from_array needs TensorFlow installed")
    dataset = keras().utils.timeseries_dataset_from_array(data, targets, batch_size=1000, **options)
    batches = list(dataset)
    if targets is None:
        return np.concatenate([np.asarray(batch) for batch in batches]), None
    windows = np.concatenate([np.asarray(x) for x, _ in batches])
    return windows, np.concatenate([np.asarray(y) for _, y in batches])


@claim(
    "WINDOW-TARGET-IS-ITS-START",
    "`keras.utils.timeseries_dataset_from_array(data, targets, sequence_length=n)` pairs the window "
    "that starts at row `i` with `targets[i]`: to forecast the row after each window, pass "
    "`targets=data[n:]`, or `data[(n - 1) * r + 1:]` with `sampling_rate=r`; for the row `horizon` "
    "rows after each window's last, `data[(n - 1) * r + horizon:]`. Its windows are NumPy's sliding "
    "windows of `n` rows.",
    page="time-series-windows.md#with-the-keras-utility",
)
def window_target_is_its_start():
    data = np.arange(40, dtype="float32").reshape(20, 2)  # row r holds 2r and 2r + 1
    windows, targets = _windows_dataset(data, data[5:, 0], sequence_length=5)
    sliding = np.lib.stride_tricks.sliding_window_view(data, 5, axis=0).transpose(0, 2, 1)
    same = np.array_equal(windows, sliding[: len(windows)])
    after = all(targets[i] == data[i + 5, 0] for i in range(len(windows)))
    sampled, sampled_targets = _windows_dataset(
        data, data[(5 - 1) * 2 + 1 :, 0], sequence_length=5, sampling_rate=2
    )
    last_rows = sampled[:, -1, 0] // 2  # the row each window ends on
    after_sampled = bool(np.all(sampled_targets // 2 == last_rows + 1))
    ahead = {}  # (n, r, horizon): every target is the row `horizon` after its window's last
    for n, r, horizon in ((5, 1, 3), (5, 2, 3), (4, 3, 2)):
        windows_h, targets_h = _windows_dataset(
            data, data[(n - 1) * r + horizon :, 0], sequence_length=n, sampling_rate=r
        )
        ahead[(n, r, horizon)] = len(targets_h) > 0 and bool(
            np.all(targets_h // 2 == windows_h[:, -1, 0] // 2 + horizon)
        )
    return Evidence(
        same and after and after_sampled and all(ahead.values()),
        f"20 rows, windows of 5: first window rows 0-4, its target row {int(targets[0]) // 2}; windows "
        f"equal NumPy's: {same}; every other row: first window ends on row {int(last_rows[0])}, "
        f"its target is row {int(sampled_targets[0]) // 2}; (n, r, horizon) with every target "
        f"horizon rows after its window: {ahead}",
    )


@claim(
    "WINDOW-SPLIT-BY-INDEX",
    "With `targets=data[n:]`, `timeseries_dataset_from_array`'s `start_index=a` starts the first "
    "window at row `a`, and `end_index=e` ends the last window on row `e - 1`, whose target is row "
    "`e` itself. So `start_index=a, end_index=b - 1` gives windows that read and predict rows `a` to "
    "`b - 1` only, and a second set from `start_index=b` shares no row with them; with `end_index=b`, "
    "both sets use row `b`. A set from a `start_index` above 0 alone runs to the data's end, where "
    "the last window has no target: reading it stops with an error.",
    page="time-series-windows.md#splitting-without-leakage",
)
def window_split_by_index():
    rows = np.arange(60, dtype="float32")  # each row holds its own number
    n = 5

    def used(**bounds) -> tuple[int, int]:
        windows, targets = _windows_dataset(rows, rows[n:], sequence_length=n, **bounds)
        every = np.concatenate([windows.ravel(), targets])
        return int(every.min()), int(every.max())

    first_window, _ = _windows_dataset(rows, rows[n:], sequence_length=n, start_index=20, end_index=39)
    inside, after = used(start_index=20, end_index=39), used(start_index=40, end_index=54)
    naive = used(start_index=20, end_index=40)
    with process_stderr_dropped():  # TensorFlow logs the failed lookup before it raises
        to_the_end = error_of(lambda: used(start_index=40))
    holds = (
        first_window[0, 0] == 20
        and first_window[-1, -1] == 38
        and inside == (20, 39)
        and after[0] == 40
        and naive == (20, 40)
        and to_the_end.startswith("InvalidArgumentError")  # tf.data's, as the dataset is read
    )
    return Evidence(
        holds,
        f"60 rows, windows of {n}: start_index=20, end_index=39: first window from row "
        f"{int(first_window[0, 0])}, last ends on row {int(first_window[-1, -1])}, rows used {inside}; "
        f"from start_index=40: {after}; with end_index=40 instead: {naive}; from start_index=40 "
        f"alone: {to_the_end.split(':')[0] or 'read'}",
    )


@claim(
    "WINDOW-COUNT",
    "A series of `T` rows gives `T - n + 1` windows of `n` rows, and `T - n` of them when each needs "
    "the next row as its target: NumPy's sliding windows and Keras's utility alike.",
    page="time-series-windows.md#by-hand-in-numpy",
)
def window_count():
    shown, holds = [], True
    for rows, length in ((20, 5), (31, 8), (9, 1)):
        data = np.arange(rows * 2, dtype="float32").reshape(rows, 2)
        by_hand = len(np.lib.stride_tricks.sliding_window_view(data, length, axis=0))
        with_next = sum(start + length < rows for start in range(by_hand))  # a row after the window
        alone, _ = _windows_dataset(data, None, sequence_length=length)
        paired, _ = _windows_dataset(data, data[length:, 0], sequence_length=length)
        expected = (rows - length + 1, rows - length)
        holds = holds and (by_hand, with_next) == (len(alone), len(paired)) == expected
        shown.append(
            f"{rows} rows, windows of {length}: NumPy {by_hand}, Keras {len(alone)}; "
            f"with the next row as target: NumPy {with_next}, Keras {len(paired)}"
        )
    return Evidence(holds, "; ".join(shown))


@claim(
    "WINDOW-STRIDE-AND-RATE",
    "`sequence_stride=s` starts a window every `s` rows; `sampling_rate=r` keeps every `r`-th row "
    "inside a window.",
    page="time-series-windows.md#with-the-keras-utility",
)
def window_stride_and_rate():
    data = np.arange(12, dtype="float32")[:, None]
    windows, _ = _windows_dataset(data, None, sequence_length=3, sequence_stride=4, sampling_rate=2)
    rows = windows[:, :, 0].astype(int).tolist()
    return Evidence(rows == [[0, 2, 4], [4, 6, 8]], f"rows 0-11, stride 4, rate 2: {rows}")


@claim(
    "NORMALIZATION-PER-FEATURE",
    "`keras.layers.Normalization(axis=-1)`, adapted to some rows, scales each feature by that "
    "feature's own mean and standard deviation over those rows.",
    page="time-series-windows.md#scaling-from-the-training-rows",
)
def normalization_per_feature():
    rows = np.random.default_rng(0).normal([10.0, 1000.0], [2.0, 50.0], size=(200, 2)).astype("float32")
    layer = keras().layers.Normalization(axis=-1)
    layer.adapt(rows)
    expected = (rows - rows.mean(axis=0)) / rows.std(axis=0)
    gap = float(np.max(np.abs(host_array(layer(rows)) - expected)))
    # float32: a feature near 1000 is stored to about 6e-5; scaled by its std (50), about 1e-6.
    return Evidence(
        gap < 1e-4, f"features near 10 and 1000: largest difference from (x - mean) / std {gap:.1e}"
    )


@claim(
    "WINDOWS-FORMAT-TF-OR-GRAIN",
    "`keras.utils.timeseries_dataset_from_array` returns a `tf.data.Dataset` by default "
    '(`format="tf"`), which needs TensorFlow. Keras 3.15 also takes `format="grain"`, which its '
    "documentation says returns a Grain dataset that needs no TensorFlow (Grain is not installed here, "
    "so that is read, not run); Keras 2 has only the first.",
    page="time-series-windows.md#with-the-keras-utility",
    depends_on="Keras 3.15's format argument; Keras 2 (tf-keras) has none",
)
def windows_format_tf_or_grain():
    utility = keras().utils.timeseries_dataset_from_array
    parameters = inspect.signature(utility).parameters
    said = " ".join((inspect.getdoc(utility) or "").split())
    default = parameters["format"].default if "format" in parameters else None
    grain = "Grain datasets are framework-agnostic" in said and "without requiring TensorFlow" in said
    documented = (default is None and not grain) if is_keras_2() else (default == "tf" and grain)
    if importlib.util.find_spec("tensorflow") is not None:
        import tensorflow as tf

        dataset = utility(np.zeros((4, 1), "float32"), None, sequence_length=2)
        by_default, ran = isinstance(dataset, tf.data.Dataset), "returned a tf.data.Dataset"
    else:  # without TensorFlow, the default refuses to run
        refusal = error_of(lambda: utility(np.zeros((4, 1), "float32"), None, sequence_length=2))
        by_default, ran = "tensorflow" in refusal, f"without TensorFlow: {refusal}"
    return Evidence(
        documented and by_default,
        f"Keras {keras().__version__}: format's default {default!r}; documents a Grain dataset without "
        f"TensorFlow: {grain}; the default call {ran}: {by_default}",
    )


@claim(
    "NORMALIZATION-SAVED-WITH-MODEL",
    "An adapted `Normalization` layer inside a model is saved with it: loaded back from its `.keras` "
    "file, the model scales raw readings exactly as before, with no call to `adapt`.",
    page="time-series-windows.md#scaling-from-the-training-rows",
)
def normalization_saved_with_model():
    rows = np.random.default_rng(1).normal([10.0, 1000.0], [2.0, 50.0], size=(50, 2)).astype("float32")
    normalize = keras().layers.Normalization(axis=-1)
    normalize.adapt(rows)
    model = keras().Sequential([keras().Input((2,)), normalize])
    with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # TensorFlow's variables under NumPy 2
        path = str(Path(folder) / "scaler.keras")
        model.save(path)
        loaded = keras().models.load_model(path)
    same = bool(np.array_equal(host_array(loaded(rows)), host_array(model(rows))))
    scaled = float(np.max(np.abs(host_array(loaded(rows)).mean(axis=0))))
    return Evidence(
        same and scaled < 1e-3,
        f"loaded model's output equal to the original's: {same}; its mean over the adapted rows {scaled:.1e}",
    )
