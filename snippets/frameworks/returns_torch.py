import torch

x = torch.randn(2, 5, 3, generator=torch.Generator().manual_seed(0))
output, (h_n, c_n) = torch.nn.LSTM(3, 4, batch_first=True)(x)  # always all three
print(tuple(output.shape), tuple(h_n.shape), tuple(c_n.shape))  # h_n: (layers, batch, hidden_size)
#> (2, 5, 4) (1, 2, 4) (1, 2, 4)
print(torch.equal(output[:, -1], h_n[0]))  # one layer, one direction: the last output is h_n
#> True
