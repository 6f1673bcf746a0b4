import keras
import numpy as np

from glossary import reference

keras.utils.set_random_seed(0)
x = np.random.default_rng(0).normal(size=(3, 7, 5)).astype("float32")

# --8<-- [start:weights]
for reset_after in (True, False):
    gru = keras.layers.GRU(4, reset_after=reset_after)
    gru.build((None, None, 5))
    print(reset_after, [tuple(weight.shape) for weight in gru.weights], gru.count_params())
    #> True [(5, 12), (4, 12), (2, 12)] 132
    #> False [(5, 12), (4, 12), (12,)] 120
# --8<-- [end:weights]

# --8<-- [start:variants]
after = keras.layers.GRU(4, return_sequences=True, reset_after=True)
before = keras.layers.GRU(4, return_sequences=True, reset_after=False)
after.build((None, None, 5))
before.build((None, None, 5))
kernel, recurrent_kernel, _ = after.get_weights()
input_bias = np.random.default_rng(1).normal(scale=0.5, size=12).astype("float32")
after.set_weights([kernel, recurrent_kernel, np.stack([input_bias, np.zeros(12, "float32")])])
before.set_weights([kernel, recurrent_kernel, input_bias])  # the same numbers, one bias row
difference = keras.ops.convert_to_numpy(after(x) - before(x))  # a NumPy array on every backend
print(np.abs(difference).max().round(2))  # where the reset gate acts changes the result
#> 0.09
# --8<-- [end:variants]

# --8<-- [start:update-gate]
gru = keras.layers.GRU(4, return_sequences=True)
gru.build((None, None, 5))
kernel, recurrent_kernel, bias = gru.get_weights()
bias[:, :4] = 20.0  # first block: the update gate, now stuck at 1
gru.set_weights([kernel, recurrent_kernel, bias])
print(np.abs(keras.ops.convert_to_numpy(gru(x))).max())  # the hidden state never leaves its initial zeros
#> 0.0
# --8<-- [end:update-gate]

# --8<-- [start:state]
result = keras.layers.GRU(4, return_state=True)(x)
print(type(result).__name__, len(result))
#> tuple 2
output, state_h = map(keras.ops.convert_to_numpy, result)  # NumPy arrays on every backend
print(np.array_equal(output, state_h))
#> True
try:
    output, state_h, state_c = result  # an LSTM's unpacking
except ValueError as error:
    print(error)
    #> not enough values to unpack (expected 3, got 2)
# --8<-- [end:state]

# --8<-- [start:reference]
for reset_after in (True, False):
    gru = keras.layers.GRU(4, return_sequences=True, reset_after=reset_after)
    gru.build((None, None, 5))
    kernel, recurrent_kernel, bias = gru.get_weights()
    bias = np.random.default_rng(2).normal(size=bias.shape).astype("float32")  # not the default zeros
    gru.set_weights([kernel, recurrent_kernel, bias])
    expected = keras.ops.convert_to_numpy(gru(x))
    ours = reference.gru(x, kernel, recurrent_kernel, bias, reset_after=reset_after, return_sequences=True)
    print(reset_after, np.allclose(ours, expected, rtol=0, atol=1e-5))
    #> True True
    #> False True
# --8<-- [end:reference]
