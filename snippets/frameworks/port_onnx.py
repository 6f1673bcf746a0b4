import keras
import numpy as np
import onnxruntime

from glossary.port.onnx import lstm_from_onnx, lstm_to_onnx

x = np.random.default_rng(0).normal(size=(3, 7, 5)).astype("float32")
keras.utils.set_random_seed(0)

# --8<-- [start:to-onnx]
layer = keras.layers.Bidirectional(keras.layers.LSTM(4, return_sequences=True))
expected = keras.ops.convert_to_numpy(layer(x))  # (batch, timesteps, 2 * units), a NumPy array on every backend

model = lstm_to_onnx(layer.get_weights())  # one ONNX LSTM operator, both directions
print([(i.name, tuple(i.dims)) for i in model.graph.initializer])
#> [('W', (2, 16, 5)), ('R', (2, 16, 4)), ('B', (2, 32))]

session = onnxruntime.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
y, y_h, y_c = session.run(None, {"X": x.transpose(1, 0, 2)})  # ONNX reads (timesteps, batch, features)
print(y.shape)  # (timesteps, directions, batch, units)
#> (7, 2, 3, 4)
output = y.transpose(2, 0, 1, 3).reshape(3, 7, 8)  # Keras's concat of the two directions
print(np.allclose(output, expected, rtol=0, atol=1e-5))
#> True
# --8<-- [end:to-onnx]

# --8<-- [start:from-onnx]
weights = lstm_from_onnx(model)
print([w.shape for w in weights])
#> [(5, 16), (4, 16), (16,), (5, 16), (4, 16), (16,)]
print(all(np.array_equal(a, b) for a, b in zip(weights, layer.get_weights(), strict=True)))
#> True
# --8<-- [end:from-onnx]
