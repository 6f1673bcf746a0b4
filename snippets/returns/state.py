import keras
import numpy as np

x = np.random.default_rng(0).normal(size=(3, 7, 5)).astype("float32")

# --8<-- [start:state]
result = keras.layers.LSTM(4, return_state=True)(x)
print(type(result).__name__, len(result))
#> tuple 3
# NumPy arrays on every backend: np.array_equal answers False, without an error, for PyTorch's
# tensors that track gradients, which NumPy cannot read
output, state_h, state_c = map(keras.ops.convert_to_numpy, result)
print(np.array_equal(output, state_h))  # the output IS the last hidden state
#> True
print(np.array_equal(output, state_c))
#> False
# --8<-- [end:state]

# --8<-- [start:sequence]
sequence, state_h, state_c = map(keras.ops.convert_to_numpy, keras.layers.LSTM(4, return_sequences=True, return_state=True)(x))
print(np.array_equal(sequence[:, -1], state_h))  # the last row of the sequence
#> True
# --8<-- [end:sequence]

# --8<-- [start:misspelt]
try:
    keras.layers.LSTM(4, return_states=True)
except ValueError as error:
    print(error)
    #> Unrecognized keyword arguments passed to LSTM: {'return_states': True}
# --8<-- [end:misspelt]
