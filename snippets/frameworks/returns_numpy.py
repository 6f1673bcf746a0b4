import numpy as np

from glossary import reference

rng = np.random.default_rng(0)
x = rng.normal(size=(2, 5, 3))
weights = rng.normal(size=(3, 16)), rng.normal(size=(4, 16)), np.zeros(16)  # Keras's layout
output, state_h, state_c = reference.lstm(x, *weights, return_state=True)
print(output.shape, state_h.shape, state_c.shape)
#> (2, 4) (2, 4) (2, 4)
print(np.array_equal(output, state_h))
#> True
