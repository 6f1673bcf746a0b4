import keras
import numpy as np

layer = keras.layers.LSTM(4)  # 4 units
for timesteps in (1, 4, 30):
    x = np.zeros((3, timesteps, 5), "float32")
    print(timesteps, "timesteps ->", tuple(layer(x).shape))
    #> 1 timesteps -> (3, 4)
    #> 4 timesteps -> (3, 4)
    #> 30 timesteps -> (3, 4)
print(layer.count_params(), "parameters, whatever the sequence length")
#> 160 parameters, whatever the sequence length
