import keras

lstm = keras.layers.LSTM(4)
lstm.build((None, None, 3))  # 3 features
print(lstm.count_params(), [tuple(w.shape) for w in lstm.weights])
#> 128 [(3, 16), (4, 16), (16,)]
