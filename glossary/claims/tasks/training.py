"""Claims of the page "Train an LSTM to forecast a time series" (``docs/training.md``)."""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import numpy as np

from glossary.claims.keras_backend import host_array, is_keras_2, keras, with_gradients
from glossary.claims.registry import Evidence, claim
from glossary.claims.samples import error_of

NOISE = 0.1
"""The standard deviation of the noise on the page's sine wave: its variance is the lowest
mean squared error any forecast can expect."""


def sine_windows(timesteps: int = 20) -> tuple[np.ndarray, ...]:
    """The page's data: windows of a noisy sine wave and the reading after each; train, then test."""
    steps = np.arange(1200)
    series = np.sin(0.1 * steps) + NOISE * np.random.default_rng(0).normal(size=steps.size)
    starts = np.arange(len(series) - timesteps)
    x = np.stack([series[start : start + timesteps] for start in starts])[:, :, None].astype("float32")
    y = series[starts + timesteps].astype("float32")
    return x[:900], y[:900], x[900:], y[900:]


def fit(model, *arguments, **options):
    """``model.fit`` with autograd on, which training needs and `checking` turns off on PyTorch."""
    with with_gradients():
        return model.fit(*arguments, **options)


def forecaster():
    model = keras().Sequential([keras().Input((20, 1)), keras().layers.LSTM(16), keras().layers.Dense(1)])
    model.compile(optimizer=keras().optimizers.Adam(learning_rate=0.01), loss="mse")
    return model


@claim(
    "TRAINED-BEATS-LAST-VALUE",
    "Trained for ten epochs on the page's noisy sine wave, `LSTM(16)` and `Dense(1)` forecast the "
    "next reading of unseen windows with a lower mean squared error than repeating the last "
    "reading, and no lower than the noise's variance.",
    page="training.md#evaluate-on-data-it-never-saw",
)
def trained_beats_last_value():
    x_train, y_train, x_test, y_test = sine_windows()
    model = forecaster()
    fit(model, x_train, y_train, epochs=10, batch_size=32, validation_split=0.2, verbose=0)
    test_mse = float(model.evaluate(x_test, y_test, verbose=0))
    last_value = float(np.mean((x_test[:, -1, 0] - y_test) ** 2))
    return Evidence(
        NOISE**2 < test_mse < last_value,
        f"test MSE {test_mse:.3g}; last reading {last_value:.3g}; noise variance {NOISE**2:.2g}",
    )


@claim(
    "FIT-HISTORY-PER-EPOCH",
    "`fit` takes one optimizer step per batch, and returns a `History` whose `.history` maps "
    "`loss`, and `val_loss` when there is validation data, to one value per epoch.",
    page="training.md#fit",
)
def fit_history_per_epoch():
    x_train, y_train, _, _ = sine_windows()
    model = forecaster()
    history = fit(
        model, x_train[:64], y_train[:64], epochs=3, batch_size=16, validation_split=0.25, verbose=0
    )
    lengths = {key: len(values) for key, values in history.history.items()}
    steps = int(host_array(model.optimizer.iterations))
    return Evidence(
        lengths == {"loss": 3, "val_loss": 3} and steps == 3 * 3,
        f"3 epochs of 48 training samples in batches of 16: {steps} steps; {lengths}",
    )


@claim(
    "VALIDATION-SPLIT-TAKES-LAST",
    "`validation_split` holds out the last samples given to `fit`, before any shuffling: "
    "`val_loss` is the loss on those samples.",
    page="training.md#fit",
)
def validation_split_takes_last():
    x_train, y_train, _, _ = sine_windows()
    x, y = x_train[:80], y_train[:80]
    model = forecaster()
    history = fit(model, x, y, epochs=1, batch_size=16, validation_split=0.25, shuffle=True, verbose=0)
    last, first = model.evaluate(x[-20:], y[-20:], verbose=0), model.evaluate(x[:20], y[:20], verbose=0)
    reported = history.history["val_loss"][0]
    return Evidence(
        # The first 20 must give another loss, or the check could not tell which samples were held out.
        abs(reported - last) <= 1e-6 * max(1.0, last) and abs(reported - first) > 1e-4,
        f"val_loss {reported:.6g}; loss on the last 20 samples {last:.6g}, on the first 20 {first:.6g}",
    )


