import keras
import numpy as np
import torch

keras.utils.set_random_seed(0)  # the same weights on every run
torch.manual_seed(0)

# --8<-- [start:convlstm]
frames = np.zeros((2, 5, 8, 8, 3), "float32")  # (batch, timesteps, rows, columns, channels)
conv_lstm = keras.layers.ConvLSTM2D(filters=4, kernel_size=(3, 3), padding="same", return_sequences=True)
print(tuple(conv_lstm(frames).shape))  # every state is an image: (rows, columns, filters)
#> (2, 5, 8, 8, 4)
print([tuple(weight.shape) for weight in conv_lstm.weights])  # kernel, recurrent kernel, bias
#> [(3, 3, 3, 16), (3, 3, 4, 16), (16,)]
print(conv_lstm.count_params(), 4 * 4 * (3 * 3 * (3 + 4) + 1))  # 4 gates x filters x (kernel area x (channels + filters) + 1)
#> 1024 1024
# --8<-- [end:convlstm]

# --8<-- [start:no-peepholes]
try:
    keras.layers.LSTM(4, use_peepholes=True)
except ValueError as error:
    print(error)
    #> Unrecognized keyword arguments passed to LSTM: {'use_peepholes': True}
print([name for name, _ in torch.nn.LSTM(5, 4).named_parameters()])  # no peephole weights either
#> ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0']
# --8<-- [end:no-peepholes]

# --8<-- [start:torch-names]
stacked = torch.nn.LSTM(input_size=5, hidden_size=8, num_layers=2, bidirectional=True, proj_size=3)
shown = [  # the forward half of layer 0, and both halves of layer 1
    f"{name:<20} {tuple(weights.shape)}"
    for name, weights in stacked.named_parameters()
    if name.endswith(("l0", "l1", "l1_reverse"))
]
print("\n".join(shown))
'''
weight_ih_l0         (32, 5)
weight_hh_l0         (32, 3)
bias_ih_l0           (32,)
bias_hh_l0           (32,)
weight_hr_l0         (3, 8)
weight_ih_l1         (32, 6)
weight_hh_l1         (32, 3)
bias_ih_l1           (32,)
bias_hh_l1           (32,)
weight_hr_l1         (3, 8)
weight_ih_l1_reverse (32, 6)
weight_hh_l1_reverse (32, 3)
bias_ih_l1_reverse   (32,)
bias_hh_l1_reverse   (32,)
weight_hr_l1_reverse (3, 8)
'''
# --8<-- [end:torch-names]

# --8<-- [start:initializers]
lstm = keras.layers.LSTM(4)
lstm.build((None, None, 5))
cell = lstm.cell
print(type(cell.kernel_initializer).__name__, type(cell.recurrent_initializer).__name__, type(cell.bias_initializer).__name__)
#> GlorotUniform Orthogonal Zeros
recurrent = np.asarray(cell.recurrent_kernel)  # (units, 4 * units)
print(np.allclose(recurrent @ recurrent.T, np.eye(4), atol=1e-5))  # orthonormal rows; float32 rounding
#> True
bias = np.asarray(cell.bias).reshape(4, 4)  # one row per gate: input, forget, candidate, output
print(bias[:, 0])  # unit_forget_bias=True sets the forget gate's to 1
#> [0. 1. 0. 0.]
limit = 1 / np.sqrt(8)  # PyTorch: every array uniform in (-1/sqrt(hidden_size), 1/sqrt(hidden_size))
print(all(float(weights.detach().abs().max()) <= limit for weights in torch.nn.LSTM(5, 8).parameters()))
#> True
# --8<-- [end:initializers]
