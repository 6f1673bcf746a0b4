import os
import tempfile
import warnings

import keras
import numpy as np
import tensorflow as tf  # the SavedModel format below is TensorFlow's

keras.utils.set_random_seed(0)  # the same weights on every run

# --8<-- [start:removed]
refusals = []
for old_code in (
    lambda: keras.layers.CuDNNLSTM(4),  # Keras 2 on TensorFlow 1
    lambda: keras.layers.LSTM(4, time_major=True),
    lambda: keras.optimizers.Adam(lr=0.01),
    lambda: keras.Sequential().fit_generator,
):
    try:
        old_code()
    except (AttributeError, ValueError) as error:
        refusals.append(f"{type(error).__name__}: {error}")
print("\n".join(refusals))
'''
AttributeError: module 'keras.layers' has no attribute 'CuDNNLSTM'
ValueError: Unrecognized keyword arguments passed to LSTM: {'time_major': True}
ValueError: Argument(s) not recognized: {'lr': 0.01}
AttributeError: 'Sequential' object has no attribute 'fit_generator'
'''
# --8<-- [end:removed]

# --8<-- [start:fixed]
lstm = keras.layers.LSTM(4)  # picks the cuDNN kernel by itself on a GPU
batch_major = np.transpose(np.zeros((7, 3, 5), "float32"), (1, 0, 2))  # (timesteps, batch, ...) to (batch, timesteps, ...)
optimizer = keras.optimizers.Adam(learning_rate=0.01)
print(lstm(batch_major).shape, round(float(optimizer.learning_rate), 6))  # model.fit takes generators
#> (3, 4) 0.01
# --8<-- [end:fixed]

# --8<-- [start:hard-sigmoid]
z = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
print(np.round(keras.activations.hard_sigmoid(z), 4))  # Keras 3: x / 6 + 1/2, clipped to [0, 1]
#> [0.     0.3333 0.5    0.6667 1.    ]
print(np.round(np.clip(0.2 * z + 0.5, 0, 1), 4))  # Keras 2: 0.2 x + 1/2, clipped
#> [0.  0.3 0.5 0.7 1. ]
# --8<-- [end:hard-sigmoid]

# --8<-- [start:old-weights]
def keras2_hard_sigmoid(x):
    """The hard sigmoid of Keras 2, which old models with recurrent_activation="hard_sigmoid" were trained with."""
    return keras.ops.clip(0.2 * x + 0.5, 0.0, 1.0)


x = np.random.default_rng(0).normal(size=(3, 7, 5)).astype("float32")
as_saved = keras.layers.LSTM(4, recurrent_activation="hard_sigmoid")  # the name, read by Keras 3
as_trained = keras.layers.LSTM(4, recurrent_activation=keras2_hard_sigmoid)  # the old function
as_saved.build(x.shape)
as_trained.build(x.shape)
as_trained.set_weights(as_saved.get_weights())  # the same weights
print(np.abs(keras.ops.convert_to_numpy(as_saved(x) - as_trained(x))).max() > 1e-3)  # not the same numbers
#> True
# --8<-- [end:old-weights]

# --8<-- [start:fix-loaded]
warnings.filterwarnings("ignore", category=DeprecationWarning)  # TensorFlow's variables, under NumPy 2, while saving
path = os.path.join(tempfile.mkdtemp(), "old.keras")
keras.Sequential([keras.Input((7, 5)), as_saved]).save(path)  # a model that names "hard_sigmoid"
loaded = keras.saving.load_model(path)
loaded.layers[0].cell.recurrent_activation = keras2_hard_sigmoid  # what it was trained with
print(np.allclose(loaded.predict(x, verbose=0), keras.ops.convert_to_numpy(as_trained(x)), atol=1e-6))  # float32
#> True
# --8<-- [end:fix-loaded]

# --8<-- [start:keras2-files]
def forecaster():
    """The model as the code that trained it built it: the same layers, sizes and order."""
    return keras.Sequential([keras.Input((6, 3)), keras.layers.LSTM(3), keras.layers.Dense(1)])


old_file = os.path.join(tempfile.mkdtemp(), "forecaster.h5")
trained = forecaster()
trained.save(old_file)  # Keras 3 writes it here; the claims below read files that tf-keras 2.21 wrote
rebuilt = forecaster()
rebuilt.load_weights(old_file)  # an .h5 or a .keras file: its weights, layer by layer
readings = np.random.default_rng(1).normal(size=(2, 6, 3)).astype("float32")
print(np.array_equal(rebuilt.predict(readings, verbose=0), trained.predict(readings, verbose=0)))
#> True
# --8<-- [end:keras2-files]


def save_as_keras2_did(model, folder):
    """Write ``model`` to ``folder`` as the SavedModel that Keras 2's ``model.save(folder)`` wrote.

    One signature, ``serving_default``: it takes the batch under the name of the model's Input
    layer and returns a dict keyed by the name of the model's last layer.
    """
    batch = tf.TensorSpec((None, *model.input_shape[1:]), "float32", name=model.inputs[0].name)
    serving_default = tf.function(lambda batch: {model.layers[-1].name: model(batch)}, input_signature=[batch])
    tf.saved_model.save(model, folder, signatures={"serving_default": serving_default})


inputs = keras.Input((7, 5), name="readings")
old_model = keras.Model(inputs, keras.layers.Dense(1, name="forecast")(keras.layers.LSTM(4)(inputs)))
folder = os.path.join(tempfile.mkdtemp(), "saved_model")
save_as_keras2_did(old_model, folder)  # stands in for the folder of Keras 2's old_model.save(folder)

# --8<-- [start:savedmodel]
try:
    keras.saving.load_model(folder)
except ValueError as error:
    print(str(error).split(":")[0])  # before the folder's name
    #> File format not supported
as_layer = keras.layers.TFSMLayer(folder, call_endpoint="serving_default")  # TensorFlow backend only
outputs = as_layer(x)  # a dict, keyed by the name of the model's last layer
print(list(outputs), np.allclose(outputs["forecast"], old_model.predict(x, verbose=0), atol=1e-6))
#> ['forecast'] True
# --8<-- [end:savedmodel]
