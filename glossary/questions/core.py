"""The FAQ's first questions: the terms, shapes and tasks the site teaches, as users ask about them."""

from __future__ import annotations

from glossary.questions.question import Question

QUESTIONS: tuple[Question, ...] = (
    Question(
        "What does `units` mean: a number of cells, or the size of something?",
        "The size of the state: an LSTM with `units=4` keeps a hidden state and a cell state of 4 "
        "numbers each per sequence. It is one cell, looped over the timesteps, not 4 cells.",
        "units-and-weight-shapes.md",
        ("UNITS-IS-STATE-SIZE", "LAYER-IS-LOOPED-CELL"),
    ),
    Question(
        "Must `units` equal the number of timesteps?",
        "No. The two are unrelated: any `units` reads sequences of any length.",
        "units-and-weight-shapes.md#what-units-is-not",
        ("UNITS-NOT-TIMESTEPS", "INPUT-ANY-LENGTH"),
    ),
    Question(
        "What is the 3-D input layout, and why does `Input(shape=...)` leave one axis out?",
        "`(batch, timesteps, features)`. `shape` describes one sample, `(timesteps, features)`; "
        "Keras adds the batch axis itself.",
        "input-shape.md#why-inputshape-leaves-one-axis-out",
        ("INPUT-NO-BATCH-AXIS", "INPUT-3D"),
    ),
    Question(
        '"expected ndim=3, found ndim=2" when feeding a 2-D array to an LSTM: what is wrong?',
        "The array has no time axis (or no feature axis). Reshape it to `(batch, timesteps, features)`: "
        "`x[:, None, :]` makes each row one timestep of many features, `x[:, :, None]` many timesteps "
        "of one feature.",
        "input-shape.md#expected-ndim3-found-ndim2",
        ("INPUT-3D",),
    ),
    Question(
        "Why does the same error appear on the second LSTM of a stack?",
        "The first LSTM returns only its last hidden state, `(batch, units)`. Give it "
        "`return_sequences=True` so that it passes on a sequence.",
        "stacked-layers.md#the-ndim-error-between-layers",
        ("STACK-NEEDS-SEQUENCES",),
    ),
    Question(
        "Why is the LSTM's output `(None, units)` and not one value per timestep?",
        "By default a recurrent layer returns the hidden state after the last timestep only; "
        "`return_sequences=True` returns every timestep's.",
        "return-sequences-and-state.md#return_sequences",
        ("RETURN-SEQUENCES-SHAPES",),
    ),
    Question(
        "What does `return_state=True` return, in what order, and of what type?",
        "Three arrays for an LSTM, in this order: the output, the final hidden state `state_h`, the "
        "final cell state `state_c`; a tuple in Keras 3, a list in Keras 2. GRU and SimpleRNN return "
        "two: the output and `state_h`.",
        "return-sequences-and-state.md#return_state",
        ("RETURN-STATE-TUPLE", "ONE-STATE-LAYERS"),
    ),
    Question(
        "Why are `output` and `state_h` the same numbers?",
        "Because the output of an LSTM is its hidden state. Without `return_sequences` both are the "
        "last hidden state; with it, `state_h` is the last row of the output.",
        "return-sequences-and-state.md#return_state",
        ("OUTPUT-IS-HIDDEN", "LAST-ROW-IS-STATE"),
    ),
    Question(
        "Does `Dense` after `return_sequences=True` act per timestep, and is `TimeDistributed(Dense)` "
        "any different?",
        "It acts on every timestep with one shared weight matrix, and gives what "
        "`TimeDistributed(Dense)` gives, to float32 rounding.",
        "dense-after-lstm.md",
        ("DENSE-PER-TIMESTEP",),
    ),
    Question(
        "Why does an LSTM have four times the parameters of a SimpleRNN, and what is the formula?",
        "An LSTM has four blocks of weights (three gates and the candidate), a SimpleRNN one: "
        "`4 * units * (features + units + 1)` against `units * (features + units + 1)`.",
        "parameter-count.md#four-times-a-simplernn",
        ("PARAMS-FORMULA", "PARAMS-4X-SIMPLERNN"),
    ),
    Question(
        "Does the parameter count depend on the batch size or the number of timesteps?",
        "No: the same weights serve every sequence and every timestep.",
        "parameter-count.md#batch-size-and-timesteps-do-not-count",
        ("PARAMS-NO-BATCH-TIME",),
    ),
    Question(
        'Why does `GRU(5)` on 4 features have a parameter count of {{ params("GRU(5)", features=4) }} in '
        'one Keras and {{ params("GRU(5, reset_after=False)", features=4) }} in another?',
        "`reset_after`: True (the default of Keras 3 and of TensorFlow 2's Keras 2) adds a second bias "
        'row, {{ params("GRU(5)", features=4) }}; False, the default before TensorFlow 2, gives '
        '{{ params("GRU(5, reset_after=False)", features=4) }}.',
        "parameter-count.md#gru-two-counts-for-the-same-layer",
        ("GRU-TWO-COUNTS",),
    ),
    Question(
        "In what order are the gates packed inside `kernel`, `recurrent_kernel` and `bias`?",
        "LSTM: input, forget, candidate, output. GRU: update, reset, candidate.",
        "units-and-weight-shapes.md#the-order-of-the-gates",
        ("GATE-ORDER", "GRU-GATE-ORDER"),
    ),
    Question(
        "How are LSTM weights moved between Keras and PyTorch's `nn.LSTM`?",
        "Transpose both matrices; Keras's one bias goes into `bias_ih_l0` with `bias_hh_l0` at zero, "
        "and the way back adds PyTorch's two biases. The gate order is the same.",
        "pytorch.md",
        ("TORCH-FROM-KERAS", "TORCH-TO-KERAS"),
    ),
    Question(
        "How is `stateful=True` set up in Keras 3 now that `batch_input_shape` is rejected?",
        "Fix the batch size on the model's input: `keras.Input(batch_shape=(batch, timesteps, features))`.",
        "stateful.md#setting-it-up-in-keras-3",
        ("STATEFUL-NEEDS-BATCH-SHAPE",),
    ),
    Question(
        "What exactly does a stateful LSTM carry from one batch to the next?",
        "Its final hidden state and cell state, row by row: sequence i of the next batch starts where "
        "sequence i of the previous one ended, until the states are reset. Direct calls carry them on "
        "every backend; `predict` and `fit` do on TensorFlow (on PyTorch, `predict` does, and `fit` "
        "with `use_cudnn=False`; on JAX neither does).",
        "stateful.md#what-is-carried-over",
        ("STATEFUL-CARRIES-FINAL-STATE", "STATEFUL-PREDICT-AND-FIT"),
    ),
    Question(
        "What happens at masked (padded) timesteps, to the state and to the output?",
        "The state is carried over unchanged and the output repeats the previous timestep's output "
        "(in Keras's own loop; on a GPU with TensorFlow, by Keras's source, cuDNN writes zeros there "
        "instead).",
        "masking.md#what-happens-at-a-masked-timestep",
        ("MASK-REPEATS-OUTPUT", "MASK-REFERENCE"),
    ),
    Question(
        "Why does a `Bidirectional` LSTM's output have twice the width, and how can that be changed?",
        "The default `merge_mode='concat'` joins the forward and backward outputs side by side; "
        "`'sum'`, `'mul'` or `'ave'` keep the width, and `None` returns the two separately.",
        "bidirectional.md#why-the-width-doubles",
        ("BIDIRECTIONAL-WIDTH",),
    ),
    Question(
        "How many tensors does a `Bidirectional` LSTM return with `return_state=True`, and in what order?",
        "Five with a merge mode: the output, then the forward layer's `h` and `c`, then the backward "
        "layer's `h` and `c` (six with `merge_mode=None`, both outputs first).",
        "bidirectional.md#returned-states",
        ("BIDIRECTIONAL-STATES",),
    ),
    Question(
        'Why does Keras warn that an LSTM "will not use cuDNN kernels", and which settings decide it?',
        "Keras 2 logs it, by its source, when a GPU is visible and a setting rules the kernel out: an "
        "activation other "
        "than tanh/sigmoid, `recurrent_dropout`, `unroll`, no bias (and, for a GRU, `reset_after=False`). "
        "Keras 3 falls back silently.",
        "cudnn.md#the-will-not-use-cudnn-kernels-warning",
        ("CUDNN-TF-KERAS-WARNING", "CUDNN-KERAS3-SILENT"),
    ),
    Question(
        "How do I get the cell state, or each gate's value, at every timestep of a trained LSTM?",
        "Keras returns only hidden states. Run the step equations over `layer.get_weights()` and keep "
        "each intermediate value; the hidden states you get back must match the layer's to float32 "
        "rounding, which checks the rebuild.",
        "inside-the-layer.md#every-timestep-from-the-weights",
        ("STEPS-REPRODUCE-LAYER", "LSTM-RETURNS-NO-CELL-SEQUENCE"),
    ),
    Question(
        "How do I train an LSTM end to end, and how do I know the result is any good?",
        "`compile` (optimizer and loss), `fit` on windows shaped `(samples, timesteps, features)`, "
        "`evaluate` on later data it never saw, `predict` for new windows; compare the test loss with a "
        "simple forecast, such as repeating the last reading, which the model must beat.",
        "training.md",
        ("TRAINED-BEATS-LAST-VALUE", "FIT-HISTORY-PER-EPOCH"),
    ),
    Question(
        "How do I pass an encoder LSTM's states to a decoder, and decode one step at a time?",
        "Give the encoder `return_state=True` and pass its `[h, c]` as the decoder's `initial_state`. "
        "At inference, a one-step model reuses the decoder's layers and carries `[h, c]` from step to "
        "step; fed the same tokens it gives the teacher-forced outputs, to float32 rounding.",
        "encoder-decoder.md#the-same-decoder-one-step-at-a-time",
        ("INITIAL-STATE-TAKES-RETURNED-STATES", "STEPPED-DECODER-EQUALS-TEACHER-FORCED"),
    ),
    Question(
        "How do I turn one long time series into `(samples, timesteps, features)` windows with targets?",
        "Slide a window of `timesteps` rows along the series; the target of the window starting at row "
        "`i` is row `i + timesteps` (one step ahead). With `keras.utils.timeseries_dataset_from_array`, "
        "pass `targets=series[timesteps:]`: it pairs `targets[i]` with the window that starts at row `i`.",
        "time-series-windows.md#with-the-keras-utility",
        ("WINDOW-TARGET-IS-ITS-START", "WINDOW-COUNT"),
    ),
    Question(
        "Should I pad my text sequences before or after, and does the LSTM see the padding?",
        "With `Embedding(mask_zero=True)` the LSTM skips padded timesteps, so its final state is the "
        "same for padding before or after as for no padding. Without the mask both change it. "
        "`pad_sequences` pads before by default; `TextVectorization` pads after. With Keras 3 on "
        "TensorFlow with a GPU, pad after: padding before stops `fit` and `predict` at the cuDNN "
        "kernel's check (Keras 2 falls back to its own loop there, by its source).",
        "text-input.md#padding-before-or-after",
        (
            "MASKED-FINAL-STATE-IGNORES-PADDING",
            "PAD-SEQUENCES-AT-THE-START",
            "PAD-SEQUENCES-DEFAULT-FAILS-CUDNN",
        ),
    ),
    Question(
        "How do I predict one reading at a time with a trained LSTM, without the whole history?",
        "Carry the layer's `[h, c]` between calls: in a one-step model built on the trained weights that "
        "takes and returns the states, in a stateful copy whose batch size is one, called directly (on JAX, "
        "`predict` and `predict_on_batch` do not carry its states), or in NumPy with the trained arrays. "
        "Each ends with the trained model's output for the whole sequence.",
        "serving-a-stream.md",
        ("CARRIED-STATES-EQUAL-SEQUENCE", "STATEFUL-STREAM-EQUALS-SEQUENCE", "STATEFUL-PREDICT-AND-FIT"),
    ),
    Question(
        "My Keras 2 LSTM code or saved model misbehaves in Keras 3: what changed?",
        "`CuDNNLSTM`, `time_major`, `lr=` and `fit_generator` are gone; `batch_input_shape` moved to "
        "`keras.Input(batch_shape=...)`; `model.save` wants a `.keras` name (or legacy `.h5` or `.hdf5`) "
        "unless given `zipped=False`, and `save_weights` a `.weights.h5` one. A recurrent model's file "
        "saved by tf-keras does not load: rebuild the model and load its weights. Silently, `hard_sigmoid` "
        "changed slope, so old models using it compute other numbers.",
        "migrating-to-keras-3.md",
        (
            "TIME-MAJOR-REMOVED",
            "SAVE-NEEDS-AN-EXTENSION",
            "KERAS2-RECURRENT-FILES-REFUSED",
            "KERAS2-RECURRENT-WEIGHTS-LOAD",
            "HARD-SIGMOID-CHANGED",
            "OLD-HARD-SIGMOID-WEIGHTS-DIFFER",
        ),
    ),
    Question(
        "Does Keras's LSTM have peephole connections, and how does PyTorch name stacked, bidirectional "
        "and projected LSTM weights?",
        "No: Keras's and PyTorch's LSTMs have no peepholes (ONNX's operator does, as an optional input). "
        "PyTorch suffixes each array with `_l` and the layer's number, adds `_reverse` for the backward "
        "half, and `weight_hr` with `proj_size`.",
        "variants.md#peephole-connections",
        ("NO-PEEPHOLES", "TORCH-NO-PEEPHOLES", "ONNX-LSTM-PEEPHOLES", "TORCH-LAYER-NAMES"),
    ),
    Question(
        "`fit` stops with 'Data cardinality is ambiguous' or 'Arguments `target` and `output` must have "
        "the same rank': what is wrong with my targets?",
        "The first: inputs and targets have different numbers of samples on their first axis. The "
        "second: `categorical_crossentropy` was given class numbers; use "
        "`sparse_categorical_crossentropy` for those, or one-hot rows.",
        "error-messages.md#data-cardinality-is-ambiguous",
        ("ERROR-DATA-CARDINALITY", "ERROR-LOSS-RANK"),
    ),
    Question(
        "Passing `initial_state` to an LSTM fails with 'list index out of range' or 'Matrix "
        "size-incompatible': how are initial states given?",
        "As a list of two arrays, `[h, c]`, each `(batch, units)` with the layer's own `units`: one "
        "array alone is read as a list and the second is missing; a state of another width fails "
        "in the recurrent matrix product.",
        "error-messages.md#list-index-out-of-range",
        ("ERROR-INITIAL-STATE-NOT-A-LIST", "ERROR-STATE-WIDTH"),
    ),
    Question(
        "Why does my LSTM give different results every run, and how do I make a run repeat?",
        "Initial weights, dropout and `fit`'s shuffling draw random numbers. Call "
        "`keras.utils.set_random_seed(n)` before building the model: on one CPU, with the same "
        "library versions and settings, the training then repeats to the last bit, run again in "
        "a new process too. A GPU repeats only with deterministic kernels asked for, and "
        "other machines round differently.",
        "reproducible-runs.md",
        ("SEED-FIXES-INITIAL-WEIGHTS", "SEED-FIXES-TRAINING"),
    ),
    Question(
        "How does Keras's `Attention` layer compute its weights and context, and how are padded "
        "source timesteps kept out?",
        "`Attention` takes the softmax of the dot products of each query with each value and mixes "
        "the values by those weights; `AdditiveAttention` scores with a learned vector times "
        "`tanh(query + value)`. A mask on the values gives padded timesteps a weight of exactly 0.",
        "attention.md",
        (
            "ATTENTION-IS-DOT-PRODUCT-SOFTMAX",
            "ADDITIVE-ATTENTION-IS-TANH-SCORE",
            "ATTENTION-MASK-GIVES-NO-WEIGHT",
        ),
    ),
    Question(
        "How do I get the hidden state at every timestep, not only the last one?",
        "Give the layer `return_sequences=True`: it then returns `(batch, timesteps, units)`, the "
        "hidden state after each timestep, instead of `(batch, units)`.",
        "return-sequences-and-state.md#return_sequences",
        ("RETURN-SEQUENCES-SHAPES",),
    ),
    Question(
        "How many parameters does an LSTM have?",
        "`4 * units * (features + units + 1)`: four blocks of weights, each with a row per input "
        "feature, a row per unit of the hidden state and a bias. Neither the batch size nor the "
        "number of timesteps counts.",
        "parameter-count.md#the-lstm-formula",
        ("PARAMS-FORMULA", "PARAMS-NO-BATCH-TIME"),
    ),
    Question(
        "LSTM vs GRU: which should I use?",
        "A GRU keeps one state instead of two and packs three blocks of weights instead of four; "
        "which of the two learns a task better is found by training both.",
        "gru.md",
        ("ONE-STATE-LAYERS", "GRU-GATE-ORDER"),
    ),
    Question(
        "What does `reset_after` change in a GRU?",
        "Where the reset gate acts: on the recurrent state after its matrix product "
        "(`reset_after=True`, the default of Keras 3 and TensorFlow 2's Keras 2) or before it. "
        "The same weights give different numbers in the two, and `reset_after=True` has a second "
        "row of biases.",
        "gru.md#two-variants-reset_after",
        (
            "GRU-RESET-AFTER-CHANGES-NUMBERS",
            "GRU-REFERENCE",
            "GRU-TWO-COUNTS",
            "GRU-RESET-AFTER-ONLY-IN-FLAX-AND-MLX",
        ),
    ),
    Question(
        "How do I set the forget gate's bias to one?",
        "Nothing to do: `unit_forget_bias=True`, an LSTM's default, starts the forget gate's biases "
        "at one whatever `bias_initializer` says.",
        "unit-forget-bias.md#what-it-sets",
        ("UNIT-FORGET-BIAS-OVERRIDES", "FORGET-BIAS-ONE"),
    ),
    Question(
        "How do I feed text to an LSTM through an `Embedding` layer?",
        "Turn words into integer ids (`TextVectorization` keeps id 0 for padding), pad the ids to "
        "one length, and put `Embedding(input_dim, output_dim, mask_zero=True)` before the LSTM: it "
        "turns each id into a vector and tells the LSTM to skip the padding.",
        "text-input.md#embedding-and-the-mask",
        (
            "TEXT-VECTORIZATION-RESERVES-0-AND-1",
            "MASK-ZERO-MASKS-ID-ZERO",
            "MASKED-FINAL-STATE-IGNORES-PADDING",
        ),
    ),
    Question(
        "How do I build a sequence-to-sequence model, for translation say?",
        "An encoder LSTM with `return_state=True` reads the source sequence; the `[h, c]` it returns "
        "is the `initial_state` of a decoder LSTM that writes the target sequence.",
        "encoder-decoder.md#passing-the-states",
        ("INITIAL-STATE-TAKES-RETURNED-STATES",),
    ),
    Question(
        "How do I add attention to an LSTM encoder and decoder?",
        "Keep the encoder's output at every timestep (`return_sequences=True`) and give "
        "`keras.layers.Attention()` the decoder's outputs as queries and the encoder's as values: "
        "it returns one context vector per decoder step, to join to the decoder's output.",
        "attention.md#dot-product-attention",
        ("ATTENTION-IS-DOT-PRODUCT-SOFTMAX", "ATTENTION-SHAPES"),
    ),
    Question(
        "How do I convert an LSTM model to TensorFlow Lite?",
        "Fix the batch size (`keras.Input(shape, batch_size=...)`) or, for a fixed number of "
        "timesteps, build the layer with `unroll=True`: with the batch size left open and the loop "
        "kept, TensorFlow Lite's converter fails on the layer's loop.",
        "porting.md#tensorflow-lite",
        ("TFLITE-OPEN-BATCH-FAILS", "TFLITE-FIXED-BATCH-CONVERTS", "TFLITE-UNROLL-CONVERTS"),
    ),
    Question(
        "What must change in LSTM code moving from Keras 2 to Keras 3?",
        "An optimizer's `lr=` is now `learning_rate=`, `CuDNNLSTM` and `CuDNNGRU` are gone, an "
        "LSTM refuses `time_major`, and `hard_sigmoid` computes other numbers, so old weights that "
        "use it give other outputs.",
        "migrating-to-keras-3.md#removed-layers-and-arguments",
        (
            "LR-ARGUMENT-REFUSED",
            "NO-CUDNN-LAYERS",
            "TIME-MAJOR-REMOVED",
            "HARD-SIGMOID-CHANGED",
            "OLD-HARD-SIGMOID-WEIGHTS-DIFFER",
        ),
    ),
    Question(
        "In what order does a `go_backwards` layer return its sequence?",
        "Reversed, as checked on a CPU on every set-up: its first row belongs to the last timestep. It "
        "gives what the same layer gives on the time-reversed input; `Bidirectional` puts it back "
        "in time order itself. On JAX with a GPU, by Keras's source, an LSTM on the cuDNN kernel "
        "returns time order instead.",
        "go-backwards.md#what-it-does",
        ("GO-BACKWARDS-IS-FLIPPED-INPUT", "BIDIRECTIONAL-REALIGNS"),
    ),
    Question(
        "What does each gate of an LSTM do?",
        "The forget gate scales the old cell state, the input gate scales the candidate written into "
        "it, and the output gate scales how much of the cell state, squashed by `tanh`, becomes the "
        "hidden state.",
        "gates.md#the-six-equations",
        ("REFERENCE-MATCHES-KERAS", "OUTPUT-GATE-SKIPS-CELL"),
    ),
    Question(
        "How do I forecast a time series with an LSTM?",
        "Cut the series into windows of past readings, each with the next reading as its target, "
        "and fit an `LSTM` followed by `Dense(1)` on them; hold out the last part of the series to "
        "check that the forecast beats repeating the last value.",
        "training.md",
        ("WINDOW-TARGET-IS-ITS-START", "TRAINED-BEATS-LAST-VALUE"),
    ),
    Question(
        "How do I stop training when the validation loss stops improving?",
        'Pass `keras.callbacks.EarlyStopping(monitor="val_loss", patience=..., '
        "restore_best_weights=True)` to `fit`: it ends training once `val_loss` has not improved for "
        "`patience` epochs and keeps the weights of the best epoch.",
        "training.md#stop-early-keep-the-best-epoch",
        ("EARLY-STOPPING-RESTORES-BEST",),
    ),
)
