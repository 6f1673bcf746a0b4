import keras

# --8<-- [start:stack]
inputs = keras.Input(shape=(7, 5))  # (timesteps, features)
first = keras.layers.LSTM(8, return_sequences=True)(inputs)
second = keras.layers.LSTM(6, return_sequences=True)(first)
third = keras.layers.LSTM(4)(second)
print(first.shape, second.shape, third.shape)
#> (None, 7, 8) (None, 7, 6) (None, 4)
# --8<-- [end:stack]

# --8<-- [start:error]
inputs = keras.Input(shape=(7, 5))
last_only = keras.layers.LSTM(8)(inputs)  # return_sequences left at False
print(last_only.shape)
#> (None, 8)
try:
    keras.layers.LSTM(4, name="second_lstm")(last_only)
except ValueError as error:
    print(error)
    '''
    Input 0 with name 'None' of layer 'second_lstm' is incompatible with the layer: expected ndim=3, found ndim=2. Full shape received: (None, 8)
    '''
# --8<-- [end:error]
