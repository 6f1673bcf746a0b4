import keras
import numpy as np

x = np.zeros((3, 7, 5), "float32")  # (batch, timesteps, features)

# --8<-- [start:shapes]
for return_sequences in (False, True):
    for return_state in (False, True):
        layer = keras.layers.LSTM(4, return_sequences=return_sequences, return_state=return_state)
        result = layer(x)
        shapes = [tuple(r.shape) for r in result] if return_state else tuple(result.shape)
        print(f"{return_sequences=!s:5} {return_state=!s:5} -> {shapes}")
        #> return_sequences=False return_state=False -> (3, 4)
        #> return_sequences=False return_state=True  -> [(3, 4), (3, 4), (3, 4)]
        #> return_sequences=True  return_state=False -> (3, 7, 4)
        #> return_sequences=True  return_state=True  -> [(3, 7, 4), (3, 4), (3, 4)]
# --8<-- [end:shapes]
