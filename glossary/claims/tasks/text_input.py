"""Claims of the page "From text to an LSTM" (``docs/text-input.md``)."""

from __future__ import annotations

import importlib.util
import re

import numpy as np

from glossary.claims.keras_backend import accelerator, backend, host_array, is_keras_2, keras
from glossary.claims.registry import Evidence, NotApplicable, claim
from glossary.claims.samples import message_of, process_stderr_dropped

TOLERANCE = 1e-6
"""float32: the masked and unpadded runs do the same steps in the same order; what can differ is
the rounding of a few carried copies, far below a millionth."""


@claim(
    "PAD-SEQUENCES-AT-THE-START",
    "`keras.utils.pad_sequences` pads and truncates at the start of each sequence unless given "
    "`padding='post'` and `truncating='post'`.",
    page="text-input.md#padding-to-one-length",
)
def pad_sequences_at_the_start():
    pad = keras().utils.pad_sequences
    default = pad([[5, 6, 7], [1, 2, 3, 4, 5, 6]], maxlen=4).tolist()
    post = pad([[5, 6, 7], [1, 2, 3, 4, 5, 6]], maxlen=4, padding="post", truncating="post").tolist()
    holds = default == [[0, 5, 6, 7], [3, 4, 5, 6]] and post == [[5, 6, 7, 0], [1, 2, 3, 4]]
    return Evidence(holds, f"[5 6 7] and [1 .. 6] to 4: default {default}; post {post}")


@claim(
    "MASK-ZERO-MASKS-ID-ZERO",
    "`Embedding(mask_zero=True)` masks exactly the timesteps whose id is 0, so id 0 cannot stand for "
    "a word: `input_dim` must count it.",
    page="text-input.md#embedding-and-the-mask",
)
def mask_zero_masks_id_zero():
    ids = np.array([[3, 1, 0, 0], [0, 2, 2, 4]])
    layer = keras().layers.Embedding(5, 2, mask_zero=True)
    mask = host_array(layer.compute_mask(ids))
    return Evidence(np.array_equal(mask, ids != 0), f"ids {ids.tolist()}: mask {mask.tolist()}")


@claim(
    "MASKED-FINAL-STATE-IGNORES-PADDING",
    "With the mask of `Embedding(mask_zero=True)`, an LSTM's final state for a padded sequence is its "
    "final state without padding, whether the padding comes before or after; without the mask, "
    "either padding changes it.",
    page="text-input.md#padding-before-or-after",
)
def masked_final_state_ignores_padding():
    # Vectors of size about 1 (not Keras's default of a few hundredths), so that padding, unmasked,
    # moves the state clearly on any backend's random numbers.
    normal = keras().initializers.RandomNormal(stddev=1.0)
    embed = keras().layers.Embedding(10, 4, mask_zero=True, embeddings_initializer=normal)
    lstm = keras().layers.LSTM(3, return_state=True)

    def final(ids, masked=True):
        vectors = host_array(embed(np.array([ids])))
        mask = host_array(embed.compute_mask(np.array([ids]))) if masked else None
        return host_array(lstm(vectors, mask=mask)[1])

    alone = final([5, 6, 7])
    gaps = {
        padded: float(np.max(np.abs(final(ids, masked) - alone)))
        for padded, ids, masked in [
            ("before, masked", [0, 0, 5, 6, 7], True),
            ("after, masked", [5, 6, 7, 0, 0], True),
            ("before, unmasked", [0, 0, 5, 6, 7], False),
            ("after, unmasked", [5, 6, 7, 0, 0], False),
        ]
    }
    masked_same = max(gaps["before, masked"], gaps["after, masked"]) <= TOLERANCE
    unmasked_differ = min(gaps["before, unmasked"], gaps["after, unmasked"]) > 1e-3
    shown = "; ".join(f"{padded}: {gap:.1e}" for padded, gap in gaps.items())
    return Evidence(masked_same and unmasked_differ, f"difference from the unpadded final state: {shown}")


