import keras
import numpy as np

x = np.zeros((3, 7, 5), "float32")  # (batch, timesteps, features)
_, _, state_c = keras.layers.LSTM(4, return_state=True)(x)
print(keras.ops.shape(state_c))
#> (3, 4)
