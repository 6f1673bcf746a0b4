"""Claims of the page "Error messages" (``docs/error-messages.md``).

Each check makes one mistake readers make with recurrent layers and keeps what Keras says as its
evidence, whole: the page shows that evidence as the message, so the message on the page is the
one the installed Keras prints. The layers and models are named, and Keras's counters of names
are reset first, so that a message names the same things in every run and in any order.
"""

from __future__ import annotations

import re
from functools import partial

import numpy as np

from glossary.claims import samples
from glossary.claims.keras_backend import accelerator, backend, is_keras_2, keras
from glossary.claims.registry import Evidence, NotApplicable, claim

PAGE = "error-messages.md"
ON_TENSORFLOW = "Keras 3 on TensorFlow: the message comes from TensorFlow's own operations"


def keras_3_message(call) -> str:
    """What Keras 3 says when ``call`` fails (`samples.message_of`), with names that do not vary.

    Keras 2 words most of these messages differently, and the page quotes Keras 3, so the check
    is skipped there. Keras's counters of names start again, so that names it makes up inside the
    message (``keras_tensor``) do not depend on what ran before.
    """
    if is_keras_2():
        raise NotApplicable("Keras 2 words its messages differently; the page quotes Keras 3's")
    keras().backend.clear_session(free_memory=False)  # no garbage collection: it took most of the time
    return samples.message_of(call)


def says(said: str, *phrases: str) -> Evidence:
    """The message holds every phrase; the evidence is the message itself."""
    return Evidence(bool(said) and all(phrase in said for phrase in phrases), said or "no error was raised")


def tensorflow_only():
    if backend() != "tensorflow":
        raise NotApplicable(f"the message is TensorFlow's; the backend here is {backend()}")


def _forecaster():
    """The model most entries feed: 10 timesteps of 3 features in, one number out."""
    layers = keras().layers
    return keras().Sequential(
        [keras().Input((10, 3)), layers.LSTM(8, name="lstm"), layers.Dense(1, name="dense")],
        name="forecaster",
    )


def _fit_classifier(loss: str, *, return_sequences: bool):
    """Train a five-class classifier with ``loss`` on one class number per sequence."""
    layers = keras().layers
    model = keras().Sequential(
        [
            keras().Input((10, 3)),
            layers.LSTM(8, return_sequences=return_sequences, name="lstm"),
            layers.Dense(5, activation="softmax", name="dense"),
        ],
        name="classifier",
    )
    model.compile(optimizer="adam", loss=loss)
    model.fit(_zeros(4, 10, 3), np.array([0, 1, 2, 3]), verbose=0)


def _zeros(*shape: int) -> np.ndarray:
    return np.zeros(shape, "float32")


@claim(
    "ERROR-NDIM-2-STACK",
    "An LSTM stacked on one that returns only its last output gets a 2-D input, and Keras says "
    "'expected ndim=3, found ndim=2'.",
    page=f"{PAGE}#expected-ndim3-found-ndim2",
)
def ndim_2_stack():
    inputs = keras().Input((10, 3))
    first = keras().layers.LSTM(8, name="lstm")
    said = keras_3_message(lambda: keras().layers.LSTM(8, name="lstm_1")(first(inputs)))
    return says(said, "expected ndim=3, found ndim=2")


@claim(
    "ERROR-NDIM-4",
    "An input with an axis too many, such as `(timesteps, features, 1)` per sample, makes Keras say "
    "'expected ndim=3, found ndim=4'.",
    page=f"{PAGE}#expected-ndim3-found-ndim2",
)
def ndim_4():
    said = keras_3_message(lambda: keras().layers.LSTM(8, name="lstm")(keras().Input((10, 3, 1))))
    return says(said, "expected ndim=3, found ndim=4")


@claim(
    "ERROR-INVALID-INPUT-SHAPE",
    "`predict` on a 2-D array, for a model whose input is `(timesteps, features)`, stops with "
    "'Invalid input shape for input ...'.",
    page=f"{PAGE}#invalid-input-shape-for-input",
)
def invalid_input_shape():
    said = keras_3_message(lambda: _forecaster().predict(_zeros(4, 3), verbose=0))
    return says(said, "Invalid input shape for input", "but input has incompatible shape")


