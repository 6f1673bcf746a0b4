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

# --8<-- [start:split]
def windows_between(first_row, last_row, data=series, target=series[:, 0]):
    """The windows, and their targets, that read and predict only rows first_row to last_row - 1."""
    return keras.utils.timeseries_dataset_from_array(
        data,
        targets=target[timesteps:],  # target i belongs to the window that starts at row i
        sequence_length=timesteps,
        start_index=first_row,
        end_index=last_row - 1,  # the last window ends on row end_index - 1; its target is end_index
        batch_size=64,
    )


training, testing = windows_between(0, 514), windows_between(514, len(series))

rows = np.arange(len(series))  # windowed like the readings, row numbers show which rows a set uses


def rows_used(first_row, last_row):
    batches = list(windows_between(first_row, last_row, data=rows, target=rows))
    used = np.concatenate([np.asarray(part).ravel() for batch in batches for part in batch])
    return int(used.min()), int(used.max())


print(rows_used(0, 514), rows_used(514, len(series)))  # (first, last) row read or predicted
#> (0, 513) (514, 729)
# --8<-- [end:split]

# --8<-- [start:walk-forward]
# Walk-forward validation: each fold trains on every row before its start and validates on the
# 90 rows that follow; the next fold starts 90 rows later.
for start in range(370, len(series) - 90 + 1, 90):
    train, validate = windows_between(0, start), windows_between(start, start + 90)  # fit on one, score the other
    print(rows_used(0, start), rows_used(start, start + 90))
    #> (0, 369) (370, 459)
    #> (0, 459) (460, 549)
    #> (0, 549) (550, 639)
    #> (0, 639) (640, 729)
# --8<-- [end:walk-forward]