@claim(
    "MSE-ALIGNS-TARGET-RANK",
    "Given targets shaped `(batch,)` and predictions shaped `(batch, 1)`, a model compiled with "
    '`loss="mse"` compares them sample by sample in `fit` and `evaluate`, in Keras 3 and in '
    "Keras 2. Called directly on the same NumPy arrays, Keras 3's `MeanSquaredError` does too, while "
    "Keras 2's broadcast them into a `(batch, batch)` grid.",
    page="training.md#compile",
)
def mse_aligns_target_rank():
    targets = np.array([0.0, 1.0, 2.0], "float32")
    predictions = np.array([[0.0], [1.0], [4.0]], "float32")
    per_sample = float(np.mean((targets - predictions[:, 0]) ** 2))
    broadcast = float(np.mean((targets[None, :] - predictions) ** 2))
    direct = float(host_array(keras().losses.MeanSquaredError()(targets, predictions)))
    # A model whose output is its input: it predicts `predictions`, shaped (batch, 1).
    model = keras().Sequential(
        [keras().Input((1,)), keras().layers.Dense(1, use_bias=False, kernel_initializer="ones")]
    )
    model.compile(optimizer=keras().optimizers.SGD(learning_rate=0.0), loss="mse")  # fit changes nothing
    evaluated = float(model.evaluate(predictions, targets, verbose=0))
    fitted = fit(model, predictions, targets, epochs=1, batch_size=3, verbose=0).history["loss"][0]
    expected = broadcast if is_keras_2() else per_sample
    return Evidence(
        abs(direct - expected) < 1e-6 and max(abs(evaluated - per_sample), abs(fitted - per_sample)) < 1e-6,
        f"Keras {keras().__version__}: evaluate {evaluated:.4f}, fit {fitted:.4f}, the loss called directly "
        f"{direct:.4f}; sample by sample {per_sample:.4f}; broadcast grid {broadcast:.4f}",
    )


@claim(
    "PREDICT-GIVES-NUMPY",
    "`model.predict(x)` returns a NumPy array; calling the model, `model(x)`, computes the same "
    "numbers and returns a tensor of the backend instead.",
    page="training.md#predict",
)
def predict_gives_numpy():
    model = forecaster()
    x = sine_windows()[2][:3]
    predicted, called = model.predict(x, verbose=0), model(x)
    gap = float(np.max(np.abs(predicted - host_array(called))))
    holds = isinstance(predicted, np.ndarray) and not isinstance(called, np.ndarray) and gap <= 1e-6
    return Evidence(
        holds,
        f"predict: {type(predicted).__module__}.{type(predicted).__name__}; "
        f"model(x): {type(called).__module__}.{type(called).__name__}; largest difference {gap:.1e}",
    )


@claim(
    "EVALUATE-RETURN-TYPE",
    "`evaluate` returns one float for a model compiled with a loss only, and a list, loss first, "
    "for a model compiled with metrics too.",
    page="training.md#evaluate-on-data-it-never-saw",
)
def evaluate_return_type():
    x_train, y_train, _, _ = sine_windows()
    alone = forecaster().evaluate(x_train[:32], y_train[:32], verbose=0)
    model = forecaster()
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    with_metric = model.evaluate(x_train[:32], y_train[:32], batch_size=32, verbose=0)
    # the order, from the predictions: mean squared error (the loss) first, mean absolute error second;
    # 1e-5 relative is float32 rounding of a mean of 32 terms, far below their difference here
    predicted = host_array(model.predict(x_train[:32], batch_size=32, verbose=0))
    errors = predicted.reshape(-1) - np.asarray(y_train[:32]).reshape(-1)  # one forecast per window
    expected = [float(np.mean(errors**2)), float(np.mean(np.abs(errors)))]
    in_order = (
        isinstance(with_metric, list)
        and len(with_metric) == 2
        and all(abs(got - want) <= 1e-5 * want for got, want in zip(with_metric, expected, strict=True))
    )
    holds = isinstance(alone, float) and in_order
    return Evidence(
        holds,
        f"loss only: {type(alone).__name__}; with a metric: {type(with_metric).__name__} "
        f"{[round(value, 6) for value in with_metric] if isinstance(with_metric, list) else with_metric}; "
        f"from the predictions, loss {expected[0]:.6g}, mae {expected[1]:.6g}",
    )


