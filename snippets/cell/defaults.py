import keras

# --8<-- [start:activations]
layer = keras.layers.LSTM(4)
print(layer.activation.__name__, layer.recurrent_activation.__name__)
#> tanh sigmoid
# --8<-- [end:activations]

# --8<-- [start:forget-bias]
layer.build((None, None, 5))
bias = layer.get_weights()[2].reshape(4, 4)  # one row per gate: input, forget, candidate, output
print(bias)
'''
[[0. 0. 0. 0.]
 [1. 1. 1. 1.]
 [0. 0. 0. 0.]
 [0. 0. 0. 0.]]
'''
# --8<-- [end:forget-bias]
