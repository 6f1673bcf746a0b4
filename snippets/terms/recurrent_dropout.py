import keras

print(keras.layers.LSTM(4, recurrent_dropout=0.2).recurrent_dropout)
#> 0.2
