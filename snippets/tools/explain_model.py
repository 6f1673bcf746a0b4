# ruff: noqa: RUF001 - the #> lines show the multiplication sign explain prints
import io
import tempfile
import warnings
from pathlib import Path

import keras

import glossary

# --8<-- [start:model]
model = keras.Sequential(
    [
        keras.Input((30, 3)),  # (timesteps, features)
        keras.layers.LSTM(16, return_sequences=True, name="encoder"),
        keras.layers.GRU(8, name="summary"),
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
    # --8<-- [start:explain]
    text = io.StringIO()
    glossary.explain(path, file=text)  # without file=, it prints to the screen
    print(text.getvalue().rstrip())
    '''
    Model 'forecaster': 2 recurrent layers, holding 1904 of its 1913 parameters

    encoder (LSTM)
      input: (None, 30, 3) = (batch, timesteps, features)
      features: 3, timesteps: 30
      units: 16 (the size of the hidden state and of the cell state)
      weights, split by gate (in the order Keras packs them side by side):
        gate         kernel   recurrent_kernel  bias
        input gate   (3, 16)  (16, 16)          (16,)
        forget gate  (3, 16)  (16, 16)          (16,)
        candidate    (3, 16)  (16, 16)          (16,)
        output gate  (3, 16)  (16, 16)          (16,)
        packed       (3, 64)  (16, 64)          (64,)
      parameters: 4 × (3 + 16 + 1) × 16 = 1280
      returns (return_sequences=True, return_state=False):
        hidden state at every timestep  (None, 30, 16) = (batch, timesteps, units)
      cuDNN kernel: allowed by these settings (on a GPU, Keras 3 takes it on TensorFlow, PyTorch and JAX)

    summary (GRU, reset_after=True)
      input: (None, 30, 16) = (batch, timesteps, features)
      features: 16, timesteps: 30
      units: 8 (the size of the hidden state)
      weights, split by gate (in the order Keras packs them side by side):
        gate         kernel    recurrent_kernel  bias
        update gate  (16, 8)   (8, 8)            (2, 8)
        reset gate   (16, 8)   (8, 8)            (2, 8)
        candidate    (16, 8)   (8, 8)            (2, 8)
        packed       (16, 24)  (8, 24)           (2, 24)
        bias has 2 rows with reset_after=True: row 0 for the input side, row 1 for the recurrent side
      parameters: 3 × (16 + 8 + 2) × 8 = 624
      returns (return_sequences=False, return_state=False):
        last hidden state  (None, 8) = (batch, units)
      cuDNN kernel: allowed by these settings (on a GPU, Keras 3 takes it on TensorFlow and PyTorch; its JAX backend has no cuDNN GRU)
    '''
    # --8<-- [end:explain]
