import keras
import numpy as np

rng = np.random.default_rng(0)
queries = rng.normal(size=(2, 3, 4)).astype("float32")  # the decoder's outputs: 3 target steps
values = rng.normal(size=(2, 5, 4)).astype("float32")  # the encoder's outputs: 5 source steps


def softmax(scores):
    exponentials = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return exponentials / exponentials.sum(axis=-1, keepdims=True)


# --8<-- [start:dot]
# NumPy arrays on every backend (np.asarray refuses PyTorch's tensors that track gradients)
context, weights = map(keras.ops.convert_to_numpy, keras.layers.Attention()([queries, values], return_attention_scores=True))
print(tuple(context.shape), tuple(weights.shape))  # (batch, target steps, ...), one weight per source step
#> (2, 3, 4) (2, 3, 5)

scores = queries @ values.transpose(0, 2, 1)  # each query's dot product with each source step
print(np.allclose(weights, softmax(scores), atol=1e-6))  # float32 rounding
#> True
print(np.allclose(context, softmax(scores) @ values, atol=1e-6))  # the weighted mix of the values
#> True
# --8<-- [end:dot]

# --8<-- [start:additive]
additive = keras.layers.AdditiveAttention()
context, weights = map(keras.ops.convert_to_numpy, additive([queries, values], return_attention_scores=True))
scale = keras.ops.convert_to_numpy(additive.weights[0])  # the layer's only weight: one number per feature
print(len(additive.weights), scale.shape)
#> 1 (4,)

scores = (scale * np.tanh(queries[:, :, None, :] + values[:, None, :, :])).sum(axis=-1)
print(np.allclose(weights, softmax(scores), atol=1e-6), np.allclose(context, softmax(scores) @ values, atol=1e-6))
#> True True
# --8<-- [end:additive]

# --8<-- [start:mask]
source_mask = np.array([[True, True, True, False, False], [True] * 5])  # the first source is padded
_, weights = keras.layers.Attention()([queries, values], mask=[None, source_mask], return_attention_scores=True)
weights = keras.ops.convert_to_numpy(weights)
print(weights[0, :, 3:].max())  # no weight at all on the first sequence's two padded steps
#> 0.0
print(np.allclose(weights.sum(axis=-1), 1))  # each target step's weights still sum to one
#> True
# --8<-- [end:mask]

# --8<-- [start:causal]
sequence = rng.normal(size=(1, 4, 4)).astype("float32")  # self-attention: a sequence attends to itself
_, weights = keras.layers.Attention()([sequence, sequence], use_causal_mask=True, return_attention_scores=True)
print((keras.ops.convert_to_numpy(weights)[0] > 0).astype(int))  # step t sees steps 0..t only
'''
[[1 0 0 0]
 [1 1 0 0]
 [1 1 1 0]
 [1 1 1 1]]
'''
# --8<-- [end:causal]

# --8<-- [start:decoder]
source, target = keras.Input((None, 3)), keras.Input((None, 2))
encoded, state_h, state_c = keras.layers.LSTM(16, return_sequences=True, return_state=True)(source)
decoded = keras.layers.LSTM(16, return_sequences=True)(target, initial_state=[state_h, state_c])
context = keras.layers.Attention()([decoded, encoded])  # every target step looks at every source step
joined = keras.layers.Concatenate()([decoded, context])  # (batch, target steps, 16 + 16)
model = keras.Model([source, target], keras.layers.Dense(2)(joined))
print(tuple(model([np.zeros((1, 7, 3), "float32"), np.zeros((1, 4, 2), "float32")]).shape))
#> (1, 4, 2)
# --8<-- [end:decoder]
