import keras
import numpy as np

x = np.random.default_rng(0).normal(size=(3, 7, 5)).astype("float32")

# --8<-- [start:dense]
sequence = keras.layers.LSTM(4, return_sequences=True)(x)  # (batch, timesteps, units)
sequence = keras.ops.convert_to_numpy(sequence)  # a NumPy array on every backend
dense = keras.layers.Dense(2)
per_timestep = keras.ops.convert_to_numpy(dense(sequence))
print(tuple(per_timestep.shape), dense.count_params())
#> (3, 7, 2) 10

wrapped = keras.ops.convert_to_numpy(keras.layers.TimeDistributed(dense)(sequence))  # the same Dense, wrapped
print(np.allclose(per_timestep, wrapped, rtol=0, atol=1e-6))
#> True

by_hand = sequence @ dense.kernel.numpy() + dense.bias.numpy()
print(np.allclose(per_timestep, by_hand, rtol=0, atol=1e-6))
#> True
# --8<-- [end:dense]