@claim(
    "EARLY-STOPPING-RESTORES-BEST",
    "`EarlyStopping(patience=p, restore_best_weights=True)` ends `fit` once `val_loss` has not "
    "improved for `p` epochs and leaves the model with the weights of its best epoch, not its last: "
    "evaluated on the validation data, the model gives the best epoch's `val_loss`.",
    page="training.md#stop-early-keep-the-best-epoch",
)
def early_stopping_restores_best():
    patience = 2
    val_losses, after = _worsening_fit(patience=patience, epochs=20)
    best = int(np.argmin(val_losses))
    return Evidence(
        # it stops at the p-th epoch without improvement, neither sooner nor later
        len(val_losses) == best + 1 + patience
        and min(val_losses[best + 1 :]) > val_losses[best]
        and _equal(after, val_losses[best]),
        f"{len(val_losses)} of 20 epochs ran; best val_loss {val_losses[best]:.6g} (epoch {best + 1}), "
        f"last {val_losses[-1]:.6g}; evaluated after fit: {after:.6g}",
    )


@claim(
    "EARLY-STOPPING-RESTORES-WITHOUT-A-STOP",
    "When `fit` runs all its epochs without a stop, `EarlyStopping(restore_best_weights=True)` still "
    "puts back the best epoch's weights at the end, not the last epoch's.",
    page="training.md#stop-early-keep-the-best-epoch",
)
def early_stopping_restores_without_a_stop():
    x_train, y_train, _, _ = sine_windows()
    model = forecaster()
    # The best epoch by a measure that training makes worse at every epoch, so that it is the first:
    # the training loss, with the highest counted best (mode="max"). The weights of each epoch are
    # kept to compare with those the model ends with.
    stop = keras().callbacks.EarlyStopping(monitor="loss", mode="max", patience=10, restore_best_weights=True)
    snapshots = []
    keep = keras().callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: snapshots.append(model.get_weights())
    )
    history = fit(
        model, x_train[:128], y_train[:128], epochs=4, batch_size=32, callbacks=[keep, stop], verbose=0
    )
    losses = history.history["loss"]
    ended = model.get_weights()
    kept = [
        epoch + 1
        for epoch, weights in enumerate(snapshots)
        if all(np.array_equal(a, b) for a, b in zip(weights, ended, strict=True))
    ]
    best = stop.best_epoch + 1
    return Evidence(
        len(losses) == 4 and best != 4 and kept == [best],
        f"Keras {keras().__version__}: all 4 epochs ran; best epoch by the monitored loss: {best}; "
        f"the model ends with the weights of epoch {kept}",
    )


@claim(
    "MODEL-CHECKPOINT-KEEPS-BEST",
    "`ModelCheckpoint(path, monitor='val_loss', save_best_only=True)` writes the model after an epoch "
    "only when `val_loss` improved: the file left after `fit` holds the best epoch's model, whose loss "
    "on the validation data is the best `val_loss`, while the model in memory is the last epoch's.",
    page="training.md#checkpoints-a-learning-rate-schedule-and-clipping",
)
def model_checkpoint_keeps_best():
    x, y = _diverging_validation()
    model = forecaster()
    with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # TensorFlow's variables under NumPy 2
        warnings.simplefilter("ignore", UserWarning)  # Keras 2 calls an .h5 file legacy
        path = str(Path(folder) / ("best.h5" if is_keras_2() else "best.keras"))
        keep = keras().callbacks.ModelCheckpoint(path, monitor="val_loss", save_best_only=True)
        history = fit(
            model, x, y, validation_data=(x, -y), epochs=4, batch_size=32, callbacks=[keep], verbose=0
        )
        kept = keras().models.load_model(path, compile=False)
    kept.compile(loss="mse")
    val_losses = history.history["val_loss"]
    best = int(np.argmin(val_losses))
    from_file = float(kept.evaluate(x, -y, batch_size=32, verbose=0))
    in_memory = float(model.evaluate(x, -y, batch_size=32, verbose=0))
    holds = _equal(from_file, val_losses[best]) and _equal(in_memory, val_losses[-1]) and best != 3
    return Evidence(
        holds,
        f"val_loss per epoch {[round(value, 6) for value in val_losses]}; the file evaluates to "
        f"{from_file:.6g}, the model in memory to {in_memory:.6g}",
    )


