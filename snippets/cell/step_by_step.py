import keras
import numpy as np

from glossary.keras_weights import lstm_arrays
from glossary.reference import lstm_step

batch, timesteps, features, units = 3, 7, 5, 4
x = np.random.default_rng(0).normal(size=(batch, timesteps, features)).astype("float32")
# random biases in all four gates, as a trained layer has: a bias block read from the wrong
# place would then show (a new layer's are zeros, and ones for the forget gate)
layer = keras.layers.LSTM(
    units, return_sequences=True, bias_initializer="random_normal", unit_forget_bias=False
)
keras_outputs = keras.ops.convert_to_numpy(layer(x))  # (batch, timesteps, units)
kernel, recurrent_kernel, bias = lstm_arrays(layer)

# --8<-- [start:loop]
hidden_state = np.zeros((batch, units), "float32")
cell_state = np.zeros((batch, units), "float32")
outputs = []
for t in range(timesteps):  # the same three weight arrays at every timestep
    hidden_state, cell_state = lstm_step(x[:, t], hidden_state, cell_state, kernel, recurrent_kernel, bias)
    outputs.append(hidden_state)
outputs = np.stack(outputs, axis=1)

print(outputs.shape)
#> (3, 7, 4)
print(np.allclose(outputs, keras_outputs, rtol=0, atol=1e-5))
#> True
# --8<-- [end:loop]
