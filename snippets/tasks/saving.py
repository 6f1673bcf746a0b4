import os
import tempfile
import warnings

import keras
import numpy as np
import tensorflow as tf  # the serving format below is TensorFlow's, whatever Keras's backend

keras.utils.set_random_seed(0)  # the same weights on every run
warnings.filterwarnings("ignore", category=DeprecationWarning)  # TensorFlow's variables, under NumPy 2, while saving
folder = tempfile.mkdtemp()  # where this script writes its files

# --8<-- [start:save-load]
model = keras.Sequential(
    [keras.Input((None, 3)), keras.layers.LSTM(8, name="lstm"), keras.layers.Dense(1, name="forecast")]
)
x = np.random.default_rng(0).normal(size=(4, 20, 3)).astype("float32")  # 4 sequences of 20 steps
model.compile(optimizer="adam", loss="mse")
model.fit(x, x[:, -1, :1], epochs=2, verbose=0)  # a token training, so that there is an optimizer state

path = os.path.join(folder, "forecaster.keras")
model.save(path)  # one zip file: the config, the weights, and the optimizer's state
restored = keras.saving.load_model(path)
print(np.array_equal(restored.predict(x, verbose=0), model.predict(x, verbose=0)))
#> True
saved_state = [np.asarray(v) for v in restored.optimizer.variables]
print(all(np.array_equal(a, np.asarray(b)) for a, b in zip(saved_state, model.optimizer.variables, strict=True)))
#> True
# --8<-- [end:save-load]

# --8<-- [start:names]
try:
    model.save(os.path.join(folder, "forecaster"))  # Keras 2 wrote a SavedModel folder here
except ValueError as error:
    print(str(error).split(". ")[0])
    #> Invalid filepath extension for saving
try:
    model.save_weights(os.path.join(folder, "forecaster.h5"))
except ValueError as error:
    print(str(error).split(". ")[0])
    #> The filename must end in `.weights.h5`
model.save_weights(os.path.join(folder, "forecaster.weights.h5"))  # weights only: needs the code to rebuild
print(sorted(os.listdir(folder)))
#> ['forecaster.keras', 'forecaster.weights.h5']
# --8<-- [end:names]

# --8<-- [start:custom]
@keras.saving.register_keras_serializable(package="forecasting")
class MyLSTM(keras.layers.LSTM):
    """A layer class of your own: the file holds its registered name and config, not its code."""


mine = keras.Sequential([keras.Input((None, 3)), MyLSTM(8), keras.layers.Dense(1)])
mine.save(os.path.join(folder, "mine.keras"))
print(type(keras.saving.load_model(os.path.join(folder, "mine.keras")).layers[0]).__name__)
#> MyLSTM

doubled = keras.Sequential([keras.Input((None, 3)), keras.layers.LSTM(8), keras.layers.Lambda(lambda h: 2 * h)])
doubled.save(os.path.join(folder, "doubled.keras"))
try:
    keras.saving.load_model(os.path.join(folder, "doubled.keras"))  # safe_mode=True unless told otherwise
except ValueError as error:
    print(str(error).split(" whose")[0])  # the message goes on: "... whose `function` is a Python lambda"
    #> Requested the deserialization of a `Lambda` layer
# --8<-- [end:custom]

# --8<-- [start:export]
model.export(os.path.join(folder, "served"), format="tf_saved_model", verbose=False)
served = tf.saved_model.load(os.path.join(folder, "served"))  # no Keras needed from here on
print(np.allclose(served.serve(x), model.predict(x, verbose=0), atol=1e-6))  # float32 rounding
#> True
# --8<-- [end:export]

# --8<-- [start:litert]
one_sequence = [keras.InputSpec(shape=(1, None, 3), dtype="float32")]  # a batch of 1, any length
model.export(os.path.join(folder, "forecaster.tflite"), format="litert", input_signature=one_sequence, verbose=False)
with warnings.catch_warnings():  # TensorFlow 2.21 warns that this interpreter moves to LiteRT
    warnings.simplefilter("ignore", UserWarning)
    interpreter = tf.lite.Interpreter(model_path=os.path.join(folder, "forecaster.tflite"))
given = interpreter.get_input_details()[0]
interpreter.resize_tensor_input(given["index"], (1, 20, 3))  # this call's length: 20 timesteps
interpreter.allocate_tensors()
interpreter.set_tensor(given["index"], x[:1])
interpreter.invoke()
forecast = interpreter.get_tensor(interpreter.get_output_details()[0]["index"])
print(np.allclose(forecast, model.predict(x[:1], verbose=0), rtol=0, atol=1e-5))
#> True
# --8<-- [end:litert]
