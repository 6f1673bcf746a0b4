import keras
import numpy as np

from glossary import keras_weights, reference

keras.utils.set_random_seed(0)

# --8<-- [start:padded]
x = np.random.default_rng(0).normal(size=(2, 5, 3)).astype("float32")
x[0, 3:] = 0.0  # the first sequence is 3 timesteps long, padded with zeros to 5

mask = keras.layers.Masking(mask_value=0.0).compute_mask(x)  # (batch, timesteps)
print(keras.ops.convert_to_numpy(mask))
'''
[[ True  True  True False False]
 [ True  True  True  True  True]]
'''

lstm = keras.layers.LSTM(2, return_sequences=True, return_state=True)
# NumPy arrays on every backend (np.asarray refuses PyTorch's tensors that track gradients)
sequence, state_h, state_c = map(keras.ops.convert_to_numpy, lstm(x, mask=mask))
print(sequence[0].round(3))  # timesteps 4 and 5 repeat timestep 3
'''
[[ 0.056  0.049]
 [ 0.076  0.056]
 [-0.033 -0.078]
 [-0.033 -0.078]
 [-0.033 -0.078]]
'''
# --8<-- [end:padded]

# --8<-- [start:state]
print(np.array_equal(state_h[0], sequence[0, 2]))  # the state after the last real timestep
#> True
# --8<-- [end:state]

# --8<-- [start:reference]
ours = reference.lstm(x, *keras_weights.lstm_arrays(lstm), return_sequences=True, mask=keras.ops.convert_to_numpy(mask))
print(np.allclose(ours, sequence, rtol=0, atol=1e-5))
#> True
# --8<-- [end:reference]
