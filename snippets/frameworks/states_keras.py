import keras
import numpy as np

x = np.random.default_rng(0).normal(size=(1, 5, 3)).astype("float32")
_, hidden_state, cell_state = keras.layers.LSTM(4, return_state=True)(x)
hidden_state = keras.ops.convert_to_numpy(hidden_state)  # a NumPy array on every backend
print(float(np.max(np.abs(hidden_state))) <= 1)  # h = o * tanh(c): never larger than 1 in size
#> True
