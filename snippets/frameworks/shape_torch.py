import torch

x = torch.zeros(2, 5, 3)  # (batch, timesteps, features) with batch_first=True
lstm = torch.nn.LSTM(input_size=3, hidden_size=4, batch_first=True)
output, (h_n, c_n) = lstm(x)
print(tuple(output.shape))  # (batch, timesteps, hidden_size): every timestep, always
#> (2, 5, 4)
print(tuple(torch.nn.LSTM(3, 4)(x.transpose(0, 1))[0].shape))  # the default: (timesteps, batch, ...)
#> (5, 2, 4)
