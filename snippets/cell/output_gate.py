import numpy as np

from glossary.reference import lstm, lstm_step

rng = np.random.default_rng(0)
features, units = 5, 4
x = rng.normal(size=(3, 7, features)).astype("float32")
kernel = rng.normal(scale=0.4, size=(features, 4 * units)).astype("float32")
recurrent_kernel = rng.normal(scale=0.4, size=(units, 4 * units)).astype("float32")
bias = np.zeros(4 * units, "float32")
h_prev = rng.normal(scale=0.5, size=(3, units)).astype("float32")
c_prev = rng.normal(scale=0.5, size=(3, units)).astype("float32")

# --8<-- [start:one-step]
output_gate = slice(3 * units, 4 * units)  # the last of the four blocks
changed_kernel = kernel.copy()
changed_kernel[:, output_gate] += 1.0

h, c = lstm_step(x[:, 0], h_prev, c_prev, kernel, recurrent_kernel, bias)
h_changed, c_changed = lstm_step(x[:, 0], h_prev, c_prev, changed_kernel, recurrent_kernel, bias)
print("hidden state changed:", not np.array_equal(h, h_changed))
#> hidden state changed: True
print("cell state changed:  ", not np.array_equal(c, c_changed))
#> cell state changed:   False
# --8<-- [end:one-step]

# --8<-- [start:sequence]
_, _, cell = lstm(x, kernel, recurrent_kernel, bias, return_state=True)
_, _, cell_changed = lstm(x, changed_kernel, recurrent_kernel, bias, return_state=True)
print("final cell state changed:", not np.array_equal(cell, cell_changed))
#> final cell state changed: True
# --8<-- [end:sequence]
