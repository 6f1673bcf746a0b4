import tempfile
import warnings
from pathlib import Path

import keras

from glossary.porting import port

# --8<-- [start:model]
model = keras.Sequential(
    [
        keras.Input((30, 3)),  # (timesteps, features)
        keras.layers.LSTM(16, return_sequences=True, name="encoder"),
        keras.layers.Bidirectional(keras.layers.GRU(8), name="summary"),
        keras.layers.Dense(1, name="forecast"),
    ],
    name="forecaster",
)
# --8<-- [end:model]

with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "forecaster.keras"
    with warnings.catch_warnings():  # TensorFlow's variables warn under NumPy 2 while saving
        warnings.simplefilter("ignore", DeprecationWarning)
        model.save(path)
    # --8<-- [start:port]
    ported = port(path, "onnx")  # what `glossary port MODEL --to onnx OUT` runs before it writes
    for layer, difference in zip(ported.layers, ported.differences, strict=True):
        print(layer.title, "agrees with Keras to 1e-5:", difference <= 1e-5)
        #> encoder (LSTM) agrees with Keras to 1e-5: True
        #> summary (Bidirectional GRU, 2 directions) agrees with Keras to 1e-5: True
    print(type(ported.content).__name__, ported.agrees)  # the bytes of the file; written when all agree
    #> bytes True
    # --8<-- [end:port]
