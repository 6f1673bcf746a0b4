import keras
import numpy as np

x = np.zeros((3, 7, 5), "float32")  # (batch, timesteps, features)
print(len(keras.layers.LSTM(4, return_state=True)(x)))
#> 3
