import numpy as np

from glossary import reference

x = np.zeros((2, 5, 3), "float32")  # (batch, timesteps, features), as Keras reads it
kernel, recurrent_kernel, bias = np.zeros((3, 16)), np.zeros((4, 16)), np.zeros(16)  # 4 gates x 4 units
print(reference.lstm(x, kernel, recurrent_kernel, bias, return_sequences=True).shape)
#> (2, 5, 4)
