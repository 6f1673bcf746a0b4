import keras

print(keras.layers.LSTM(4).use_cudnn)
#> auto
