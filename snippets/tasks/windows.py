import keras
import numpy as np

# --8<-- [start:series]
# Two years of daily readings of 3 features: temperature, pressure, humidity.
rng = np.random.default_rng(0)
days = np.arange(730)
series = np.stack(
    [
        10 + 8 * np.sin(2 * np.pi * days / 365) + rng.normal(size=days.size),  # temperature
        1013 + 5 * rng.normal(size=days.size),  # pressure
        70 + 10 * rng.normal(size=days.size),  # humidity
    ],
    axis=1,
).astype("float32")
print(series.shape)  # (rows of the series, features): no batch or timestep axis yet
#> (730, 3)
# --8<-- [end:series]

# --8<-- [start:by-hand]
timesteps, horizon = 14, 1  # read two weeks, forecast the temperature of the next day
windows = np.lib.stride_tricks.sliding_window_view(series, timesteps, axis=0)  # (730 - 13, 3, 14)
windows = windows.transpose(0, 2, 1)  # (samples, timesteps, features)
x = windows[: len(series) - timesteps - horizon + 1]  # keep the windows that have a target
y = series[timesteps + horizon - 1 :, 0]  # window i covers rows i .. i+13; its target is row i+14
print(x.shape, y.shape)
#> (716, 14, 3) (716,)
print(np.array_equal(x[0], series[0:14]), y[0] == series[14, 0])
#> True True
# --8<-- [end:by-hand]

# --8<-- [start:keras-utility]
dataset = keras.utils.timeseries_dataset_from_array(
    series,
    targets=series[timesteps:, 0],  # target i belongs to the window that starts at row i
    sequence_length=timesteps,
    batch_size=64,
)
batches = list(dataset)
x_batch, y_batch = batches[0]
print(len(batches), tuple(x_batch.shape), tuple(y_batch.shape))
#> 12 (64, 14, 3) (64,)
x_all = np.concatenate([np.asarray(x) for x, _ in batches])
print(np.array_equal(x_all, x), np.array_equal(np.concatenate([np.asarray(y) for _, y in batches]), y))
#> True True
# --8<-- [end:keras-utility]

# --8<-- [start:scaling]
split = 500  # the first 500 windows train the model; the rest test it
# Rows 0 to 512 feed the training windows; row 513 is the last one's target.
train_rows = series[: split + timesteps]  # every row training uses
mean, std = train_rows.mean(axis=0), train_rows.std(axis=0)  # per feature, from training rows only
scaled = (series - mean) / std
training_part = scaled[: split + timesteps]
print(np.round(training_part.mean(axis=0), 3) + 0, np.round(training_part.std(axis=0), 3))
#> [0. 0. 0.] [1. 1. 1.]

normalize = keras.layers.Normalization(axis=-1)  # the same, as a layer that travels with the model
normalize.adapt(train_rows)
# 1e-4: float32 readings near 1013 are stored to about 6e-5, and the layer computes the variance its own way.
print(np.allclose(normalize(series), scaled, atol=1e-4))
#> True
# --8<-- [end:scaling]
