import keras
import numpy as np

x = np.random.default_rng(0).normal(size=(3, 7, 5)).astype("float32")

# --8<-- [start:cell]
# random biases, as a trained layer has: a bias in the wrong place would then show
layer = keras.layers.LSTM(4, bias_initializer="random_normal", unit_forget_bias=False)
print(type(layer.cell).__name__)  # the per-timestep computation inside the layer
#> LSTMCell

loop = keras.layers.RNN(keras.layers.LSTMCell(4))  # a generic loop around the same cell
loop.build((None, None, 5))
layer.build((None, None, 5))
loop.set_weights(layer.get_weights())
to_numpy = keras.ops.convert_to_numpy  # any backend's output; NumPy refuses PyTorch's
print(np.allclose(to_numpy(loop(x)), to_numpy(layer(x)), rtol=0, atol=1e-6))
#> True
# --8<-- [end:cell]

# --8<-- [start:unroll]
unrolled = keras.layers.LSTM(4, unroll=True)  # the loop written out, one copy per timestep
unrolled.build((None, 7, 5))
unrolled.set_weights(layer.get_weights())
print(np.allclose(to_numpy(unrolled(x)), to_numpy(layer(x)), rtol=0, atol=1e-6))
#> True
# --8<-- [end:unroll]
