import keras

print(type(keras.layers.LSTM(4).cell).__name__)
#> LSTMCell
