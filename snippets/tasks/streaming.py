import os
import tempfile

import keras
import numpy as np

keras.utils.set_random_seed(0)  # the same weights on every run
model = keras.Sequential(
    [keras.Input((None, 3)), keras.layers.LSTM(8, name="lstm"), keras.layers.Dense(1, name="forecast")]
)
x = np.random.default_rng(0).normal(size=(4, 20, 3)).astype("float32")  # 4 sequences of 20 readings
model.compile(optimizer="adam", loss="mse")
model.fit(x, x[:, -1, :1], epochs=2, verbose=0)  # a token training: any trained model serves the same way
whole = model.predict(x[:1], verbose=0)  # the forecast after reading all 20 at once

# --8<-- [start:stateless]
# Readings arrive one at a time; carry the LSTM's [h, c] between calls yourself.
reading = keras.Input((1, 3))  # one timestep
carried = [keras.Input((8,)), keras.Input((8,))]  # [h, c] from the previous call
one_step = keras.layers.LSTM(8, return_state=True)
_, hidden_state, cell_state = one_step(reading, initial_state=carried)
step = keras.Model([reading, *carried], [hidden_state, cell_state])
one_step.set_weights(model.get_layer("lstm").get_weights())  # the trained weights

states = [np.zeros((1, 8), "float32"), np.zeros((1, 8), "float32")]
for t in range(20):
    states = step.predict_on_batch([x[:1, t : t + 1], *states])  # one batch; predict() is not made for loops
forecast = keras.ops.convert_to_numpy(model.get_layer("forecast")(states[0]))  # Dense on the last h
print(np.allclose(forecast, whole, atol=1e-5))  # float32 over 20 steps
#> True
# --8<-- [end:stateless]

# --8<-- [start:stateful]
# Or let a stateful copy carry them: batch size 1, one timestep per call.
single = keras.Input(batch_shape=(1, 1, 3))
stateful = keras.layers.LSTM(8, stateful=True)
streaming = keras.Model(single, keras.layers.Dense(1)(stateful(single)))
streaming.set_weights(model.get_weights())  # the same arrays, in the same order

for t in range(20):
    forecast = streaming(x[:1, t : t + 1])  # a direct call: each continues from the last
print(np.allclose(keras.ops.convert_to_numpy(forecast), whole, atol=1e-5))
#> True
stateful.reset_state()  # before the next sequence
# --8<-- [end:stateful]

# --8<-- [start:numpy-step]
# Or step in NumPy with the trained arrays: no Keras where the model serves.
path = os.path.join(tempfile.mkdtemp(), "forecaster.npz")
kernel, recurrent_kernel, bias = model.get_layer("lstm").get_weights()
dense_kernel, dense_bias = model.get_layer("forecast").get_weights()
np.savez(path, kernel=kernel, recurrent_kernel=recurrent_kernel, bias=bias, dense_kernel=dense_kernel,
         dense_bias=dense_bias)

# Where the model serves: NumPy only. One timestep of the LSTM, as Keras computes it.
def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))  # 1 / (1 + exp(-z)), written so that exp cannot overflow


def lstm_step(x_t, h, c, kernel, recurrent_kernel, bias):
    z = x_t @ kernel + h @ recurrent_kernel + bias  # the four gates' inputs, side by side
    i, f, g, o = np.split(z, 4, axis=-1)  # Keras's order: input, forget, candidate, output
    c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)  # the new cell state
    h = sigmoid(o) * np.tanh(c)  # the new hidden state
    return h, c


with np.load(path) as arrays:  # the five arrays, read back by name
    kernel, recurrent_kernel, bias = arrays["kernel"], arrays["recurrent_kernel"], arrays["bias"]
    dense_kernel, dense_bias = arrays["dense_kernel"], arrays["dense_bias"]

hidden_state = cell_state = np.zeros((1, 8), "float32")
for t in range(20):
    hidden_state, cell_state = lstm_step(x[:1, t], hidden_state, cell_state, kernel, recurrent_kernel, bias)
forecast = hidden_state @ dense_kernel + dense_bias  # (1, 1)
print(np.allclose(forecast, whole, atol=1e-5))
#> True
# --8<-- [end:numpy-step]
