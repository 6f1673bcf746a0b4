"""Questions mined from issue trackers and Q&A threads (issue 27), in the askers' own words.

Errors they hit, settings they wonder about, results that surprised them: each answered on the
page where its topic lives.
"""

from __future__ import annotations

from glossary.questions.question import Question

QUESTIONS: tuple[Question, ...] = (
    Question(
        "When should I call `reset_states()` on a stateful LSTM?",
        "Before any batch that does not continue the previous one: until then a stateful LSTM starts each "
        "batch from the previous batch's final states (in direct calls on every backend; on JAX `predict` "
        "and `fit` do not carry them, and on PyTorch, on a CPU, a default LSTM's `fit` raises). Keras 3 "
        "names it `reset_state()` and keeps `reset_states()` as an alias; Keras 2 has only `reset_states()`.",
        "stateful.md#resetting",
        (
            "STATEFUL-CARRIES-FINAL-STATE",
            "STATEFUL-RESET-STATE-ZEROES",
            "RESET-STATE-NAMES",
            "STATEFUL-PREDICT-AND-FIT",
        ),
    ),
    Question(
        "Why does my stateful LSTM not keep its states through `predict` and `fit` on JAX, or fail in "
        "`fit` on PyTorch?",
        "On Keras 3's JAX backend, `predict`, `predict_on_batch` and `fit` neither carry a stateful "
        "layer's states from batch to batch nor write them back: `predict` starts every batch from "
        "the states the layer held when `predict` was compiled (at its first run, and again at its "
        "first run after `compile` or with inputs of another number of timesteps), zeros on a fresh "
        "layer. Only direct calls carry them. On PyTorch, on a CPU, `fit` of a stateful LSTM or GRU "
        "raises a `RuntimeError` about a tensor modified in place, unless the layer has "
        "`use_cudnn=False` (no GPU run of this site has tried it). On TensorFlow all three carry the "
        "states.",
        "stateful.md#through-predict-and-fit",
        ("STATEFUL-PREDICT-AND-FIT",),
    ),
    Question(
        "How do I set the states of a stateful LSTM to my own values?",
        "Call `assign` on each variable of `layer.states` with the values you want: the next direct "
        "call starts from them, as it would from an `initial_state` (on JAX, `predict` may not see "
        "them: see the question on `predict` and `fit` on JAX).",
        "stateful.md#resetting",
        ("STATEFUL-ASSIGN-SETS-STATES",),
    ),
    Question(
        "Is a stateful LSTM fed a sequence in pieces the same as a stateless one fed it whole?",
        "For the forward pass, yes: a stateful LSTM given the two halves of a sequence, one direct call "
        "after the other (on JAX, `predict` and `predict_on_batch` do not carry the states), ends with the "
        "result of the whole sequence read at once.",
        "stateful.md#what-is-carried-over",
        ("STATEFUL-CARRIES-FINAL-STATE", "STATEFUL-PREDICT-AND-FIT"),
    ),
    Question(
        "Stateful LSTM error: the batch size of the input sequences must be the same as the batch "
        "size of the initial state",
        "A stateful model keeps one state per sequence of the batch size it was built for. Built for one "
        "sequence and given four, a direct call and `predict` stop with this error on every Keras 3 "
        "backend, and `fit` and `evaluate` on JAX and PyTorch; on TensorFlow those two stop instead "
        "with a message that a tensor 'enters the loop with shape' of the built batch. Other sizes "
        "can stop TensorFlow with other errors, and a last batch of a single sequence (four in batches "
        "of three) passes there unnoticed.",
        "error-messages.md#if-an-rnn-is-stateful-the-batch-size-of-the-input-sequences-must-be-the-same",
        ("ERROR-STATEFUL-BATCH-SIZE", "STATEFUL-OTHER-BATCH-SIZE", "STATEFUL-SMALLER-LAST-BATCH"),
    ),
    Question(
        "When using `stateful=True` in an RNN, the batch size must be static: where do I give it?",
        "On the model's input: `keras.Input(batch_shape=(batch, timesteps, features))`. An `Input` "
        "without a batch size leaves it open, which a stateful layer refuses.",
        "error-messages.md#when-using-statefultrue-in-a-rnn-the-batch-size-must-be-static",
        ("ERROR-STATEFUL-DYNAMIC-BATCH", "STATEFUL-NEEDS-BATCH-SHAPE"),
    ),
    Question(
        "`GRU(reset_after=False) is not compatible with GRU(reset_after=True)` when loading weights: "
        "what does it mean?",
        "That is Keras 2's message (Keras 3 stops with another, not checked here). The file holds a GRU "
        "built with `reset_after=False`, which has fewer parameters than the `reset_after=True` GRU Keras "
        "builds by default, so its weights do not fit. Keras computes both variants: build the layer with "
        "`reset_after=False` to take them (the weights cannot be moved to the other variant, which computes "
        "different numbers from them).",
        "gru.md#two-variants-reset_after",
        ("GRU-RESET-AFTER-CHANGES-NUMBERS", "GRU-TWO-COUNTS", "GRU-REFERENCE"),
    ),
    Question(
        "`use_cudnn=True was specified, but cuDNN is not supported`: what is wrong?",
        "On TensorFlow, and for an LSTM on JAX, `use_cudnn=True` demands the cuDNN kernel and fails "
        "where no GPU computes. A GRU on JAX, which has no cuDNN GRU, runs with default settings, but "
        "raises too with a mask, `recurrent_dropout`, `unroll=True` or `reset_after=False`. On PyTorch "
        "it falls back to Keras's own PyTorch code unless `recurrent_dropout`, a mask or a GRU's "
        "`reset_after=False` rules cuDNN out, and then it raises. The default, `use_cudnn='auto'`, "
        "runs where no GPU computes, on every backend, and (by Keras's source) falls back when the "
        "layer's settings rule the kernel out; on TensorFlow with a GPU, a mask the kernel cannot take "
        "stops `fit` and `predict` under either setting.",
        "error-messages.md#use_cudnntrue-was-specified-but-cudnn-is-not-supported",
        ("ERROR-USE-CUDNN-WITHOUT-GPU", "CUDNN-NEEDS-GPU", "CUDNN-TRUE-ON-TORCH"),
    ),
    Question(
        "`keras.layers` has no attribute `CuDNNLSTM`: what replaces it?",
        "`LSTM` and `GRU` themselves: neither Keras 3 nor Keras 2 as `tf-keras` has `CuDNNLSTM` or "
        "`CuDNNGRU`, and the plain layers take the cuDNN kernel on their own.",
        "migrating-to-keras-3.md#removed-layers-and-arguments",
        ("NO-CUDNN-LAYERS",),
    ),
    Question(
        "Is an LSTM's dropout still applied when I call `predict`?",
        "No: `dropout` and `recurrent_dropout` act only in training. At inference the layer returns "
        "what the same layer without them returns.",
        "dropout.md#only-while-training",
        ("DROPOUT-ONLY-IN-TRAINING",),
    ),
    Question(
        "What is the difference between `dropout` and `recurrent_dropout` in an LSTM?",
        "`dropout` drops input features, `recurrent_dropout` units of the previous hidden state. In "
        "Keras 3 each draws one mask per sequence and drops the same positions at every timestep; in "
        "Keras 2 a default LSTM or GRU draws a new `dropout` mask at every timestep.",
        "dropout.md",
        ("DROPOUT-ONE-MASK-PER-SEQUENCE", "RECURRENT-DROPOUT-ONE-MASK"),
    ),
    Question(
        "What does `mask_zero=True` in an `Embedding` layer do?",
        "It marks every timestep whose id is zero as padding, and the LSTM after it skips those "
        "timesteps. Id zero can then stand for no word, and `input_dim` must count it.",
        "text-input.md#embedding-and-the-mask",
        ("MASK-ZERO-MASKS-ID-ZERO", "MASKED-FINAL-STATE-IGNORES-PADDING"),
    ),
    Question(
        "Why are a masked LSTM's outputs all zeros at the start of a left-padded sequence?",
        "Before a sequence's first real timestep there is no output to repeat, so a masked layer outputs "
        "zeros there on TensorFlow (in Keras 3 and in Keras 2) and PyTorch, even when given a non-zero "
        "`initial_state`; on JAX it outputs the initial hidden state there.",
        "masking.md#what-happens-at-a-masked-timestep",
        ("MASK-LEADING-OUTPUT",),
    ),
    Question(
        "Why does a `Bidirectional` LSTM have twice the parameters of the LSTM it wraps?",
        "It holds two copies of the wrapped layer, the second with `go_backwards=True`, each with "
        "its own weights.",
        "bidirectional.md#returned-states",
        ("BIDIRECTIONAL-PARAMS",),
    ),
    Question(
        "Is the backward half of a `Bidirectional` output reversed in time?",
        "No: `Bidirectional` puts its backward layer's sequence back in time order before merging, "
        "so row t of both halves belongs to timestep t, as checked on a CPU. A `go_backwards` layer "
        "on its own does not (on JAX with a GPU, see the page).",
        "go-backwards.md#putting-a-returned-sequence-back-in-time-order",
        ("BIDIRECTIONAL-REALIGNS", "GO-BACKWARDS-IS-FLIPPED-INPUT"),
    ),
    Question(
        "What are the shapes of an LSTM's `kernel`, `recurrent_kernel` and `bias`?",
        "`kernel` is `(features, 4 * units)`, `recurrent_kernel` `(units, 4 * units)` and `bias` "
        "`(4 * units,)`: the four gate blocks side by side.",
        "units-and-weight-shapes.md#the-three-weight-arrays",
        ("WEIGHT-SHAPES",),
    ),
    Question(
        "How does Keras initialise an LSTM's weights by default?",
        "`kernel` from `glorot_uniform`, `recurrent_kernel` from `orthogonal`, and the biases at zero "
        "except the forget gate's, which start at one.",
        "variants.md#how-the-weights-start",
        ("DEFAULT-INITIALIZERS",),
    ),
    Question(
        "Does PyTorch's `nn.LSTM` start its forget gate bias at one, as Keras does?",
        "No: PyTorch draws every weight and bias, the forget gate's included, from one uniform range "
        "set by `hidden_size`. Keras starts the forget gate's biases at one and the others at zero.",
        "variants.md#how-the-weights-start",
        ("TORCH-DEFAULT-INIT", "DEFAULT-INITIALIZERS"),
    ),
    Question(
        "Does a GRU have `unit_forget_bias` like an LSTM?",
        "No: of the LSTM, GRU and SimpleRNN, only the LSTM has it; GRU and SimpleRNN refuse it as an "
        "unknown argument.",
        "unit-forget-bias.md#what-it-sets",
        ("UNIT-FORGET-BIAS-LSTM-ONLY",),
    ),
    Question(
        "Why start an LSTM's forget gate bias at one rather than zero?",
        "With every weight at zero, the bias of one makes the forget gate keep most of the cell state "
        "at each timestep, and an untrained LSTM then passes far more gradient back to its first "
        "timestep than with the bias at zero.",
        "unit-forget-bias.md#why-one",
        ("FORGET-BIAS-KEEPS-SIGMOID-ONE", "FORGET-BIAS-ONE-KEEPS-GRADIENT"),
    ),
    Question(
        "`Invalid input shape for input` when I call `predict` on one sequence: why?",
        "`predict` wants a batch: an array shaped `(timesteps, features)` lacks the batch axis that "
        "Keras adds in front of the shape given to `Input`. Give even one sequence that axis.",
        "error-messages.md#invalid-input-shape-for-input",
        ("ERROR-INVALID-INPUT-SHAPE", "INPUT-NO-BATCH-AXIS"),
    ),
    Question(
        "`Dimensions must be equal` inside the LSTM when I predict on new data: what does it mean?",
        "The new data has more features than the model was built for, so the LSTM's matrix product "
        "does not fit; its last axis must match the training data's.",
        "error-messages.md#dimensions-must-be-equal",
        ("ERROR-FEATURES-DIFFER",),
    ),
    Question(
        "Can I still pass `input_shape=` to an LSTM in Keras 3?",
        "Yes, on the first layer of a `Sequential` model, with a warning that asks you to start the "
        "model with `keras.Input(shape)` instead.",
        "migrating-to-keras-3.md#arguments-that-still-work",
        ("INPUT-SHAPE-ARGUMENT-WARNS",),
    ),
    Question(
        "`Flatten` after an LSTM fails with `Shapes used to initialize variables must be fully-defined`",
        "The LSTM returns sequences whose length is left open, so `Flatten` cannot tell the next "
        "`Dense` how wide its input is, and that `Dense` cannot make its weights.",
        "error-messages.md#shapes-used-to-initialize-variables-must-be-fully-defined",
        ("ERROR-FLATTEN-UNKNOWN-LENGTH",),
    ),
    Question(
        "`TimeDistributed` after an LSTM says it should be passed an `input_shape` with at least 3 "
        "dimensions",
        "The LSTM returns only its last output, `(batch, units)`, with no time axis to distribute "
        "over; `return_sequences=True` makes it return `(batch, timesteps, units)`.",
        "error-messages.md#timedistributed-layer-should-be-passed-an-input_shape-with-at-least-3-dimensions",
        ("ERROR-TIMEDISTRIBUTED-2D", "RETURN-SEQUENCES-SHAPES"),
    ),
    Question(
        "`Argument output must have rank (ndim) target.ndim - 1` with `sparse_categorical_crossentropy`",
        "The model gives one output per timestep while each target is one class number per sequence: "
        "the last LSTM returns sequences where the targets expect one prediction per sequence.",
        "error-messages.md#argument-output-must-have-rank-ndim-targetndim-1",
        ("ERROR-SPARSE-LOSS-RANK",),
    ),
    Question(
        "An `Embedding` before my LSTM fails with `indices ... is not in [0, ...)`: why?",
        "Some id in the data is at or above the `Embedding`'s `input_dim`; `input_dim` must be larger "
        "than every id the data holds.",
        "text-input.md#errors-on-the-way",
        ("EMBEDDING-ID-OUT-OF-RANGE",),
    ),
    Question(
        "Can I feed words as strings straight into an LSTM?",
        "No: on TensorFlow, Keras 3 stops them with `dtype='string' is not a valid dtype`. Turn the "
        "words into integer ids "
        "first, with `TextVectorization`, and put an `Embedding` before the LSTM.",
        "error-messages.md#dtypestring-is-not-a-valid-dtype-for-keras-type-promotion",
        ("ERROR-STRINGS-INTO-LSTM", "TEXT-VECTORIZATION-RESERVES-0-AND-1"),
    ),
    Question(
        "How do I load an old TensorFlow SavedModel folder in Keras 3?",
        "Not with `load_model`, which refuses it with 'File format not supported'. On the TensorFlow "
        "backend, `keras.layers.TFSMLayer(folder, call_endpoint='serving_default')` wraps a folder "
        "Keras 2 wrote as one layer (its default endpoint, `serve`, is in folders Keras 3 exports, "
        "not in those). In Keras 3.15.1, `fit` trains that layer's weights with plain SGD only: an "
        "optimizer that keeps a variable per weight, such as Adam, stops with an error.",
        "migrating-to-keras-3.md#saved-models",
        ("SAVEDMODEL-FOLDER-REFUSED", "KERAS2-SAVEDMODEL-SERVING-DEFAULT", "TFSMLAYER-TRAINS-WITH-PLAIN-SGD"),
    ),
    Question(
        "`model.save` fails with 'Invalid filepath extension for saving': what name does it want?",
        "A path ending in `.keras` (or the legacy `.h5` or `.hdf5`), unless it is given `zipped=False`; "
        "`save_weights` wants one ending in "
        "`.weights.h5`. Keras 2 took any name.",
        "saving-and-serving.md#file-names-keras-3-insists-on",
        ("SAVE-NEEDS-AN-EXTENSION", "SAVE-WEIGHTS-SUFFIX"),
    ),
    Question(
        "Does an LSTM model predict the same after saving and loading it?",
        "Yes: a model saved with `model.save('name.keras')` and loaded with "
        "`keras.saving.load_model` predicts exactly what the original predicts, and its optimizer "
        "state comes back with it.",
        "saving-and-serving.md#save-and-load",
        ("SAVE-LOAD-SAME-PREDICTIONS",),
    ),
    Question(
        "How do I export an LSTM model for TensorFlow Serving from Keras 3?",
        "`model.export(path, format='tf_saved_model')` writes a SavedModel whose `serve` function, "
        "loaded with `tf.saved_model.load` and no Keras, gives the model's predictions.",
        "saving-and-serving.md#exporting-for-serving",
        ("EXPORT-SERVES-THE-SAME",),
    ),
    Question(
        "Does `validation_split` pick random samples or the last ones?",
        "The last samples given to `fit`, before any shuffling: `val_loss` is the loss on those. For "
        "a time series, that holds out its latest windows.",
        "training.md#fit",
        ("VALIDATION-SPLIT-TAKES-LAST",),
    ),
    Question(
        "Why does `evaluate` return a single number for one model and a list for another?",
        "A model compiled with a loss only gives one float; one compiled with metrics too gives a "
        "list, with the loss first.",
        "training.md#evaluate-on-data-it-never-saw",
        ("EVALUATE-RETURN-TYPE",),
    ),
    Question(
        "Does `model.predict(x)` return a NumPy array or a tensor, and what does calling `model(x)` return?",
        "`predict` returns a NumPy array; calling the model returns a tensor of the backend instead.",
        "training.md#predict",
        ("PREDICT-GIVES-NUMPY",),
    ),
    Question(
        "Does the mean squared error go wrong when my targets have one axis fewer than the predictions?",
        "Not in `fit` or `evaluate`, in Keras 3 and Keras 2 alike: a model compiled with "
        '`loss="mse"` compares targets shaped `(batch,)` with predictions `(batch, 1)` sample by '
        "sample. Keras 2's loss called by hand on the same NumPy arrays broadcasts them into a "
        "`(batch, batch)` grid, its `MeanSquaredError` class and its `mse` function alike; Keras 3's "
        "align them. (The check calls the class; that the function does the same is not checked here.)",
        "training.md#compile",
        ("MSE-ALIGNS-TARGET-RANK",),
    ),
    Question(
        "How should I scale the features of a time series before an LSTM?",
        "From the training rows alone: a `keras.layers.Normalization` layer adapted to those rows "
        "scales each feature by that feature's own mean and standard deviation over them.",
        "time-series-windows.md#scaling-from-the-training-rows",
        ("NORMALIZATION-PER-FEATURE",),
    ),
    Question(
        "How do `sequence_stride` and `sampling_rate` thin out the windows cut from a time series?",
        "`sequence_stride` sets how many rows apart the windows start; `sampling_rate` keeps only "
        "every so many rows inside a window.",
        "time-series-windows.md#with-the-keras-utility",
        ("WINDOW-STRIDE-AND-RATE",),
    ),
    Question(
        "How do I clip gradients when training an LSTM in Keras?",
        "Build the optimizer with `clipnorm` (each weight's gradient rescaled on its own), "
        "`global_clipnorm` (all of them rescaled together) or `clipvalue` (each element clipped).",
        "vanishing-gradients.md#exploding-gradients",
        ("CLIPNORM-CAPS-GRADIENT",),
    ),
    Question(
        "Does an LSTM solve the vanishing gradient problem?",
        "It eases it without solving it: over a long sequence an untrained LSTM passes far more "
        "gradient back to its first timestep than a SimpleRNN, yet still only a small fraction of "
        "what the last timestep gets.",
        "vanishing-gradients.md#the-experiment",
        ("GRADIENT-LSTM-KEEPS-MORE", "LSTM-GRADIENT-STILL-VANISHES", "LSTM-NO-VANISHING"),
    ),
    Question(
        "Does the sigmoid in the gates stop gradients from vanishing?",
        "No: the sigmoid's slope is at most a quarter, so a gradient that passes through it shrinks.",
        "gates.md#two-squashing-functions-two-jobs",
        ("SIGMOID-SLOPE-QUARTER", "GUIDE-SIGMOID-STOPS-VANISHING"),
    ),
    Question(
        "Which squashing functions does an LSTM use for its gates and its values: `sigmoid` or "
        "`hard_sigmoid`?",
        "The logistic `sigmoid` for the gates and `tanh` for the values. Keras 2.2 and earlier "
        "defaulted to `hard_sigmoid`, so models saved by them compute other numbers in Keras 3.",
        "gates.md#two-squashing-functions-two-jobs",
        ("DEFAULT-ACTIVATIONS", "OLD-HARD-SIGMOID-WEIGHTS-DIFFER"),
    ),
    Question(
        "Cell state vs hidden state: which one is the LSTM's output?",
        "The hidden state is the layer's output; with the default activations (`tanh`, and `sigmoid` gates) "
        "it always lies between minus one and one. The cell state is kept inside the layer and can grow "
        "past one.",
        "cell-state-vs-hidden-state.md",
        ("HIDDEN-BOUNDED", "OUTPUT-IS-HIDDEN"),
    ),
    Question(
        "Does the hidden state only remember the most recent timestep?",
        "No: the final hidden state depends on the first timestep too; changing only the first input "
        "changes it.",
        "cell-state-vs-hidden-state.md#both-states-remember-the-whole-sequence",
        ("HIDDEN-HAS-HISTORY", "GUIDE-HIDDEN-ONLY-RECENT"),
    ),
    Question(
        "Does the output gate write into the cell state?",
        "Not within a timestep: changing its weights changes the hidden state only. Over a sequence "
        "it does change later cell states, through the hidden state it feeds back.",
        "gates.md#output-gate",
        ("OUTPUT-GATE-SKIPS-CELL", "OUTPUT-GATE-STEERS-LATER-CELL"),
    ),
    Question(
        "What does `unroll=True` do, and does it change the results?",
        "On TensorFlow, JAX and Keras 2 it writes the loop out, one copy of the cell per timestep, "
        "and the numbers are the same on a CPU, to float32 rounding; on a GPU, by Keras's source, it "
        "also keeps the layer off cuDNN, which rounds differently. On PyTorch on a CPU, a default "
        "LSTM or GRU given no mask runs the same loop either way; on a GPU `unroll=True` keeps it off "
        "cuDNN.",
        "rnn-and-unrolling.md#unrolling",
        ("UNROLL-SAME-RESULT",),
    ),
    Question(
        "Cell or layer: is an `LSTM` layer an `RNN` loop around an `LSTMCell`?",
        "`LSTMCell` computes one timestep; an `LSTM` layer is an `RNN` loop around it, and with the "
        "same weights both give the same output (on a GPU the layer runs cuDNN, which rounds "
        "differently).",
        "rnn-and-unrolling.md#cell-and-layer",
        ("LAYER-IS-LOOPED-CELL",),
    ),
    Question(
        "How do I get what an LSTM layer inside a trained model receives and returns?",
        "`keras.Model(model.input, layer.input)` computes what the layer receives; applying the layer "
        "to that gives its output in the model, to float32 rounding.",
        "inside-the-layer.md#a-layer-inside-a-model",
        ("SUBMODEL-GIVES-LAYER-INPUT",),
    ),
    Question(
        "What is `RepeatVector` for in an LSTM autoencoder?",
        "It turns the encoder's `(batch, units)` summary into a sequence, the same vector at every "
        "timestep, for the decoder LSTM to read.",
        "encoder-decoder.md#the-repeatvector-variant",
        ("REPEATVECTOR-REPEATS",),
    ),
    Question(
        "How do I move a Keras GRU's weights to PyTorch's `nn.GRU`?",
        "Reorder the three gate blocks, in both matrices and both bias rows, from Keras's (update, "
        "reset, candidate) to PyTorch's (reset, update, new), and put the two bias rows into "
        "`bias_ih_l0` and `bias_hh_l0`; without the reordering the outputs differ.",
        "pytorch.md#gru",
        ("TORCH-GRU", "TORCH-GRU-UNORDERED"),
    ),
    Question(
        "Can a GRU with `reset_after=False` be ported to PyTorch?",
        "Not to `nn.GRU`, which applies the reset gate after the recurrent product: with the weights "
        "reordered and the single bias copied, PyTorch's outputs differ.",
        "pytorch.md#gru",
        ("TORCH-GRU-RESET-BEFORE",),
    ),
    Question(
        "My LSTM converts to TensorFlow Lite with Select TF ops but will not run: why?",
        "The converted model needs the Flex delegate, which TensorFlow's `tf.lite.Interpreter` does "
        "not have from TensorFlow 2.19 on (the release grid saw 2.18's run it). Fixing the batch "
        "size, or `unroll=True`, converts without Select TF ops.",
        "porting.md#tensorflow-lite",
        ("TFLITE-SELECT-OPS-NEED-FLEX", "TFLITE-FIXED-BATCH-CONVERTS", "TFLITE-UNROLL-CONVERTS"),
    ),
    Question(
        "Can the input shape leave the number of timesteps open, to read sequences of any length?",
        "Yes: a recurrent layer reads sequences of any length with the same weights. Within one batch, "
        "pad them to one length and mask the padding, and the final state ignores it.",
        "input-shape.md#why-inputshape-leaves-one-axis-out",
        ("INPUT-ANY-LENGTH", "MASKED-FINAL-STATE-IGNORES-PADDING"),
    ),
    Question(
        '"expected ndim=3, found ndim=4" on an LSTM: where does the extra axis come from?',
        "Each sample has an axis too many, such as `(timesteps, features, 1)`; an LSTM reads "
        "`(batch, timesteps, features)`, so drop the trailing axis.",
        "error-messages.md#expected-ndim3-found-ndim2",
        ("ERROR-NDIM-4", "INPUT-3D"),
    ),
    Question(
        "With `return_sequences=False`, is the output the last timestep or a summary of all of them?",
        "The hidden state after the last timestep: with `return_sequences=True` the same numbers are "
        "the last row of the returned sequence.",
        "return-sequences-and-state.md#return_state",
        ("LAST-ROW-IS-STATE", "RETURN-SEQUENCES-SHAPES"),
    ),
    Question(
        "How do I predict one label per timestep (many-to-many) with an LSTM?",
        "Give the LSTM `return_sequences=True` and put a `Dense` after it: the `Dense` acts on every "
        "timestep with one shared weight matrix, as `TimeDistributed(Dense)` does.",
        "dense-after-lstm.md",
        ("DENSE-PER-TIMESTEP", "RETURN-SEQUENCES-SHAPES"),
    ),
    Question(
        "Is there a `return_states` argument that returns the cell state?",
        "No: `return_states` is not a Keras argument, and Keras 3 refuses it. `return_state` (singular) "
        "returns the output, then the final hidden state and the final cell state.",
        "return-sequences-and-state.md#it-is-return_state-singular",
        ("RETURN-STATES-REFUSED", "GUIDE-RETURN-STATES", "RETURN-STATE-TUPLE"),
    ),
)
