import keras
import numpy as np

x = np.zeros((3, 7, 5), "float32")  # (batch, timesteps, features)
first = keras.layers.LSTM(8, return_sequences=True)(x)
print(keras.ops.shape(keras.layers.LSTM(4)(first)))
#> (3, 4)
