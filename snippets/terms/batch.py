import keras
import numpy as np

x = np.zeros((3, 7, 5), "float32")  # (batch, timesteps, features)
print(keras.layers.LSTM(4)(x).shape[0], 'sequences in, as many out')
#> 3 sequences in, as many out
