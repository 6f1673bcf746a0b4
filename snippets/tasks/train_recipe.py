import math
import tempfile
import warnings
from pathlib import Path

import keras
import numpy as np

keras.utils.set_random_seed(0)  # the same weights, noise and shuffling on every run
warnings.filterwarnings("ignore", category=DeprecationWarning)  # TensorFlow's variables, under NumPy 2, while saving

# --8<-- [start:scale]
# Readings in their own units: a temperature around 15 degrees that swings by 8, with noise.
steps = np.arange(1000)
series = 15 + 8 * np.sin(0.1 * steps) + np.random.default_rng(0).normal(size=steps.size)
series = series.astype("float32")

timesteps, horizon = 20, 5  # read 20 readings, forecast each of the next 5
starts = np.arange(len(series) - timesteps - horizon + 1)
x = np.stack([series[start : start + timesteps] for start in starts])[:, :, None]
y = np.stack([series[start + timesteps : start + timesteps + horizon] for start in starts])
print(x.shape, y.shape)  # one row of 5 targets per window
#> (976, 20, 1) (976, 5)

split = 700  # windows 0 to 699 train; their readings are the series' first 724 rows
train_rows = series[: split + timesteps + horizon - 1]
mean, std = train_rows.mean(), train_rows.std()  # from the training rows only
x_scaled, y_scaled = (x - mean) / std, (y - mean) / std  # the targets as well as the inputs
# --8<-- [end:scale]

# --8<-- [start:compile]
epochs, batch_size = 5, 32
steps_per_epoch = math.ceil(0.8 * split / batch_size)  # validation_split=0.2 keeps 560 windows to train on
schedule = keras.optimizers.schedules.CosineDecay(0.01, decay_steps=epochs * steps_per_epoch)
model = keras.Sequential([keras.Input((timesteps, 1)), keras.layers.LSTM(16), keras.layers.Dense(horizon)])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=schedule, clipnorm=1.0), loss="mse")
print(model.output_shape)  # one forecast for each step ahead
#> (None, 5)
# --8<-- [end:compile]

# --8<-- [start:fit]
path = Path(tempfile.mkdtemp()) / "best.keras"
checkpoint = keras.callbacks.ModelCheckpoint(path, monitor="val_loss", save_best_only=True)
history = model.fit(
    x_scaled[:split],
    y_scaled[:split],
    epochs=epochs,
    batch_size=batch_size,
    validation_split=0.2,
    callbacks=[checkpoint],
    verbose=0,
)
print(int(model.optimizer.iterations), round(float(model.optimizer.learning_rate), 6))
#> 90 0.0
best = keras.saving.load_model(path)  # the epoch with the lowest val_loss, kept on disk
x_val, y_val = x_scaled[560:split], y_scaled[560:split]  # what validation_split=0.2 held out
lowest = min(history.history["val_loss"])
print(abs(best.evaluate(x_val, y_val, verbose=0) - lowest) <= 1e-5 * lowest)
#> True
# --8<-- [end:fit]

# --8<-- [start:undo]
forecast = best.predict(x_scaled[split:], verbose=0) * std + mean  # back to degrees
truth = y[split:]
print(forecast.shape, abs(forecast.mean() - truth.mean()) < 1)  # in degrees, like the readings
#> (276, 5) True
errors = np.mean((forecast - truth) ** 2, axis=0)  # one mean squared error per step ahead
repeat_last = np.mean((x[split:, -1] - truth) ** 2, axis=0)  # forecast: "the same as now"
print(bool(np.all(errors < repeat_last)))  # better than repeating the last reading, at every step
#> True
# --8<-- [end:undo]
