import torch

lstm = torch.nn.LSTM(input_size=3, hidden_size=4)
print(sum(p.numel() for p in lstm.parameters()), [tuple(p.shape) for p in lstm.parameters()])
#> 144 [(16, 3), (16, 4), (16,), (16,)]
