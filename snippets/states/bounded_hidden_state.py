import keras
import numpy as np

# 1 feature, 1 unit. Biases hold the input and forget gates nearly open and the candidate
# near +1, so every timestep adds about 1 to the cell state and almost nothing is forgotten;
# the output gate is nearly open too, so the hidden state shows as much of it as it can.
layer = keras.layers.LSTM(1, return_sequences=True, return_state=True)
layer.build((None, None, 1))
kernel = np.zeros((1, 4), "float32")
recurrent_kernel = np.zeros((1, 4), "float32")
bias = np.array([6.0, 6.0, 6.0, 6.0], "float32")  # input, forget, candidate, output
layer.set_weights([kernel, recurrent_kernel, bias])
x = np.zeros((1, 10, 1), "float32")

# --8<-- [start:run]
# convert_to_numpy: NumPy arrays from any backend's tensors (np.asarray refuses PyTorch's)
sequence, hidden_state, cell_state = (keras.ops.convert_to_numpy(a) for a in layer(x))
print("cell state after 10 steps:", cell_state.round(3))
#> cell state after 10 steps: [[9.865]]
print("hidden state after 10 steps:", hidden_state.round(3))
#> hidden state after 10 steps: [[0.998]]
print("largest |hidden state| at any step:", np.abs(sequence).max().round(3))
#> largest |hidden state| at any step: 0.998
# --8<-- [end:run]
