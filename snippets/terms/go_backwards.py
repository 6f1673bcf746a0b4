import keras

print(keras.layers.LSTM(4, go_backwards=True).go_backwards)
#> True
