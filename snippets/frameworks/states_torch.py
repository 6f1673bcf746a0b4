import torch

x = torch.randn(1, 5, 3, generator=torch.Generator().manual_seed(0))
_, (hidden_state, cell_state) = torch.nn.LSTM(3, 4, batch_first=True)(x)  # PyTorch's h_n and c_n
print(bool(hidden_state.abs().max() <= 1))  # h = o * tanh(c): never larger than 1 in size
#> True
