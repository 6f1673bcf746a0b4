import numpy as np

x = np.zeros((3, 7, 5), "float32")  # (batch, timesteps, features)
print(x.shape[1], 'timesteps')
#> 7 timesteps
