import keras
import numpy as np

keras.utils.set_random_seed(0)
x = np.random.default_rng(0).normal(size=(1, 20, 5)).astype("float32")
layer = keras.layers.LSTM(4)

# --8<-- [start:perturb]
changed = x.copy()
changed[:, 0] += 1.0  # touch only the first of 20 timesteps

last_hidden = keras.ops.convert_to_numpy(layer(x))  # a NumPy array on every backend
last_hidden_changed = keras.ops.convert_to_numpy(layer(changed))
print(np.abs(last_hidden_changed - last_hidden).max() > 1e-4)
#> True
# --8<-- [end:perturb]
