import keras
import numpy as np

x = np.zeros((2, 5, 3), "float32")  # (batch, timesteps, features)
lstm = keras.layers.LSTM(4, return_sequences=True)
print(tuple(lstm(x).shape))  # (batch, timesteps, units)
#> (2, 5, 4)
