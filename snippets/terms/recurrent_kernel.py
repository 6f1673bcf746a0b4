import keras

layer = keras.layers.LSTM(4)
layer.build((None, None, 5))
print(layer.weights[1].shape)
#> (4, 16)
