import keras

inputs = keras.Input(batch_shape=(3, 7, 5))
layer = keras.layers.LSTM(4, stateful=True)
layer(inputs)
print([tuple(s.shape) for s in layer.states])
#> [(3, 4), (3, 4)]