@claim(
    "ERROR-FEATURES-DIFFER",
    "On TensorFlow, `predict` on arrays with more features than the model was built for stops "
    "inside the LSTM's matrix product: 'Dimensions must be equal, but are 4 and 3'.",
    page=f"{PAGE}#dimensions-must-be-equal",
    depends_on=ON_TENSORFLOW,
)
def features_differ():
    tensorflow_only()
    said = keras_3_message(lambda: _forecaster().predict(_zeros(4, 10, 4), verbose=0))
    return says(said, "Dimensions must be equal, but are 4 and 3")


@claim(
    "ERROR-FLATTEN-UNKNOWN-LENGTH",
    "`Flatten` after an LSTM that returns sequences of unknown length leaves the next `Dense` "
    "without a width: 'Shapes used to initialize variables must be fully-defined'.",
    page=f"{PAGE}#shapes-used-to-initialize-variables-must-be-fully-defined",
)
def flatten_unknown_length():
    layers = keras().layers

    def build():
        keras().Sequential(
            [
                keras().Input((None, 3)),
                layers.LSTM(8, return_sequences=True, name="lstm"),
                layers.Flatten(name="flatten"),
                layers.Dense(1, name="dense"),
            ],
            name="classifier",
        )

    return says(keras_3_message(build), "Shapes used to initialize variables must be fully-defined")


@claim(
    "ERROR-TIMEDISTRIBUTED-2D",
    "`TimeDistributed` after an LSTM that returns only its last output refuses it: 'should be "
    "passed an `input_shape` with at least 3 dimensions'.",
    page=f"{PAGE}#timedistributed-layer-should-be-passed-an-input_shape-with-at-least-3-dimensions",
)
def time_distributed_2d():
    inputs = keras().Input((10, 3))
    last = keras().layers.LSTM(8, name="lstm")(inputs)
    wrapper = keras().layers.TimeDistributed(keras().layers.Dense(1, name="dense"), name="time_distributed")
    said = keras_3_message(lambda: wrapper(last))
    return says(said, "should be passed an `input_shape` with at least 3 dimensions")


@claim(
    "ERROR-DATA-CARDINALITY",
    "`fit` with more targets than input sequences stops with 'Data cardinality is ambiguous'.",
    page=f"{PAGE}#data-cardinality-is-ambiguous",
)
def data_cardinality():
    def fit():
        model = _forecaster()
        model.compile(optimizer="adam", loss="mse")
        model.fit(_zeros(4, 10, 3), _zeros(5, 1), verbose=0)

    return says(keras_3_message(fit), "Data cardinality is ambiguous")


@claim(
    "ERROR-LOSS-RANK",
    "On TensorFlow, `categorical_crossentropy` given class numbers instead of one-hot rows stops "
    "with 'Arguments `target` and `output` must have the same rank (ndim)'.",
    page=f"{PAGE}#arguments-target-and-output-must-have-the-same-rank-ndim",
    depends_on="Keras 3 on TensorFlow: on JAX and PyTorch the loss's own check words it differently",
)
def loss_rank():
    tensorflow_only()
    said = keras_3_message(partial(_fit_classifier, "categorical_crossentropy", return_sequences=False))
    return says(said, "must have the same rank (ndim)")


@claim(
    "ERROR-SPARSE-LOSS-RANK",
    "On TensorFlow, `sparse_categorical_crossentropy` with one class number per sequence, on a "
    "model that gives one output per timestep, stops with 'Argument `output` must have rank (ndim) "
    "`target.ndim - 1`'.",
    page=f"{PAGE}#argument-output-must-have-rank-ndim-targetndim-1",
    depends_on="Keras 3 on TensorFlow: on JAX and PyTorch the loss's own check words it differently",
)
def sparse_loss_rank():
    tensorflow_only()
    said = keras_3_message(partial(_fit_classifier, "sparse_categorical_crossentropy", return_sequences=True))
    return says(said, "must have rank (ndim) `target.ndim - 1`")


def _stateful(batch_size: int):
    inputs = keras().Input(batch_shape=(batch_size, 10, 3))
    return keras().Model(inputs, keras().layers.LSTM(8, stateful=True, name="lstm")(inputs), name="streaming")


@claim(
    "ERROR-STATEFUL-BATCH-SIZE",
    "A stateful model built for a batch of 1, given a batch of 4, stops with 'If an RNN is "
    "stateful, the batch size of the input sequences must be the same as the batch size of the "
    "initial state'.",
    page=f"{PAGE}#if-an-rnn-is-stateful-the-batch-size-of-the-input-sequences-must-be-the-same",
)
def stateful_batch_size():
    said = keras_3_message(lambda: _stateful(1)(_zeros(4, 10, 3)))
    return says(said, "If an RNN is stateful, the batch size of the input sequences must be the same")


