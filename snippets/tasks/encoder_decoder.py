import keras
import numpy as np

keras.utils.set_random_seed(0)  # the same weights and data on every run

# --8<-- [start:data]
# A toy translation: read 6 tokens, write them in reverse order. Token 0 is kept for "start".
vocabulary, length = 10, 6
rng = np.random.default_rng(0)
source = rng.integers(1, vocabulary, size=(2000, length))  # (samples, source timesteps)
target = source[:, ::-1]  # (samples, target timesteps)
start = np.zeros((len(target), 1), "int64")
decoder_input = np.concatenate([start, target[:, :-1]], axis=1)  # the target, one step late
print(source[0], decoder_input[0], target[0])
#> [8 6 5 3 3 1] [0 1 3 3 5 6] [1 3 3 5 6 8]
# --8<-- [end:data]

# --8<-- [start:model]
units = 32
encoder_tokens = keras.Input((None,), dtype="int32")  # any number of source timesteps
decoder_tokens = keras.Input((None,), dtype="int32")
encoder_embedding = keras.layers.Embedding(vocabulary, 16)
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
history = model.fit([source, decoder_input], target, epochs=2, batch_size=64, verbose=0)
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


def translate(tokens):
    states = summarize.predict(tokens, verbose=0)  # [h, c], each (batch, units)
    previous = np.zeros((len(tokens), 1), "int32")  # the start token
    written = []
    for _ in range(length):
        probabilities, *states = step.predict([previous, *states], verbose=0)  # (batch, 1, vocabulary), [h, c]
        previous = np.argmax(probabilities, axis=-1).astype("int32")  # (batch, 1)
        written.append(previous[:, 0])
    return np.stack(written, axis=1)


print(translate(source[:3]).shape)  # (batch, target timesteps)
#> (3, 6)
# --8<-- [end:inference]

# --8<-- [start:same-as-teacher-forced]
# Fed the true previous tokens, the step-by-step decoder computes exactly the teacher-forced run.
teacher_forced = model.predict([source[:3], decoder_input[:3]], verbose=0)
states = summarize.predict(source[:3], verbose=0)
stepped = []
for t in range(length):
    probabilities, *states = step.predict([decoder_input[:3, t : t + 1], *states], verbose=0)
    stepped.append(probabilities[:, 0])
print(np.allclose(np.stack(stepped, axis=1), teacher_forced, rtol=0, atol=1e-5))
#> True
# --8<-- [end:same-as-teacher-forced]

# --8<-- [start:repeat-vector]
# The simpler variant: no decoder inputs, the summary repeated at every target step.
inputs = keras.Input((length, 1))
summary = keras.layers.LSTM(units)(inputs)  # (batch, units)
repeated = keras.layers.RepeatVector(length)(summary)  # (batch, target timesteps, units)
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
print(values.shape, queries.shape, context.shape, scores.shape)
#> (3, 6, 32) (3, 6, 32) (3, 6, 32) (3, 6, 6)
print(np.allclose(np.sum(scores, axis=-1), 1, atol=1e-6))  # each target step shares out 1 over the source
#> True
# --8<-- [end:attention]
