import keras
import numpy as np

x = np.random.default_rng(0).normal(size=(3, 7, 5)).astype("float32")

# --8<-- [start:merge]
for merge_mode in ("concat", "sum", "mul", "ave", None):
    result = keras.layers.Bidirectional(keras.layers.LSTM(4), merge_mode=merge_mode)(x)
    shapes = [tuple(r.shape) for r in result] if merge_mode is None else tuple(result.shape)
    print(merge_mode, shapes)
    #> concat (3, 8)
    #> sum (3, 4)
    #> mul (3, 4)
    #> ave (3, 4)
    #> None [(3, 4), (3, 4)]
# --8<-- [end:merge]

# --8<-- [start:states]
result = keras.layers.Bidirectional(keras.layers.LSTM(4, return_state=True))(x)
print(type(result).__name__, len(result))
#> tuple 5
# NumPy arrays on every backend (np.asarray refuses PyTorch's tensors that track gradients)
output, forward_h, forward_c, backward_h, backward_c = map(keras.ops.convert_to_numpy, result)
print(tuple(output.shape), tuple(forward_h.shape), tuple(backward_c.shape))
#> (3, 8) (3, 4) (3, 4)
print(np.array_equal(output, np.concatenate([forward_h, backward_h], axis=-1)))
#> True
# --8<-- [end:states]
