import keras
import numpy as np

x = np.zeros((3, 7, 5), "float32")  # (batch, timesteps, features)

# --8<-- [start:shapes]
for sequences, state in [(False, False), (False, True), (True, False), (True, True)]:
    result = keras.layers.LSTM(4, return_sequences=sequences, return_state=state)(x)
    shapes = [tuple(array.shape) for array in result] if state else tuple(result.shape)
    print(sequences, state, shapes)  # return_sequences, return_state, what comes back
    #> False False (3, 4)
    #> False True [(3, 4), (3, 4), (3, 4)]
    #> True False (3, 7, 4)
    #> True True [(3, 7, 4), (3, 4), (3, 4)]
# --8<-- [end:shapes]
