import keras

layer = keras.layers.LSTM(4)
layer.build((None, None, 5))
print(layer.weights[0].shape)
#> (5, 16)
