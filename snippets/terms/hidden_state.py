import keras
import numpy as np

x = np.zeros((3, 7, 5), "float32")  # (batch, timesteps, features)
_, state_h, _ = keras.layers.LSTM(4, return_state=True)(x)
print(keras.ops.shape(state_h))
#> (3, 4)
