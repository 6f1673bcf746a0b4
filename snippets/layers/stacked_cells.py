import keras
import numpy as np

x = np.random.default_rng(0).normal(size=(3, 7, 5)).astype("float32")

# --8<-- [start:cells]
# one layer, two levels: the cells are wrapped in keras.layers.StackedRNNCells
cells = keras.layers.RNN([keras.layers.LSTMCell(8), keras.layers.LSTMCell(4)], return_state=True)
output, lower_states, upper_states = cells(x)  # return_state gives [h, c] of every level
print("output", keras.ops.shape(output))
#> output (3, 4)
for name, states in [("lower level", lower_states), ("upper level", upper_states)]:
    print(name, [keras.ops.shape(state) for state in states])
    #> lower level [(3, 8), (3, 8)]
    #> upper level [(3, 4), (3, 4)]

# the same numbers as two LSTM layers given the same weights
first, second = keras.layers.LSTM(8, return_sequences=True), keras.layers.LSTM(4)
second(first(x))  # builds both layers, so that they take weights
first.set_weights(cells.get_weights()[:3])
second.set_weights(cells.get_weights()[3:])
to_numpy = keras.ops.convert_to_numpy  # any backend's output; NumPy refuses PyTorch's
print(np.allclose(to_numpy(second(first(x))), to_numpy(output), rtol=0, atol=1e-6))
#> True
# --8<-- [end:cells]
