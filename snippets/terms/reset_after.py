import keras

layer = keras.layers.GRU(4)
layer.build((None, None, 5))
print(layer.weights[2].shape)
#> (2, 12)