@claim(
    "ERROR-STATEFUL-BATCH-SIZE-IN-FIT",
    "On TensorFlow, `fit` of a stateful model built for a batch of 1, given 4 sequences, stops with "
    "'Input tensor ... enters the loop with shape (1, 8), but has shape (None, 8) after one iteration'.",
    page=f"{PAGE}#enters-the-loop-with-shape-1-8-but-has-shape-none-8-after-one-iteration",
    depends_on="Keras 3 on TensorFlow, which traces fit with an open batch size",
)
def stateful_batch_size_in_fit():
    tensorflow_only()
    model = _stateful(1)
    model.compile(optimizer="sgd", loss="mse")
    said = keras_3_message(lambda: model.fit(_zeros(4, 10, 3), _zeros(4, 8), verbose=0))
    return says(said, "enters the loop with shape (1, 8), but has shape (None, 8) after one iteration")


@claim(
    "ERROR-STATEFUL-DYNAMIC-BATCH",
    "A stateful LSTM on an `Input` without a batch size stops with 'the batch size must be static'.",
    page=f"{PAGE}#when-using-statefultrue-in-a-rnn-the-batch-size-must-be-static",
)
def stateful_dynamic_batch():
    said = keras_3_message(lambda: keras().layers.LSTM(8, stateful=True, name="lstm")(keras().Input((10, 3))))
    return says(said, "When using `stateful=True` in a RNN, the batch size must be static")


@claim(
    "ERROR-UNRECOGNIZED-ARGUMENT",
    "Keras 3 refuses `batch_input_shape` on a layer: 'Unrecognized keyword arguments passed to LSTM'.",
    page=f"{PAGE}#unrecognized-keyword-arguments-passed-to-lstm",
)
def unrecognized_argument():
    said = keras_3_message(lambda: keras().layers.LSTM(8, stateful=True, batch_input_shape=(1, 10, 3)))
    return says(said, "Unrecognized keyword arguments passed to LSTM", "batch_input_shape")


@claim(
    "ERROR-UNITS-NOT-POSITIVE",
    "`units=0` is refused when the layer is made: 'expected a positive integer, got 0'.",
    page=f"{PAGE}#received-an-invalid-value-for-argument-units",
)
def units_not_positive():
    said = keras_3_message(lambda: keras().layers.LSTM(0, name="lstm"))
    return says(said, "Received an invalid value for argument `units`, expected a positive integer, got 0")


@claim(
    "ERROR-RETURN-STATE-UNPACK",
    "An LSTM with `return_state=True` returns three tensors; unpacking them into two names stops "
    "with Python's 'too many values to unpack (expected 2)'.",
    page=f"{PAGE}#too-many-values-to-unpack-expected-2",
)
def return_state_unpack():
    def unpack():
        output, state = keras().layers.LSTM(8, return_state=True, name="lstm")(keras().Input((10, 3)))  # noqa: RUF059

    return says(keras_3_message(unpack), "too many values to unpack (expected 2)")


@claim(
    "ERROR-INITIAL-STATE-NOT-A-LIST",
    "An LSTM given one array as `initial_state`, instead of the list `[h, c]`, stops with 'list "
    "index out of range'.",
    page=f"{PAGE}#list-index-out-of-range",
)
def initial_state_not_a_list():
    layer = keras().layers.LSTM(8, name="lstm")
    said = keras_3_message(lambda: layer(_zeros(4, 10, 3), initial_state=_zeros(4, 8)))
    return says(said, "list index out of range")


@claim(
    "ERROR-STATE-WIDTH",
    "On TensorFlow, initial states narrower than `units` stop in the recurrent matrix product: "
    "'Matrix size-incompatible'.",
    page=f"{PAGE}#matrix-size-incompatible",
    depends_on=ON_TENSORFLOW,
)
def state_width():
    tensorflow_only()
    layer = keras().layers.LSTM(8, name="lstm")
    said = keras_3_message(lambda: layer(_zeros(4, 10, 3), initial_state=[_zeros(4, 6), _zeros(4, 6)]))
    return says(said, "Matrix size-incompatible")


