import keras
import numpy as np

x = np.zeros((3, 7, 5), "float32")  # (batch, timesteps, features)

# --8<-- [start:shapes]
shapes = {}
for sequences in (False, True):
    for state in (False, True):
        result = keras.layers.LSTM(4, return_sequences=sequences, return_state=state)(x)
        shapes[sequences, state] = [tuple(a.shape) for a in result] if state else tuple(result.shape)

print(shapes[False, False])  # the default: the last hidden state
#> (3, 4)
print(shapes[False, True])  # return_state=True: output, state_h, state_c
#> [(3, 4), (3, 4), (3, 4)]
print(shapes[True, False])  # return_sequences=True: the hidden state of every timestep
#> (3, 7, 4)
print(shapes[True, True])  # both
#> [(3, 7, 4), (3, 4), (3, 4)]
# --8<-- [end:shapes]
