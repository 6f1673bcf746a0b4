import keras

print(keras.layers.LSTM(4).cell.unit_forget_bias)
#> True
