import keras
import numpy as np

from glossary.keras_weights import lstm_gate_weights
from glossary.reference import sigmoid

layer = keras.layers.LSTM(4)
layer.build((None, None, 5))
forget = lstm_gate_weights(layer)["forget_gate"]

# --8<-- [start:batch]
x_t = np.ones((3, 5), "float32")  # one timestep of a batch of 3: (batch, features)
h_prev = np.zeros((3, 4), "float32")  # (batch, units)
print(x_t.shape, forget.kernel.shape, forget.recurrent_kernel.shape)
#> (3, 5) (5, 4) (4, 4)

from_input = x_t @ forget.kernel  # (3, 5) @ (5, 4)
from_history = h_prev @ forget.recurrent_kernel  # (3, 4) @ (4, 4)
forget_gate = sigmoid(from_input + from_history + forget.bias)  # bias (4,) is added to every row
print(from_input.shape, from_history.shape, forget.bias.shape, forget_gate.shape)
#> (3, 4) (3, 4) (4,) (3, 4)
# --8<-- [end:batch]

# --8<-- [start:neurons]
print("input connections:", forget.kernel.size)
#> input connections: 20
print("hidden-state connections:", forget.recurrent_kernel.size)
#> hidden-state connections: 16
print("biases:", forget.bias.size)
#> biases: 4
# --8<-- [end:neurons]
