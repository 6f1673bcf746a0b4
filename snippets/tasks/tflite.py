import contextlib
import io
import warnings

import keras
import numpy as np
import tensorflow as tf

x = np.random.default_rng(0).normal(size=(1, 7, 5)).astype("float32")  # 1 sequence, 7 timesteps, 5 features

# --8<-- [start:convert]
inputs = keras.Input((7, 5), batch_size=1)  # a fixed batch size: left open, the conversion fails
model = keras.Model(inputs, keras.layers.LSTM(4)(inputs))
converter = tf.lite.TFLiteConverter.from_keras_model(model)
with contextlib.redirect_stdout(io.StringIO()):  # Keras prints the SavedModel it exports on the way
    tflite_model = converter.convert()  # the bytes of a .tflite file
print(type(tflite_model).__name__)
#> bytes
# --8<-- [end:convert]

# --8<-- [start:run]
with warnings.catch_warnings():  # TensorFlow 2.21 warns that this interpreter moves to LiteRT
    warnings.simplefilter("ignore", UserWarning)
    interpreter = tf.lite.Interpreter(model_content=tflite_model)
interpreter.allocate_tensors()
interpreter.set_tensor(interpreter.get_input_details()[0]["index"], x)
interpreter.invoke()
output = interpreter.get_tensor(interpreter.get_output_details()[0]["index"])
print(output.shape, np.allclose(output, model.predict(x, verbose=0), rtol=0, atol=1e-5))
#> (1, 4) True
# --8<-- [end:run]
