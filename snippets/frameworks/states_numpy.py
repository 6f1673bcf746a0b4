import numpy as np

from glossary import reference

rng = np.random.default_rng(0)
kernel, recurrent_kernel, bias = rng.normal(size=(3, 16)), rng.normal(size=(4, 16)), np.zeros(16)
hidden_state = cell_state = np.zeros((1, 4))
for x_t in rng.normal(size=(5, 1, 3)):  # one timestep at a time: both states carried
    hidden_state, cell_state = reference.lstm_step(x_t, hidden_state, cell_state, kernel, recurrent_kernel, bias)
print(bool(np.max(np.abs(hidden_state)) <= 1))  # h = o * tanh(c): never larger than 1 in size
#> True
