import keras
import numpy as np

keras.utils.set_random_seed(0)  # the same initial weights on every run

# --8<-- [start:returned]
x = np.random.default_rng(0).normal(size=(3, 7, 5)).astype("float32")  # (batch, timesteps, features)
layer = keras.layers.LSTM(4, return_sequences=True, return_state=True)
hidden_states, final_hidden_state, final_cell_state = layer(x)
print(tuple(hidden_states.shape), tuple(final_hidden_state.shape), tuple(final_cell_state.shape))
#> (3, 7, 4) (3, 4) (3, 4)
# --8<-- [end:returned]


# --8<-- [start:trace]
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def lstm_trace(layer, x, initial_state=None):
    """Every timestep of a Keras LSTM layer: its four gates, cell state and hidden state.

    Each value is an array of shape (batch, timesteps, units). The layer must use Keras's default
    activations (tanh and sigmoid) and run forwards, without a mask. The states start from zeros,
    as the layer's do, or from `initial_state`: a pair [h, c] of arrays of shape (batch, units).
    """
    kernel, recurrent_kernel, bias = layer.get_weights()  # gates packed in the order i, f, c, o
    batch, timesteps, _ = x.shape
    zeros = np.zeros((batch, layer.units), "float32")
    hidden_state, cell_state = (zeros, zeros) if initial_state is None else initial_state
    trace = {name: [] for name in ("input_gate", "forget_gate", "candidate", "output_gate", "cell_state", "hidden_state")}
    for t in range(timesteps):
        z = x[:, t] @ kernel + hidden_state @ recurrent_kernel + bias  # (batch, 4 * units)
        z_i, z_f, z_c, z_o = np.split(z, 4, axis=-1)
        input_gate, forget_gate = sigmoid(z_i), sigmoid(z_f)
        candidate, output_gate = np.tanh(z_c), sigmoid(z_o)
        cell_state = forget_gate * cell_state + input_gate * candidate
        hidden_state = output_gate * np.tanh(cell_state)
        for name, value in zip(trace, (input_gate, forget_gate, candidate, output_gate, cell_state, hidden_state), strict=True):
            trace[name].append(value)
    return {name: np.stack(values, axis=1) for name, values in trace.items()}
# --8<-- [end:trace]


# --8<-- [start:checked]
trace = lstm_trace(layer, x)
print(trace["cell_state"].shape)  # the cell state at every timestep
#> (3, 7, 4)
# The hidden states are the ones Keras returns, and the last cell state is Keras's final one.
# (1e-5: float32 sums of a few products, rounded in another order by each.)
# keras.ops.convert_to_numpy, not np.asarray: PyTorch's outputs here are tensors that require grad.
print(np.allclose(trace["hidden_state"], keras.ops.convert_to_numpy(hidden_states), rtol=0, atol=1e-5))
#> True
print(np.allclose(trace["cell_state"][:, -1], keras.ops.convert_to_numpy(final_cell_state), rtol=0, atol=1e-5))
#> True
# --8<-- [end:checked]

# --8<-- [start:started]
# states carried from before
h, c = keras.ops.convert_to_numpy(final_hidden_state), keras.ops.convert_to_numpy(final_cell_state)
started = lstm_trace(layer, x, initial_state=[h, c])
from_keras = keras.ops.convert_to_numpy(layer(x, initial_state=[h, c])[0])
print(np.allclose(started["hidden_state"], from_keras, rtol=0, atol=1e-5))
#> True
# --8<-- [end:started]

# --8<-- [start:ranges]
for name, values in trace.items():
    print(f"{name:>12}: from {values.min():+.2f} to {values.max():+.2f}")
    #>   input_gate: from +0.13 to +0.80
    #>  forget_gate: from +0.29 to +0.97
    #>    candidate: from -0.84 to +0.90
    #>  output_gate: from +0.18 to +0.94
    #>   cell_state: from -0.97 to +1.11
    #> hidden_state: from -0.38 to +0.60
# --8<-- [end:ranges]

# --8<-- [start:in-a-model]
inputs = keras.Input((7, 5))
features = keras.layers.Dense(6, activation="relu")(inputs)  # the LSTM reads 6 features, not 5
last_hidden_state = keras.layers.LSTM(4, name="encoder")(features)
model = keras.Model(inputs, keras.layers.Dense(1)(last_hidden_state))

encoder = model.get_layer("encoder")
reaches_encoder = keras.Model(model.input, encoder.input)  # what the layer reads inside the model
trace = lstm_trace(encoder, keras.ops.convert_to_numpy(reaches_encoder(x)))
print(trace["forget_gate"].shape)
#> (3, 7, 4)
encoder_output = keras.ops.convert_to_numpy(keras.Model(model.input, encoder.output)(x))
print(np.allclose(trace["hidden_state"][:, -1], encoder_output, rtol=0, atol=1e-5))
#> True
# --8<-- [end:in-a-model]
