import keras
import numpy as np

keras.utils.set_random_seed(0)  # the same weights and data on every run

# --8<-- [start:data]
# A toy translation: read up to 5 words, write them in reverse order, then an end token.
PAD, START, END = 0, 1, 2  # ids with a job of their own; the words are ids 3 to 9
vocabulary, width = 10, 6  # 6 slots: at most 5 words, and room for END after them
rng = np.random.default_rng(1)
lengths = rng.integers(2, width, size=2000)  # each sequence has 2 to 5 words
source = np.full((2000, width), PAD, "int32")  # (samples, source timesteps), padded after the words
target = np.full((2000, width), PAD, "int32")  # (samples, target timesteps)
for row, length in enumerate(lengths):
    words = rng.integers(3, vocabulary, size=length)
    source[row, :length] = words
    target[row, :length] = words[::-1]
    target[row, length] = END  # the decoder must learn where to stop
decoder_input = np.concatenate([np.full((2000, 1), START, "int32"), target[:, :-1]], axis=1)  # one step late
weights = (target != PAD).astype("float32")  # 0 on padding: left out of the loss
print(source[0], decoder_input[0], target[0], weights[0])
#> [7 6 5 0 0 0] [1 5 6 7 2 0] [5 6 7 2 0 0] [1. 1. 1. 1. 0. 0.]
# --8<-- [end:data]

# --8<-- [start:model]
units = 32
encoder_tokens = keras.Input((None,), dtype="int32")  # any number of source timesteps
decoder_tokens = keras.Input((None,), dtype="int32")
encoder_embedding = keras.layers.Embedding(vocabulary, 16, mask_zero=True)  # the encoder skips PAD
decoder_embedding = keras.layers.Embedding(vocabulary, 16)
encoder = keras.layers.LSTM(units, return_state=True)
decoder = keras.layers.LSTM(units, return_sequences=True, return_state=True)
to_token = keras.layers.Dense(vocabulary, activation="softmax")

_, hidden_state, cell_state = encoder(encoder_embedding(encoder_tokens))  # the summary: [h, c]
decoded, _, _ = decoder(decoder_embedding(decoder_tokens), initial_state=[hidden_state, cell_state])
model = keras.Model([encoder_tokens, decoder_tokens], to_token(decoded))
print(model.output_shape)  # one probability per token of the vocabulary, at every target step
#> (None, None, 10)
# --8<-- [end:model]

# --8<-- [start:fit]
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
history = model.fit(
    [source, decoder_input], target, sample_weight=weights, epochs=2, batch_size=64, verbose=0
)
print(history.history["loss"][-1] < history.history["loss"][0])
#> True
# --8<-- [end:fit]

# --8<-- [start:inference]
# At inference there is no target to feed: the decoder reads its own last output, one step at a time.
summarize = keras.Model(encoder_tokens, [hidden_state, cell_state])
token = keras.Input((1,), dtype="int32")
state_inputs = [keras.Input((units,)), keras.Input((units,))]
one_step, next_hidden, next_cell = decoder(decoder_embedding(token), initial_state=state_inputs)
step = keras.Model([token, *state_inputs], [to_token(one_step), next_hidden, next_cell])


def translate(tokens, most_steps=width):
    """Greedy decoding: at each step, the likeliest token; stop when every sequence has written END."""
    states = summarize(tokens)  # [h, c]; models called directly: predict() is not made for loops
    previous = keras.ops.full((len(tokens), 1), START, dtype="int32")
    written, finished = [], np.zeros(len(tokens), bool)
    for _ in range(most_steps):  # a cap, for a sequence that never writes END
        probabilities, *states = step([previous, *states])  # (batch, 1, vocabulary), [h, c]
        previous = keras.ops.cast(keras.ops.argmax(probabilities, axis=-1), "int32")  # (batch, 1)
        chosen = keras.ops.convert_to_numpy(previous)[:, 0]
        written.append(np.where(finished, PAD, chosen))  # PAD once a sequence has ended
        finished |= chosen == END
        if finished.all():
            break
    return np.stack(written, axis=1)


written = translate(source[:3])
print(written.shape[0], written.shape[1] <= width)  # 3 sequences, at most 6 tokens each
#> 3 True
# --8<-- [end:inference]

# --8<-- [start:same-as-teacher-forced]
# Fed the true previous tokens, the step-by-step decoder gives the teacher-forced run (to float32 rounding).
teacher_forced = keras.ops.convert_to_numpy(model([source[:3], decoder_input[:3]]))
states = summarize(source[:3])
stepped = []
for t in range(width):
    previous = keras.ops.convert_to_tensor(decoder_input[:3, t : t + 1])  # the true previous token
    probabilities, *states = step([previous, *states])
    stepped.append(keras.ops.convert_to_numpy(probabilities)[:, 0])
print(np.allclose(np.stack(stepped, axis=1), teacher_forced, rtol=0, atol=1e-5))
#> True
# --8<-- [end:same-as-teacher-forced]

# --8<-- [start:repeat-vector]
# The simpler variant: no decoder inputs, the summary repeated at every target step.
inputs = keras.Input((width, 1))
summary = keras.layers.LSTM(units)(inputs)  # (batch, units)
repeated = keras.layers.RepeatVector(width)(summary)  # (batch, target timesteps, units)
decoded = keras.layers.LSTM(units, return_sequences=True)(repeated)
repeat_model = keras.Model(inputs, keras.layers.Dense(1)(decoded))
print(summary.shape, repeated.shape, repeat_model.output_shape)
#> (None, 32) (None, 6, 32) (None, 6, 1)
# --8<-- [end:repeat-vector]

# --8<-- [start:attention]
encoder_sequence = keras.layers.LSTM(units, return_sequences=True)  # keep every timestep for attention
values = encoder_sequence(encoder_embedding(source[:3]))  # (batch, source timesteps, units)
queries = keras.layers.LSTM(units, return_sequences=True)(decoder_embedding(decoder_input[:3]))
context, scores = keras.layers.Attention()([queries, values], return_attention_scores=True)
print(tuple(values.shape), tuple(queries.shape), tuple(context.shape), tuple(scores.shape))
#> (3, 6, 32) (3, 6, 32) (3, 6, 32) (3, 6, 6)
print(np.allclose(keras.ops.convert_to_numpy(scores).sum(axis=-1), 1, atol=1e-6))  # each target step shares out 1 over the source
#> True
# --8<-- [end:attention]