@claim(
    "REDUCE-LR-ON-PLATEAU-HALVES",
    "`ReduceLROnPlateau(monitor='val_loss', factor=0.5, patience=1)` halves the optimizer's learning "
    "rate at the end of each epoch whose `val_loss` has not improved on the best for 1 epoch, and `History` "
    "records each epoch's rate (as `learning_rate` in Keras 3, `lr` in Keras 2). Given an optimizer "
    "whose learning rate is a `LearningRateSchedule`, Keras 3's stops `fit` with a `TypeError` when it "
    "comes to lower the rate; Keras 2's raises nothing, and the rate its `History` records goes on "
    "following the schedule, not halved.",
    page="training.md#checkpoints-a-learning-rate-schedule-and-clipping",
)
def reduce_lr_on_plateau_halves():
    with warnings.catch_warnings():
        # The callback reads the rate through NumPy, which warns of TensorFlow's variables under NumPy 2.
        warnings.simplefilter("ignore", DeprecationWarning)
        return _reduce_lr_on_plateau_halves()


def _reduce_lr_on_plateau_halves():
    x, y = _diverging_validation()
    model = forecaster()
    reduce = keras().callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=1)
    history = fit(
        model, x, y, validation_data=(x, -y), epochs=4, batch_size=32, callbacks=[reduce], verbose=0
    )
    key = "lr" if is_keras_2() else "learning_rate"
    rates = [float(rate) for rate in history.history.get(key, [])]
    val_losses = history.history["val_loss"]
    # The expected rates from the recorded val_loss: halved after each epoch that did not improve.
    expected, rate, best = [], 0.01, float("inf")
    for value in val_losses:
        expected.append(rate)
        if value < best:
            best = value
        else:
            rate /= 2
    scheduled = forecaster()
    schedule = keras().optimizers.schedules.CosineDecay(0.01, decay_steps=1000)  # still above 0 when lowered
    scheduled.compile(optimizer=keras().optimizers.Adam(learning_rate=schedule), loss="mse")
    # min_delta=10: no epoch after the first counts as an improvement, so the callback comes to
    # lower the rate at the end of the second epoch; the third shows what became of it.
    plateau = keras().callbacks.ReduceLROnPlateau(monitor="val_loss", patience=1, min_delta=10.0)
    logged = []
    refused = error_of(
        lambda: logged.append(
            fit(
                scheduled,
                x,
                y,
                validation_data=(x, -y),
                epochs=3,
                batch_size=32,
                callbacks=[plateau],
                verbose=0,
            )
        )
    )
    # 1e-9: the rates are float32 copies of 0.01 halved, exact up to float32's rounding of 0.01.
    same = len(rates) == len(expected) and all(
        abs(a - b) <= 1e-9 for a, b in zip(rates, expected, strict=True)
    )
    if is_keras_2():  # no error, and the third epoch's rate is the schedule's, near 0.01, not halved
        followed = [float(rate) for rate in logged[0].history["lr"]] if logged else []
        with_schedule = not refused and len(followed) == 3 and followed[2] > 0.009
        found = f"ran; lr per epoch {[round(rate, 6) for rate in followed]}"
    else:
        with_schedule = refused.startswith("TypeError")
        found = refused.split(". ")[0] or "ran"
    holds = same and len(set(expected)) > 1 and with_schedule
    return Evidence(
        holds,
        f"val_loss {[round(value, 4) for value in val_losses]}; {key} per epoch "
        f"{[round(rate, 6) for rate in rates]}; with a schedule: {found}",
    )


def _diverging_validation() -> tuple[np.ndarray, np.ndarray]:
    """128 training windows of the page and their targets.

    Given ``-y`` as validation targets, ``val_loss`` worsens as the training targets are learned.
    """
    x_train, y_train, _, _ = sine_windows()
    return x_train[:128], y_train[:128]


def _worsening_fit(patience: int, epochs: int) -> tuple[list[float], float]:
    """The page's forecaster fitted with `EarlyStopping`, and its loss on the validation data after.

    The validation targets are the training targets negated: they move away as the training
    targets are learned, so `val_loss` is best after the first epoch and grows after it.
    """
    x_train, y_train, _, _ = sine_windows()
    x, y = x_train[:128], y_train[:128]
    model = forecaster()
    stop = keras().callbacks.EarlyStopping(monitor="val_loss", patience=patience, restore_best_weights=True)
    history = fit(
        model, x, y, validation_data=(x, -y), epochs=epochs, batch_size=32, callbacks=[stop], verbose=0
    )
    return history.history["val_loss"], float(model.evaluate(x, -y, batch_size=32, verbose=0))


def _equal(evaluated: float, recorded: float) -> bool:
    """The same samples in the same batches as fit's validation pass: equal up to float32 rounding."""
    return abs(evaluated - recorded) <= 1e-5 * abs(recorded)
