import random

import keras
import numpy as np

x = np.random.default_rng(0).normal(size=(32, 10, 3)).astype("float32")  # 32 sequences of 10 steps
y = x[:, -1, :1]


def built_weights(layer):
    layer.build((None, None, 3))
    return [np.asarray(weight) for weight in layer.weights]


def same(first, second):
    return all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))


# --8<-- [start:seed]
keras.utils.set_random_seed(7)  # Python's random, NumPy's and the backend's, all at once
drawn = random.random(), np.random.rand()
keras.utils.set_random_seed(7)
print(drawn == (random.random(), np.random.rand()))  # Python's and NumPy's generators start again
#> True

keras.utils.set_random_seed(7)
first = built_weights(keras.layers.LSTM(4))
keras.utils.set_random_seed(7)
second = built_weights(keras.layers.LSTM(4))
third = built_weights(keras.layers.LSTM(4))  # no new seed: the generators have moved on
early = keras.layers.LSTM(4)  # created before the seed is set
keras.utils.set_random_seed(7)
print(same(first, second), same(first, third), same(first, built_weights(early)))
#> True False False
# --8<-- [end:seed]

# --8<-- [start:training]
def train(seed):
    keras.utils.set_random_seed(seed)  # before the model is made: its weights come from the seed
    model = keras.Sequential([keras.Input((10, 3)), keras.layers.LSTM(8, dropout=0.2), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(x, y, epochs=2, batch_size=16, shuffle=True, verbose=0)  # dropout and shuffling
    return history.history["loss"]


first, again, other = train(0), train(0), train(1)
print(first == again, first == other)  # equal to the last bit, on one machine
#> True False
# --8<-- [end:training]

# --8<-- [start:initializer]
keras.utils.set_random_seed(1)
first = built_weights(keras.layers.LSTM(4, kernel_initializer=keras.initializers.GlorotUniform(seed=1)))
keras.utils.set_random_seed(2)  # another global seed: the seeded kernel does not follow it
second = built_weights(keras.layers.LSTM(4, kernel_initializer=keras.initializers.GlorotUniform(seed=1)))
print(np.array_equal(first[0], second[0]), np.array_equal(first[1], second[1]))  # kernel, recurrent kernel
#> True False
# --8<-- [end:initializer]