@claim(
    "TEXT-VECTORIZATION-RESERVES-0-AND-1",
    "`TextVectorization` keeps id 0 for padding (`''`) and id 1 for words it has not seen "
    "(`'[UNK]'`); the words it learned start at id 2.",
    page="text-input.md#from-words-to-ids",
)
def text_vectorization_reserves():
    if importlib.util.find_spec("tensorflow") is None:
        raise NotApplicable(
            "TextVectorization works on TensorFlow's string ops, and TensorFlow is not installed"
        )
    layer = keras().layers.TextVectorization()
    layer.adapt(["the cat sat", "the dog"])
    vocabulary = [str(word) for word in layer.get_vocabulary()]
    ids = host_array(layer(["the bird"])).tolist()
    holds = vocabulary[:3] == ["", "[UNK]", "the"] and ids == [[2, 1]]
    return Evidence(holds, f"vocabulary {vocabulary}; 'the bird' -> {ids}")


@claim(
    "TEXT-VECTORIZATION-NEEDS-TENSORFLOW",
    "In Keras 3, `TextVectorization` needs TensorFlow installed whatever the backend: where it is not, "
    "creating the layer raises an `ImportError` ('requires TensorFlow'), while `pad_sequences` works.",
    page="text-input.md#from-words-to-ids",
    depends_on="Keras 3 on JAX or PyTorch without TensorFlow installed; where TensorFlow is, the "
    "layer works and the check has nothing to see",
)
def text_vectorization_needs_tensorflow():
    if is_keras_2():
        raise NotApplicable("Keras 2 runs on TensorFlow only")
    if importlib.util.find_spec("tensorflow") is not None:
        raise NotApplicable("TensorFlow is installed here, so the layer works")
    said = message_of(lambda: keras().layers.TextVectorization())
    padded = keras().utils.pad_sequences([[5, 6], [1, 2, 3]]).tolist()
    holds = (
        said.startswith("ImportError") and "requires TensorFlow" in said and padded == [[0, 5, 6], [1, 2, 3]]
    )
    return Evidence(holds, f"{said}; pad_sequences: {padded}")


def _out_of_range_lookup():
    """What ``Embedding(5, 2)`` does with the ids ``[[1, 7]]``: its output, or what it raised."""
    layer = keras().layers.Embedding(5, 2, name="embedding")
    said = message_of(lambda: layer(np.array([[1, 7]])))
    return said, (None if said else host_array(layer(np.array([[1, 7]]))))


@claim(
    "EMBEDDING-ID-OUT-OF-RANGE",
    "On TensorFlow on a CPU, an id at or above `Embedding`'s `input_dim` raises an "
    "`InvalidArgumentError` that names it: 'indices[...] = 7 is not in [0, 5)'.",
    page="text-input.md#errors-on-the-way",
    depends_on="TensorFlow on a CPU: TensorFlow documents that on a GPU its gather writes 0 instead",
)
def embedding_id_out_of_range():
    if backend() != "tensorflow":
        raise NotApplicable(f"the check is about TensorFlow's gather; the backend here is {backend()}")
    if accelerator():
        raise NotApplicable("a GPU computes here, where TensorFlow's gather does not raise")
    said, _ = _out_of_range_lookup()
    named = re.search(r"indices\[[^\]]*\] = 7 is not in \[0, 5\)", said)
    holds = said.startswith("InvalidArgumentError") and named is not None
    return Evidence(holds, said)  # whole: the error-messages page shows it as the message


