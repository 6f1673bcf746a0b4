import keras
import numpy as np

keras.utils.set_random_seed(0)
x = np.random.default_rng(0).normal(size=(3, 7, 5)).astype("float32")

# --8<-- [start:by-hand]
rnn = keras.layers.SimpleRNN(4, return_sequences=True)
rnn.build((None, None, 5))
kernel, recurrent_kernel, bias = rnn.get_weights()
print(kernel.shape, recurrent_kernel.shape, bias.shape)
#> (5, 4) (4, 4) (4,)
bias = np.random.default_rng(1).normal(size=4).astype("float32")  # a new layer's biases are zeros
rnn.set_weights([kernel, recurrent_kernel, bias])
expected = keras.ops.convert_to_numpy(rnn(x))  # np.asarray refuses PyTorch's tensors that track gradients

hidden_state = np.zeros((3, 4), "float32")  # (batch, units)
for t in range(x.shape[1]):
    hidden_state = np.tanh(x[:, t] @ kernel + hidden_state @ recurrent_kernel + bias)
print(np.allclose(hidden_state, expected[:, -1], rtol=0, atol=1e-5))
#> True
# --8<-- [end:by-hand]

# --8<-- [start:state]
output, state_h = map(keras.ops.convert_to_numpy, keras.layers.SimpleRNN(4, return_state=True)(x))
print(np.array_equal(output, state_h))
#> True
# --8<-- [end:state]
