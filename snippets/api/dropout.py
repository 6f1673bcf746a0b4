import keras
import numpy as np

keras.utils.set_random_seed(0)

# --8<-- [start:input]
# A linear SimpleRNN that copies its input: the output shows what dropout let through.
rnn = keras.layers.SimpleRNN(
    5, dropout=0.5, activation=None, use_bias=False, return_sequences=True,
    kernel_initializer="identity", recurrent_initializer="zeros",
)
ones = np.ones((2, 4, 5), "float32")  # (batch, timesteps, features)
# convert_to_numpy, not np.asarray: NumPy refuses PyTorch's tensors that track gradients
print(keras.ops.convert_to_numpy(rnn(ones, training=True)))
'''
[[[2. 0. 2. 0. 0.]
  [2. 0. 2. 0. 0.]
  [2. 0. 2. 0. 0.]
  [2. 0. 2. 0. 0.]]

 [[0. 0. 2. 2. 0.]
  [0. 0. 2. 2. 0.]
  [0. 0. 2. 2. 0.]
  [0. 0. 2. 2. 0.]]]
'''
# --8<-- [end:input]

# --8<-- [start:recurrent]
# Now the input is ignored and the state copies itself: h_t = dropout(h_{t-1}).
rnn = keras.layers.SimpleRNN(
    5, recurrent_dropout=0.5, activation=None, use_bias=False, return_sequences=True,
    kernel_initializer="zeros", recurrent_initializer="identity",
)
start = np.ones((2, 5), "float32")  # (batch, units)
print(keras.ops.convert_to_numpy(rnn(ones, initial_state=[start], training=True))[0])
'''
[[ 0.  0.  0.  2.  2.]
 [ 0.  0.  0.  4.  4.]
 [ 0.  0.  0.  8.  8.]
 [ 0.  0.  0. 16. 16.]]
'''
# --8<-- [end:recurrent]

# --8<-- [start:inference]
print(keras.ops.convert_to_numpy(rnn(ones, initial_state=[start]))[0, -1])  # training=False: no dropout
#> [1. 1. 1. 1. 1.]
# --8<-- [end:inference]
