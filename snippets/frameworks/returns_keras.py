import keras
import numpy as np

x = np.random.default_rng(0).normal(size=(2, 5, 3)).astype("float32")
output, state_h, state_c = map(keras.ops.convert_to_numpy, keras.layers.LSTM(4, return_state=True)(x))  # NumPy on any backend
print(tuple(output.shape), tuple(state_h.shape), tuple(state_c.shape))
#> (2, 4) (2, 4) (2, 4)
print(np.array_equal(output, state_h))  # the last output is the final hidden state
#> True
