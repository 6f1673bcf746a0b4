import keras
import numpy as np

x = np.random.default_rng(0).normal(size=(3, 14, 5)).astype("float32")

# --8<-- [start:setup]
inputs = keras.Input(batch_shape=(3, 7, 5))  # stateful needs a fixed batch size
stateful_lstm = keras.layers.LSTM(4, stateful=True)
model = keras.Model(inputs, stateful_lstm(inputs))
print([tuple(state.shape) for state in stateful_lstm.states])
#> [(3, 4), (3, 4)]
# --8<-- [end:setup]

# --8<-- [start:old-way]
try:
    keras.layers.LSTM(4, stateful=True, batch_input_shape=(3, 7, 5))
except ValueError as error:
    print(error)
    #> Unrecognized keyword arguments passed to LSTM: {'batch_input_shape': (3, 7, 5)}
# --8<-- [end:old-way]

# --8<-- [start:carry]
whole = keras.layers.LSTM(4)  # an ordinary LSTM reading all 14 timesteps at once
whole.build((None, None, 5))
whole.set_weights(stateful_lstm.get_weights())

model(x[:, :7])  # first half: the final states stay in the layer
second_half = keras.ops.convert_to_numpy(model(x[:, 7:]))  # second half starts from them
print(np.allclose(second_half, keras.ops.convert_to_numpy(whole(x)), rtol=0, atol=1e-5))
#> True
# --8<-- [end:carry]

# --8<-- [start:reset]
stateful_lstm.reset_state()  # back to zeros
after_reset = keras.ops.convert_to_numpy(model(x[:, 7:]))
print(np.allclose(after_reset, keras.ops.convert_to_numpy(whole(x[:, 7:])), rtol=0, atol=1e-5))
#> True
# --8<-- [end:reset]
