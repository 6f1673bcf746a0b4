import keras
import numpy as np

# --8<-- [start:error]
table = np.zeros((3, 5), "float32")  # 3 samples of 5 features: no time axis
try:
    keras.layers.LSTM(4, name="lstm")(table)
except ValueError as error:
    print(error)
    '''
    Input 0 with name 'None' of layer 'lstm' is incompatible with the layer: expected ndim=3, found ndim=2. Full shape received: (3, 5)
    '''
# --8<-- [end:error]

# --8<-- [start:fix]
one_step_each = table[:, None, :]  # every sample is a sequence of 1 timestep
# keras.ops.shape: a tuple on every backend (PyTorch's .shape is a torch.Size)
print(one_step_each.shape, keras.ops.shape(keras.layers.LSTM(4)(one_step_each)))
#> (3, 1, 5) (3, 4)

five_steps_each = table[:, :, None]  # every sample is 5 timesteps of 1 feature
print(five_steps_each.shape, keras.ops.shape(keras.layers.LSTM(4)(five_steps_each)))
#> (3, 5, 1) (3, 4)
# --8<-- [end:fix]
