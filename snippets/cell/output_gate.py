import keras
import numpy as np

rng = np.random.default_rng(0)
features, units = 5, 4
x = rng.normal(size=(3, 7, features)).astype("float32")
kernel = rng.normal(scale=0.4, size=(features, 4 * units)).astype("float32")
recurrent_kernel = rng.normal(scale=0.4, size=(units, 4 * units)).astype("float32")
bias = rng.normal(scale=0.5, size=4 * units).astype("float32")
h_prev = rng.normal(scale=0.5, size=(3, units)).astype("float32")
c_prev = rng.normal(scale=0.5, size=(3, units)).astype("float32")


def keras_lstm(kernel):
    """A Keras LSTM with this kernel and the weights above, as a function that returns its output
    and final [h, c] as NumPy arrays.

    convert_to_numpy, not np.asarray: NumPy cannot read a PyTorch tensor that tracks gradients, and
    np.array_equal would then answer False without saying why.
    """
    layer = keras.layers.LSTM(units, return_sequences=True, return_state=True)
    layer.build((None, None, features))
    layer.set_weights([kernel, recurrent_kernel, bias])
    return lambda *args, **kwargs: [keras.ops.convert_to_numpy(a) for a in layer(*args, **kwargs)]


# --8<-- [start:one-step]
output_gate = slice(3 * units, 4 * units)  # the last of the four blocks
changed_kernel = kernel.copy()
changed_kernel[:, output_gate] += 1.0

first_step = x[:, :1]  # one timestep, from the same previous states
_, h, c = keras_lstm(kernel)(first_step, initial_state=[h_prev, c_prev])
_, h_changed, c_changed = keras_lstm(changed_kernel)(first_step, initial_state=[h_prev, c_prev])
print("hidden state changed:", not np.array_equal(h, h_changed))
#> hidden state changed: True
print("cell state changed:  ", not np.array_equal(c, c_changed))
#> cell state changed:   False
# --8<-- [end:one-step]

# --8<-- [start:sequence]
_, _, cell = keras_lstm(kernel)(x)  # all 7 timesteps
_, _, cell_changed = keras_lstm(changed_kernel)(x)
print("final cell state changed:", not np.array_equal(cell, cell_changed))
#> final cell state changed: True
# --8<-- [end:sequence]