@claim(
    "EMBEDDING-ID-OUT-OF-RANGE-TORCH",
    "On PyTorch on a CPU, an id at or above `Embedding`'s `input_dim` raises an `IndexError`: "
    "'index out of range in self'.",
    page="text-input.md#errors-on-the-way",
    depends_on="Keras 3 on PyTorch, on a CPU: on a GPU the lookup fails inside a CUDA kernel instead",
)
def embedding_id_out_of_range_torch():
    if backend() != "torch":
        raise NotApplicable(f"the check is about PyTorch's lookup; the backend here is {backend()}")
    if accelerator():
        raise NotApplicable(
            "a GPU computes here: an index out of range stops a CUDA kernel, not checked here"
        )
    said, _ = _out_of_range_lookup()
    holds = said.startswith("IndexError") and "index out of range in self" in said
    return Evidence(holds, said.splitlines()[0] + " " + " ".join(said.splitlines()[1:3]).strip())


@claim(
    "EMBEDDING-ID-OUT-OF-RANGE-JAX",
    "On JAX, an id at or above `Embedding`'s `input_dim` raises nothing: the layer returns NaN for that "
    "id's vector, and the other ids' vectors as usual; an LSTM that reads the vectors outputs NaN.",
    page="text-input.md#errors-on-the-way",
    depends_on="Keras 3 on JAX: jax.numpy.take fills an index out of range with NaN by default",
)
def embedding_id_out_of_range_jax():
    if backend() != "jax":
        raise NotApplicable(f"the check is about JAX's lookup; the backend here is {backend()}")
    said, vectors = _out_of_range_lookup()
    if said:
        return Evidence(False, said)
    kept, lost = vectors[0, 0], vectors[0, 1]
    read = host_array(keras().layers.LSTM(3)(vectors))
    holds = bool(np.all(np.isfinite(kept)) and np.all(np.isnan(lost)) and np.all(np.isnan(read)))
    return Evidence(
        holds,
        f"no error; vector of id 1 finite: {bool(np.all(np.isfinite(kept)))}; vector of id 7: "
        f"{lost.tolist()}; an LSTM's output: {read.tolist()}",
    )


@claim(
    "EMBEDDING-NEGATIVE-ID-WRAPS",
    "In Keras 3, `Embedding` takes a negative id without an error and counts it from the end of its "
    "table, as NumPy's indexing does: -1 gives the last row's vector. Keras 2 (tf-keras) stops with "
    "an `InvalidArgumentError` ('= -1 is not in [0, 5)' for a table of 5 rows).",
    page="text-input.md#errors-on-the-way",
    depends_on="the Keras version, as the statement says; Keras 3 is run on a CPU",
)
def embedding_negative_id_wraps():
    layer = keras().layers.Embedding(5, 2)
    with process_stderr_dropped():  # TensorFlow logs the failed lookup before it raises
        said = message_of(lambda: layer(np.array([[1, -1]])))
    if is_keras_2():
        return Evidence(
            said.startswith("InvalidArgumentError") and "= -1 is not in [0, 5)" in said, said[:160]
        )
    if said:
        return Evidence(False, said[:160])
    vectors = host_array(layer(np.array([[1, -1]])))
    table = host_array(layer.embeddings)
    holds = bool(np.array_equal(vectors[0, 1], table[-1]) and np.array_equal(vectors[0, 0], table[1]))
    return Evidence(holds, f"no error; the vector of -1 is the table's last row: {holds}")


