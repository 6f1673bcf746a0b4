import keras
import numpy as np

keras.utils.set_random_seed(0)

# --8<-- [start:bias]
for unit_forget_bias in (True, False):
    lstm = keras.layers.LSTM(2, unit_forget_bias=unit_forget_bias)
    lstm.build((None, None, 3))
    print(unit_forget_bias, lstm.get_weights()[2])  # blocks: input, forget, candidate, output
    #> True [0. 0. 1. 1. 0. 0. 0. 0.]
    #> False [0. 0. 0. 0. 0. 0. 0. 0.]
# --8<-- [end:bias]

# --8<-- [start:overrides]
lstm = keras.layers.LSTM(2, bias_initializer="ones")
lstm.build((None, None, 3))
print(lstm.get_weights()[2])
#> [1. 1. 1. 1. 1. 1. 1. 1.]
lstm = keras.layers.LSTM(2, bias_initializer=keras.initializers.Constant(0.5))
lstm.build((None, None, 3))
print(lstm.get_weights()[2])  # the forget block is 1 all the same
#> [0.5 0.5 1.  1.  0.5 0.5 0.5 0.5]
# --8<-- [end:overrides]

# --8<-- [start:decay]
lstm = keras.layers.LSTM(2, return_state=True)
lstm.build((None, None, 3))
kernel, recurrent_kernel, bias = lstm.get_weights()
lstm.set_weights([np.zeros_like(kernel), np.zeros_like(recurrent_kernel), bias])  # biases only

start = [np.zeros((1, 2), "float32"), np.ones((1, 2), "float32")]  # hidden state, cell state
for timesteps in (1, 2, 5):
    _, _, cell_state = lstm(np.zeros((1, timesteps, 3), "float32"), initial_state=start)
    print(timesteps, keras.ops.convert_to_numpy(cell_state).round(4))
    #> 1 [[0.7311 0.7311]]
    #> 2 [[0.5344 0.5344]]
    #> 5 [[0.2088 0.2088]]
# --8<-- [end:decay]
