import keras
import numpy as np

keras.utils.set_random_seed(0)  # the same weights, noise and shuffling on every run

# --8<-- [start:data]
# A noisy sine wave, one reading per step: the task is to forecast the next reading.
steps = np.arange(1200)
series = np.sin(0.1 * steps) + 0.1 * np.random.default_rng(0).normal(size=steps.size)

timesteps = 20  # each sample is a window of 20 readings...
starts = np.arange(len(series) - timesteps)
x = np.stack([series[start : start + timesteps] for start in starts])[:, :, None].astype("float32")
y = series[starts + timesteps].astype("float32")  # ...and its target, the reading right after it

x_train, y_train = x[:900], y[:900]  # the past to learn from
x_test, y_test = x[900:], y[900:]  # the future to test on, never seen in training
print(x_train.shape, y_train.shape, x_test.shape)
#> (900, 20, 1) (900,) (280, 20, 1)
# --8<-- [end:data]

# --8<-- [start:model]
model = keras.Sequential([keras.Input((timesteps, 1)), keras.layers.LSTM(16), keras.layers.Dense(1)])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
print(model.output_shape, model.count_params())
#> (None, 1) 1169
# --8<-- [end:model]

# --8<-- [start:fit]
history = model.fit(x_train, y_train, epochs=10, batch_size=32, validation_split=0.2, verbose=0)
losses = history.history  # one number per epoch for each key
print(sorted(losses), len(losses["loss"]))
#> ['loss', 'val_loss'] 10
print(losses["loss"][-1] < losses["loss"][0], losses["val_loss"][-1] < losses["val_loss"][0])
#> True True
# --8<-- [end:fit]

# --8<-- [start:evaluate]
test_mse = model.evaluate(x_test, y_test, verbose=0)  # the compiled loss, on data it never saw
last_value_mse = float(np.mean((x_test[:, -1, 0] - y_test) ** 2))  # forecast: "same as now"
print(type(test_mse).__name__, test_mse < last_value_mse)  # better than repeating the last reading
#> float True
print(test_mse > 0.1**2)  # but no forecast beats the noise: its variance, 0.1 squared, is the floor
#> True
# --8<-- [end:evaluate]

# --8<-- [start:predict]
forecast = model.predict(x_test, verbose=0)  # every window held out for testing
print(type(forecast).__name__, forecast.shape)  # one forecast per window, in a column
#> ndarray (280, 1)
print(np.abs(forecast[:, 0] - y_test).max() < 0.5)  # every forecast within 0.5 of the reading after it
#> True
# --8<-- [end:predict]

# --8<-- [start:early-stopping]
stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
more = model.fit(
    x_train, y_train, epochs=30, batch_size=32, validation_split=0.2, callbacks=[stop], verbose=0
)
val_losses = more.history["val_loss"]  # one per epoch that ran, 30 at most
x_val, y_val = x_train[720:], y_train[720:]  # what validation_split=0.2 held out: the last fifth
best = min(val_losses)
print(abs(model.evaluate(x_val, y_val, verbose=0) - best) <= 1e-5 * best)  # the best epoch's weights
#> True
# --8<-- [end:early-stopping]
