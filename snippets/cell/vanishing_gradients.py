import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")  # GradientTape is TensorFlow's

import keras
import numpy as np
import tensorflow as tf

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
