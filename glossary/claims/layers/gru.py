"""Claims of the page "GRU" (``docs/gru.md``)."""

from __future__ import annotations

import numpy as np

from glossary.claims.keras_backend import FLOAT32_ARITHMETIC, host_array, is_keras_2, keras, tensor
from glossary.claims.registry import Evidence, claim
from glossary.claims.samples import built, error_of, logged_while, reference_difference, sample


@claim(
    "GRU-REFERENCE",
    "`glossary.reference.gru` gives `keras.layers.GRU`'s numbers to 1e-5 in float32, "
    "with `reset_after` True and False and random biases.",
    page="gru.md#the-same-in-numpy",
    depends_on=FLOAT32_ARITHMETIC,
)
def gru_reference():
    difference = max(reference_difference("GRU", reset_after=reset_after) for reset_after in (True, False))
    return Evidence(difference < 1e-5, f"largest difference {difference:.1e}")


@claim(
    "GRU-GATE-ORDER",
    "Keras packs a GRU's gates as update, reset, candidate: a large bias on the first block alone "
    "freezes the hidden state at its initial value, and with the first block's bias large and negative "
    "a large bias on the third block alone drives the hidden state to 1.",
    page="gru.md#the-three-blocks",
)
def gru_gate_order():
    layer = built(keras().layers.GRU(4, return_sequences=True), 5)
    kernel, recurrent_kernel, bias = layer.get_weights()
    frozen = bias.copy()
    frozen[:, :4] = 20.0  # the update gate saturates at 1: keep the old state entirely
    layer.set_weights([kernel, recurrent_kernel, frozen])
    largest = float(np.max(np.abs(host_array(layer(sample())))))
    # The update gate at 0 hands every step to the candidate; only the candidate's tanh, pushed by a
    # large bias, then gives 1 (a large reset-gate bias would leave the candidate free to move).
    written = bias.copy()
    written[:, :4], written[:, 8:] = -20.0, 20.0
    layer.set_weights([kernel, recurrent_kernel, written])
    smallest = float(np.min(host_array(layer(sample()))))
    return Evidence(
        largest < 1e-6 and smallest > 1 - 1e-6,
        f"first block at 20: largest |h_t| from a zero initial state {largest:.1e}; "
        f"first at -20, third at 20: smallest h_t {smallest:.7f}",
    )


@claim(
    "GRU-RESET-AFTER-CHANGES-NUMBERS",
    "`reset_after` changes what a GRU computes, not only its bias: with the same kernel, recurrent kernel "
    "and input-side biases (the recurrent-side row at zero), `reset_after=True` and `False` give "
    "different hidden states, each the one its equation gives.",
    page="gru.md#two-variants-reset_after",
    depends_on=FLOAT32_ARITHMETIC,
)
def gru_reset_after_changes_numbers():
    from glossary import reference

    x = sample()
    after = built(keras().layers.GRU(4, return_sequences=True, reset_after=True), 5)
    before = built(keras().layers.GRU(4, return_sequences=True, reset_after=False), 5)
    kernel, recurrent_kernel, _ = after.get_weights()
    input_bias = np.random.default_rng(1).normal(scale=0.5, size=12).astype("float32")
    after.set_weights([kernel, recurrent_kernel, np.stack([input_bias, np.zeros_like(input_bias)])])
    before.set_weights([kernel, recurrent_kernel, input_bias])
    outputs = {flag: host_array(layer(x)) for flag, layer in ((True, after), (False, before))}
    apart = float(np.max(np.abs(outputs[True] - outputs[False])))
    biases = {True: after.get_weights()[2], False: input_bias}
    off_equation = max(
        float(
            np.max(
                np.abs(
                    reference.gru(
                        x, kernel, recurrent_kernel, biases[flag], reset_after=flag, return_sequences=True
                    )
                    - outputs[flag]
                )
            )
        )
        for flag in (True, False)
    )
    return Evidence(
        apart > 1e-2 and off_equation < 1e-5,
        f"the two settings differ by up to {apart:.2f}; each from its own equation by {off_equation:.1e}",
    )


@claim(
    "ONE-STATE-LAYERS",
    "With `return_state=True`, GRU and SimpleRNN return two arrays, output and `state_h`, "
    "with no cell state; the output is again the hidden state.",
    page="gru.md#one-state-not-two",
)
def one_state_layers():
    x = sample()
    found = []
    for layer_type in ("GRU", "SimpleRNN"):
        returned = getattr(keras().layers, layer_type)(4, return_state=True)(x)
        output, state_h = returned
        found.append(len(returned) == 2 and np.array_equal(host_array(output), host_array(state_h)))
    return Evidence(all(found), f"two arrays, output equal to state_h: {found}")


@claim(
    "GRU-PAIR-OF-STATES",
    "Given two initial states, as an LSTM takes, Keras 3's GRU runs from the first and ignores the "
    "second without a word; Keras 2's refuses them.",
    page="gru.md#one-state-not-two",
    depends_on="the Keras version: Keras 3 ignores the extra state, Keras 2 raises ValueError",
)
def gru_pair_of_states():
    x = sample()
    first, second = (np.random.default_rng(seed).normal(size=(3, 4)).astype("float32") for seed in (1, 2))
    layer = built(keras().layers.GRU(4), 5)
    refused = error_of(lambda: layer(x, initial_state=[tensor(first), tensor(second)]))
    if is_keras_2():
        return Evidence(
            refused.startswith("ValueError"), f"Keras 2: {refused.splitlines()[0] if refused else 'accepted'}"
        )
    pair = []
    said = logged_while(lambda: pair.append(layer(x, initial_state=[tensor(first), tensor(second)])))
    from_pair = host_array(pair[0])
    from_first = host_array(layer(x, initial_state=tensor(first)))
    from_second = host_array(layer(x, initial_state=tensor(second)))
    same = float(np.max(np.abs(from_pair - from_first)))
    other = float(np.max(np.abs(from_pair - from_second)))
    return Evidence(
        not refused and not said and same < 1e-6 and other > 1e-3,  # a run against itself, or another's
        f"accepted: {not refused}; warnings or log records: {said or 'none'}; the pair's result vs "
        f"the first state's alone: {same:.1e}, vs the second's: {other:.1e}",
    )
