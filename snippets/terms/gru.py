import keras
import numpy as np

x = np.zeros((3, 7, 5), "float32")  # (batch, timesteps, features)
print(keras.ops.shape(keras.layers.GRU(4)(x)))
#> (3, 4)