@claim(
    "ERROR-WIDTH-WHICH-PRODUCT",
    "On TensorFlow, an `LSTM(8)` called directly names the product that failed: states 6 wide give "
    "'Matrix size-incompatible: In[0]: [4,6], In[1]: [8,32]' (the `recurrent_kernel`), 5 features "
    "where it was built for 3 give 'In[0]: [4,5], In[1]: [3,32]' (the `kernel`). Inside `predict`, "
    "states of the wrong width that the model computes stop with 'Dimensions must be equal'; states "
    "given as the model's own inputs are refused first, by the model's check of its inputs.",
    page=f"{PAGE}#matrix-size-incompatible",
    depends_on=ON_TENSORFLOW,
)
def width_which_product():
    tensorflow_only()
    layer = keras().layers.LSTM(8, name="lstm")
    narrow_states = keras_3_message(
        lambda: layer(_zeros(4, 10, 3), initial_state=[_zeros(4, 6), _zeros(4, 6)])
    )
    wide_input = keras_3_message(lambda: layer(_zeros(4, 10, 5)))  # built for 3 features by the call above
    inputs = keras().Input((10, 3))
    computed = keras().layers.Dense(6, name="states")(inputs[:, 0])  # a state 6 wide, made inside the model
    inside = keras().Model(
        inputs, keras().layers.LSTM(8, name="lstm_1")(inputs, initial_state=[computed] * 2)
    )
    in_predict = keras_3_message(lambda: inside.predict(_zeros(4, 10, 3), verbose=0))
    given = [keras().Input((10, 3)), keras().Input((8,)), keras().Input((8,))]
    as_inputs = keras().Model(given, keras().layers.LSTM(8, name="lstm_2")(given[0], initial_state=given[1:]))
    refused = keras_3_message(
        lambda: as_inputs.predict([_zeros(4, 10, 3), _zeros(4, 6), _zeros(4, 6)], verbose=0)
    )
    found = {
        "states, called": "Matrix size-incompatible: In[0]: [4,6], In[1]: [8,32]" in narrow_states,
        "features, called": "Matrix size-incompatible: In[0]: [4,5], In[1]: [3,32]" in wide_input,
        "computed states, predict": "Dimensions must be equal, but are 6 and 8" in in_predict,
        "states as inputs, predict": "is incompatible with the layer: expected shape=(None, 8)" in refused,
    }
    products = [
        re.search(r"Matrix size-incompatible: In\[0\]: \[[\d,]+\], In\[1\]: \[[\d,]+\]", said)
        for said in (narrow_states, wide_input)
    ]
    shown = [product[0] if product else "no such message" for product in products]
    return Evidence(all(found.values()), f"{found}; called directly: {shown}")


@claim(
    "ERROR-STRINGS-INTO-LSTM",
    "On TensorFlow, words fed to an LSTM as strings stop with \"dtype='string' is not a valid dtype "
    'for Keras type promotion".',
    page=f"{PAGE}#dtypestring-is-not-a-valid-dtype-for-keras-type-promotion",
    depends_on=ON_TENSORFLOW,
)
def strings_into_lstm():
    tensorflow_only()
    layer = keras().layers.LSTM(8, name="lstm")
    said = keras_3_message(lambda: layer(np.array([[["the"], ["cat"]]])))
    return says(said, "dtype='string' is not a valid dtype for Keras type promotion")


@claim(
    "ERROR-LOAD-SAVEDMODEL",
    "Keras 3's `load_model` refuses a path without `.keras` or `.h5`, such as an old SavedModel "
    "folder: 'File format not supported'.",
    page=f"{PAGE}#file-format-not-supported",
)
def load_savedmodel():
    said = keras_3_message(partial(keras().saving.load_model, "forecaster"))
    return says(said, "File format not supported", "TFSMLayer")


@claim(
    "ERROR-USE-CUDNN-WITHOUT-GPU",
    "An LSTM given `use_cudnn=True` where no GPU computes, on TensorFlow or JAX, stops with "
    "'use_cudnn=True was specified, but cuDNN is not supported for this layer configuration with this "
    "backend' (for a GRU, which runs on JAX with default settings, see CUDNN-NEEDS-GPU).",
    page=f"{PAGE}#use_cudnntrue-was-specified-but-cudnn-is-not-supported",
    depends_on="Keras 3 on TensorFlow or JAX without a GPU; on PyTorch, with default settings, it falls "
    "back (CUDNN-TRUE-ON-TORCH)",
)
def use_cudnn_without_gpu():
    if accelerator():
        raise NotApplicable("a GPU is present, where the kernel runs")
    if backend() == "torch":
        raise NotApplicable("PyTorch falls back to Keras's loop without raising")
    said = keras_3_message(lambda: keras().layers.LSTM(8, use_cudnn=True, name="lstm")(_zeros(4, 10, 3)))
    return says(said, "use_cudnn=True was specified, but cuDNN is not supported")
