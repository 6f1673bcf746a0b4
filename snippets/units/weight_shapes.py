import keras

from glossary.keras_weights import lstm_gate_weights

# --8<-- [start:packed]
layer = keras.layers.LSTM(4, name="lstm")  # units = 4
layer.build((None, None, 5))  # features = 5; batch and timesteps left open
for weight in layer.weights:
    print(weight.path, tuple(weight.shape))
    #> lstm/lstm_cell/kernel (5, 16)
    #> lstm/lstm_cell/recurrent_kernel (4, 16)
    #> lstm/lstm_cell/bias (16,)
# --8<-- [end:packed]

# --8<-- [start:gates]
for gate, weights in lstm_gate_weights(layer).items():
    print(gate, weights.kernel.shape, weights.recurrent_kernel.shape, weights.bias.shape)
    #> input_gate (5, 4) (4, 4) (4,)
    #> forget_gate (5, 4) (4, 4) (4,)
    #> candidate (5, 4) (4, 4) (4,)
    #> output_gate (5, 4) (4, 4) (4,)
# --8<-- [end:gates]
