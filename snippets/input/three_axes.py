import keras
import numpy as np

# --8<-- [start:layout]
batch, timesteps, features = 3, 7, 5
x = np.random.default_rng(0).normal(size=(batch, timesteps, features)).astype("float32")

inputs = keras.Input(shape=(timesteps, features))  # no batch axis here
print(inputs.shape)
#> (None, 7, 5)

model = keras.Model(inputs, keras.layers.LSTM(4)(inputs))
print(keras.ops.shape(model(x)))  # a tuple on every backend (PyTorch's .shape is a torch.Size)
#> (3, 4)
print(keras.ops.shape(model(x[:1])))  # any batch size fits the same model
#> (1, 4)
# --8<-- [end:layout]

# --8<-- [start:any-length]
variable_length = keras.Input(shape=(None, features))  # timesteps left open
flexible = keras.Model(variable_length, keras.layers.LSTM(4)(variable_length))
for steps in (2, 7, 50):
    print(keras.ops.shape(flexible(np.zeros((batch, steps, features), "float32"))))
    #> (3, 4)
    #> (3, 4)
    #> (3, 4)
# --8<-- [end:any-length]
