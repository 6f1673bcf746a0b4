import keras
import numpy as np

x = np.zeros((3, 7, 5), "float32")  # (batch, timesteps, features)
print(tuple(keras.layers.LSTM(4)(x).shape), '# 4 units')
#> (3, 4) # 4 units
