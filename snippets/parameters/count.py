import keras

# --8<-- [start:formula]
features, units = 5, 4
per_gate = units * features + units * units + units  # kernel + recurrent kernel + bias
print(per_gate, 4 * per_gate)
#> 40 160

layer = keras.layers.LSTM(units)
layer.build((None, None, features))
print(layer.count_params())
#> 160
# --8<-- [end:formula]

# --8<-- [start:simple-rnn]
simple = keras.layers.SimpleRNN(units)
simple.build((None, None, features))
print(simple.count_params(), layer.count_params() // simple.count_params())
#> 40 4
# --8<-- [end:simple-rnn]

# --8<-- [start:batch-and-time]
for batch, timesteps in ((1, 1), (32, 10), (512, 1000)):
    sized = keras.layers.LSTM(units)
    sized.build((batch, timesteps, features))
    print(batch, timesteps, sized.count_params())
    #> 1 1 160
    #> 32 10 160
    #> 512 1000 160
# --8<-- [end:batch-and-time]

# --8<-- [start:gru]
print(keras.layers.GRU(5).reset_after)
#> True
for reset_after in (True, False):
    gru = keras.layers.GRU(5, reset_after=reset_after)
    gru.build((None, None, 4))
    print(f"{reset_after=}", gru.count_params(), [tuple(w.shape) for w in gru.weights])
    #> reset_after=True 165 [(4, 15), (5, 15), (2, 15)]
    #> reset_after=False 150 [(4, 15), (5, 15), (15,)]
# --8<-- [end:gru]
