import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")  # GradientTape is TensorFlow's

import keras
import numpy as np
import tensorflow as tf

from glossary.reference import lstm_step, sigmoid

keras.utils.set_random_seed(0)

# --8<-- [start:experiment]
x = tf.constant(np.random.default_rng(0).normal(size=(16, 100, 8)).astype("float32"))

for layer in (keras.layers.SimpleRNN(32), keras.layers.LSTM(32)):
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = tf.reduce_sum(layer(x))  # a loss that reads only the final hidden state
    gradient = tape.gradient(total, x)  # (batch, timesteps, features)
    per_timestep = np.linalg.norm(gradient, axis=(0, 2))  # how much reaches each x_t
    print(type(layer).__name__, f"{per_timestep[0] / per_timestep[-1]:.0e}")
    #> SimpleRNN 4e-15
    #> LSTM 3e-09
# --8<-- [end:experiment]

# --8<-- [start:forget-path]
kernel, recurrent_kernel, bias = layer.get_weights()  # the untrained LSTM(32) above
units = 32
inputs = x.numpy()
hidden = cell = np.zeros((16, units), "float32")
forget_gates = []
for t in range(100):
    z = inputs[:, t] @ kernel + hidden @ recurrent_kernel + bias
    forget_gates.append(sigmoid(z[:, units : 2 * units]))  # the forget block, (batch, units)
    hidden, cell = lstm_step(inputs[:, t], hidden, cell, kernel, recurrent_kernel, bias)
# d c_100 / d c_1 along the cell state alone: the forget gates of every step after the first.
direct_path = np.prod(np.array(forget_gates[1:], "float64"), axis=0)  # (batch, units)
print(f"mean forget gate {np.mean(forget_gates):.2f}, largest product {direct_path.max():.0e}")
#> mean forget gate 0.73, largest product 2e-13
# --8<-- [end:forget-path]
