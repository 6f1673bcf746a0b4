import keras
import numpy as np
import torch

x = np.random.default_rng(0).normal(size=(3, 7, 5)).astype("float32")
keras.utils.set_random_seed(0)

# --8<-- [start:shapes]
torch_lstm = torch.nn.LSTM(input_size=5, hidden_size=4, batch_first=True)
for name, weight in torch_lstm.named_parameters():
    print(name, tuple(weight.shape))
    #> weight_ih_l0 (16, 5)
    #> weight_hh_l0 (16, 4)
    #> bias_ih_l0 (16,)
    #> bias_hh_l0 (16,)
# --8<-- [end:shapes]

# --8<-- [start:keras-to-torch]
# biases as trained: random in all four gate blocks (unit_forget_bias would set the forget gate's to ones)
keras_lstm = keras.layers.LSTM(4, return_sequences=True, bias_initializer="random_normal", unit_forget_bias=False)
expected = keras.ops.convert_to_numpy(keras_lstm(x))  # np.asarray refuses a tensor that tracks gradients
kernel, recurrent_kernel, bias = keras_lstm.get_weights()

with torch.no_grad():
    torch_lstm.weight_ih_l0.copy_(torch.from_numpy(kernel.T))  # (4 * units, features)
    torch_lstm.weight_hh_l0.copy_(torch.from_numpy(recurrent_kernel.T))  # (4 * units, units)
    torch_lstm.bias_ih_l0.copy_(torch.from_numpy(bias))
    torch_lstm.bias_hh_l0.zero_()  # Keras has one bias; PyTorch adds two
    output, (h_n, c_n) = torch_lstm(torch.from_numpy(x))

print(np.allclose(output.numpy(), expected, rtol=0, atol=1e-5))
#> True
print(tuple(h_n.shape))  # (layers * directions, batch, units)
#> (1, 3, 4)
# --8<-- [end:keras-to-torch]

# --8<-- [start:torch-to-keras]
back = keras.layers.LSTM(4, return_sequences=True)
back.build((None, None, 5))
with torch.no_grad():
    torch_lstm.bias_hh_l0.normal_()  # a trained nn.LSTM has both biases
    output = torch_lstm(torch.from_numpy(x))[0].numpy()
    back.set_weights(
        [
            torch_lstm.weight_ih_l0.numpy().T,
            torch_lstm.weight_hh_l0.numpy().T,
            (torch_lstm.bias_ih_l0 + torch_lstm.bias_hh_l0).numpy(),  # the two add up
        ]
    )
print(np.allclose(keras.ops.convert_to_numpy(back(x)), output, rtol=0, atol=1e-5))
#> True
# --8<-- [end:torch-to-keras]

# --8<-- [start:gru]
def to_torch_order(blocks):
    update, reset, candidate = np.split(blocks, 3, axis=-1)  # Keras: z, r, h
    return np.concatenate([reset, update, candidate], axis=-1)  # PyTorch: r, z, n


keras_gru = keras.layers.GRU(4, return_sequences=True, bias_initializer="random_normal")  # reset_after=True
expected = keras.ops.convert_to_numpy(keras_gru(x))
kernel, recurrent_kernel, bias = keras_gru.get_weights()
print(kernel.shape, recurrent_kernel.shape, bias.shape)
#> (5, 12) (4, 12) (2, 12)

torch_gru = torch.nn.GRU(input_size=5, hidden_size=4, batch_first=True)
with torch.no_grad():
    torch_gru.weight_ih_l0.copy_(torch.from_numpy(to_torch_order(kernel).T))
    torch_gru.weight_hh_l0.copy_(torch.from_numpy(to_torch_order(recurrent_kernel).T))
    torch_gru.bias_ih_l0.copy_(torch.from_numpy(to_torch_order(bias[0])))  # input bias row
    torch_gru.bias_hh_l0.copy_(torch.from_numpy(to_torch_order(bias[1])))  # recurrent bias row
    output = torch_gru(torch.from_numpy(x))[0].numpy()
print(np.allclose(output, expected, rtol=0, atol=1e-5))
#> True
# --8<-- [end:gru]