@claim(
    "PAD-SEQUENCES-DEFAULT-FAILS-CUDNN",
    "On Keras 3's TensorFlow backend with a GPU, ids padded by `pad_sequences`' default (at the start) "
    "and masked by `Embedding(mask_zero=True)` stop an LSTM's or a GRU's `predict` and `fit` with an "
    "`InvalidArgumentError`: the mask fails Keras's check before cuDNN. Padded with `padding='post'` "
    "they run, unless a text is empty (a row all padding fails the same check).",
    page="text-input.md#padding-before-or-after",
    depends_on="Keras 3 on TensorFlow, on a GPU. Without one, the check tells Keras a GPU is there and "
    "stands in for TensorFlow's cuDNN op (see CUDNN-MASK-RIGHT-PADDED-ONLY); no run on a GPU has checked it",
)
def pad_sequences_default_fails_cudnn():
    from glossary.claims.keras_api.masking import cudnn_kernel_calls, graph_error

    pad = keras().utils.pad_sequences
    texts = [[5, 6, 7], [1, 2, 3, 4, 5, 6]]
    batches = {
        "default": pad(texts, maxlen=6),
        "post": pad(texts, maxlen=6, padding="post"),
        "post, with an empty text": pad([*texts, []], maxlen=6, padding="post"),
    }
    found = {}
    with cudnn_kernel_calls():  # skips the claim where it is not Keras 3 on TensorFlow
        for kind in ("LSTM", "GRU"):
            layers = keras().layers
            ids = keras().Input((None,), dtype="int32")
            recurrent = getattr(layers, kind)(4)
            model = keras().Model(ids, recurrent(layers.Embedding(10, 3, mask_zero=True)(ids)))
            for name, batch in batches.items():
                targets = np.zeros((len(batch), 4), "float32")
                found[f"{kind}, {name}"] = (
                    graph_error(model, batch) or "ran",
                    graph_error(model, batch, targets) or "ran",
                )
    failed = ("InvalidArgumentError (Keras's mask assertion)",) * 2
    expected = {
        f"{kind}, {name}": ("ran", "ran") if name == "post" else failed
        for kind in ("LSTM", "GRU")
        for name in batches
    }
    shown = "; ".join(f"{case}: predict {p}, fit {f}" for case, (p, f) in found.items())
    return Evidence(found == expected, shown)


def _traces_per_predict(lengths: list[int]) -> list[int]:
    """How many times a model's Python code ran in each ``predict`` of two id sequences of ``lengths``.

    A compiled step runs it once per trace; an eager one at every batch.
    """
    ran = [0]

    class Counted(keras().layers.Layer):
        def __init__(self):
            super().__init__()
            self.supports_masking = True  # the mask of the Embedding passes through to the LSTM

        def call(self, inputs):
            ran[0] += 1  # a Python side effect: it happens when Keras traces, or runs eagerly
            return inputs

    ids = keras().Input((None,), dtype="int32")
    vectors = Counted()(keras().layers.Embedding(20, 4, mask_zero=True)(ids))
    model = keras().Model(ids, keras().layers.LSTM(3)(vectors))
    added = []
    for length in lengths:
        before = ran[0]
        model.predict(np.ones((2, length), "int32"), verbose=0)
        added.append(ran[0] - before)
    return added


@claim(
    "NEW-LENGTH-RETRACES",
    "`predict` on a model whose input length is open, given batches of changing length: on JAX each "
    "new length traces the model's step again (a length seen before does not); on TensorFlow, in "
    "Keras 3 and 2, the first new length does, then TensorFlow relaxes the traced shape to any "
    "length and no later one does; on PyTorch nothing is traced, and the model's Python code runs "
    "at every batch.",
    page="text-input.md#batches-of-different-lengths",
    depends_on="the backend: JAX compiles for each input shape, TensorFlow's tf.function relaxes shapes "
    "after retracing (reduce_retracing), PyTorch runs eagerly",
)
def new_length_retraces():
    lengths = [5, 5, 6, 7, 8, 9, 10, 11, 6]  # the first warms up; then a repeat, six new, a repeat
    added = _traces_per_predict(lengths)[1:]
    repeats, new = [added[0], added[-1]], added[1:-1]
    expected = {
        "jax": repeats == [0, 0] and new == [1] * 6,
        "tensorflow": repeats == [0, 0] and new == [1] + [0] * 5,
        "torch": repeats == [1, 1] and new == [1] * 6,
    }
    return Evidence(
        expected[backend()],
        f"{backend()}: after a batch of length {lengths[0]}, the model's code ran {added} times "
        f"for lengths {lengths[1:]}",
    )
