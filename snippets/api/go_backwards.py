import keras
import numpy as np

keras.utils.set_random_seed(0)
x = np.random.default_rng(0).normal(size=(3, 7, 5)).astype("float32")

# --8<-- [start:flipped]
backwards = keras.layers.LSTM(4, return_sequences=True, go_backwards=True)
returned = keras.ops.convert_to_numpy(backwards(x))  # a NumPy array on every backend

forwards = keras.layers.LSTM(4, return_sequences=True)
forwards.build((None, None, 5))
forwards.set_weights(backwards.get_weights())
on_reversed_input = keras.ops.convert_to_numpy(forwards(x[:, ::-1]))  # timesteps last to first

print(np.allclose(returned, on_reversed_input, rtol=0, atol=1e-6))
#> True
print(np.allclose(returned[:, ::-1], on_reversed_input, rtol=0, atol=1e-6))  # not re-ordered
#> False
# --8<-- [end:flipped]

# --8<-- [start:realign]
in_time_order = returned[:, ::-1]  # row t now belongs to timestep t again
print(in_time_order.shape)
#> (3, 7, 4)
# --8<-- [end:realign]
