import re

import keras
import numpy as np

x = np.zeros((3, 7, 5), "float32")

# --8<-- [start:refused]
try:
    keras.layers.LSTM(4, use_cudnn=True)(x)
except ValueError as error:
    message = re.sub(r"\x1b\[[0-9;]*m", "", str(error))  # Keras makes its key line bold
    print(next(line for line in message.splitlines() if "use_cudnn=True" in line))
    '''
    use_cudnn=True was specified, but cuDNN is not supported for this layer configuration with this backend. Pass use_cudnn='auto' to fallback to a non-cuDNN implementation.
    '''
print(tuple(keras.layers.LSTM(4)(x).shape))  # the default, use_cudnn="auto", falls back
#> (3, 4)
# --8<-- [end:refused]
