import keras
import numpy as np

keras.utils.set_random_seed(0)  # the same weights on every run

# --8<-- [start:tokens]
texts = ["the cat sat", "the dog sat on the mat"]
vectorize = keras.layers.TextVectorization()  # lowercases, strips punctuation, splits on spaces, maps words to ids
vectorize.adapt(texts)
vocabulary = vectorize.get_vocabulary()
print([str(word) for word in vocabulary[:4]], len(vocabulary))  # id 0: padding; id 1: any unseen word
#> ['', '[UNK]', 'the', 'sat'] 8
ids = keras.ops.convert_to_numpy(vectorize(["the cat sat on the mat", "a bird"]))
print(ids)  # one row per text, padded with 0 at the end to the longest
'''
[[2 7 3 4 2 5]
 [1 1 0 0 0 0]]
'''
# --8<-- [end:tokens]

# --8<-- [start:pad]
sequences = [[5, 6, 7], [8, 9], [1, 2, 3, 4, 5, 6]]  # token ids of three texts, as lists
print(keras.utils.pad_sequences(sequences, maxlen=4))  # default: pad and cut at the start
'''
[[0 5 6 7]
 [0 0 8 9]
 [3 4 5 6]]
'''
print(keras.utils.pad_sequences(sequences, maxlen=4, padding="post", truncating="post"))
'''
[[5 6 7 0]
 [8 9 0 0]
 [1 2 3 4]]
'''
# --8<-- [end:pad]

# --8<-- [start:mask]
embed = keras.layers.Embedding(input_dim=len(vocabulary), output_dim=8, mask_zero=True)
vectors = embed(ids)  # (batch, timesteps, features): one vector of 8 numbers per token
print(tuple(vectors.shape))
#> (2, 6, 8)
print(keras.ops.convert_to_numpy(embed.compute_mask(ids)))  # False where the id is 0, the padding
'''
[[ True  True  True  True  True  True]
 [ True  True False False False False]]
'''
# --8<-- [end:mask]

# --8<-- [start:final-state]
lstm = keras.layers.LSTM(4, return_state=True)
embed.build((None, None))


def final_state(token_ids, masked=True):
    """The LSTM's final hidden state for a batch of token ids, with or without the padding mask."""
    vectors = keras.ops.convert_to_numpy(embed(token_ids))  # as NumPy, without the mask Keras attaches to its tensors
    mask = embed.compute_mask(token_ids) if masked else None
    _, hidden_state, _ = lstm(vectors, mask=mask)
    return keras.ops.convert_to_numpy(hidden_state)


alone = final_state(np.array([[5, 6, 7]]))  # no padding at all
before = final_state(keras.utils.pad_sequences([[5, 6, 7]], maxlen=6))  # [0 0 0 5 6 7]
after = final_state(keras.utils.pad_sequences([[5, 6, 7]], maxlen=6, padding="post"))  # [5 6 7 0 0 0]
print(np.allclose(before, alone, atol=1e-6), np.allclose(after, alone, atol=1e-6))  # float32 rounding
#> True True
unmasked_before = final_state(keras.utils.pad_sequences([[5, 6, 7]], maxlen=6), masked=False)
unmasked_after = final_state(keras.utils.pad_sequences([[5, 6, 7]], maxlen=6, padding="post"), masked=False)
print(np.allclose(unmasked_before, alone, atol=1e-6), np.allclose(unmasked_after, alone, atol=1e-6))
#> False False
# --8<-- [end:final-state]

# --8<-- [start:lengths]
token_ids = keras.Input((None,), dtype="int32")  # any number of timesteps
summary = keras.layers.LSTM(4)(keras.layers.Embedding(len(vocabulary), 8, mask_zero=True)(token_ids))
model = keras.Model(token_ids, summary)
print(tuple(model(np.ones((2, 6), "int32")).shape), tuple(model(np.ones((3, 11), "int32")).shape))
#> (2, 4) (3, 4)
# --8<-- [end:lengths]

# --8<-- [start:errors]
try:
    keras.layers.LSTM(4, name="reader")(ids)  # token ids straight into an LSTM: no features axis
except ValueError as error:
    print(str(error).split(". ")[0])
    '''
    Input 0 with name 'None' of layer 'reader' is incompatible with the layer: expected ndim=3, found ndim=2
    '''
try:
    keras.layers.Embedding(input_dim=5, output_dim=8)(np.array([[1, 7]]))  # id 7 of a vocabulary of 5
except Exception as error:  # TensorFlow's InvalidArgumentError, on a CPU
    print(type(error).__name__, "is not in [0, 5)" in str(error))
    #> InvalidArgumentError True
# --8<-- [end:errors]
