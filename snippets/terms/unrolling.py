import keras

print(keras.layers.LSTM(4, unroll=True).unroll)
#> True
