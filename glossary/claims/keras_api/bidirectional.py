"""Claims of the page "Bidirectional layers" (``docs/bidirectional.md``)."""

from __future__ import annotations

import numpy as np

from glossary.claims.keras_backend import FLOAT32_ARITHMETIC, backend, host_array, keras, tensor
from glossary.claims.registry import Evidence, claim
from glossary.claims.samples import built, sample


@claim(
    "BIDIRECTIONAL-WIDTH",
    "`Bidirectional(LSTM(units))` outputs `2 * units` values by default (`merge_mode='concat'`, forward "
    "first); `sum`, `mul` and `ave` combine the two directions element by element and keep `units`, and "
    "`None` returns the two directions separately.",
    page="bidirectional.md#why-the-width-doubles",
)
def bidirectional_width():
    x = sample()
    separate = keras().layers.Bidirectional(keras().layers.LSTM(4), merge_mode=None)
    forward, backward = (host_array(r) for r in separate(x))
    # forward first: the first array is what the forward layer alone gives, the second the backward
    # (_same: on a GPU the wrapper may run both directions as one fused cuDNN call)
    in_order = _same(forward, host_array(separate.forward_layer(x))) and _same(
        backward, host_array(separate.backward_layer(x))
    )
    combined = {
        "concat": np.concatenate([forward, backward], axis=-1),
        "sum": forward + backward,
        "mul": forward * backward,
        "ave": (forward + backward) / 2,
    }
    found, gaps = {None: [forward.shape, backward.shape]}, {}
    for mode, expected in combined.items():
        merged = built(keras().layers.Bidirectional(keras().layers.LSTM(4), merge_mode=mode), 5)
        merged.set_weights(separate.get_weights())  # the same two directions, merged another way
        result = host_array(merged(x))
        found[mode], gaps[mode] = result.shape, float(np.max(np.abs(result - expected)))
    shapes = {"concat": (3, 8), "sum": (3, 4), "mul": (3, 4), "ave": (3, 4), None: [(3, 4), (3, 4)]}
    shown = "; ".join(f"{mode}: {shape}" for mode, shape in found.items())
    return Evidence(
        in_order and found == shapes and max(gaps.values()) < 1e-6,  # float32: one sum or product, or none
        f"Bidirectional(LSTM(4)) on (3, 7, 5), by merge_mode: {shown}; largest difference from the two "
        f"directions combined by hand: {max(gaps.values()):.1e}; forward layer's output first: {in_order}",
    )


def _same(got: np.ndarray, expected: np.ndarray) -> bool:
    """Equal shapes, and values to 1e-5.

    On a GPU, Keras 3.15 may run the two directions as one fused cuDNN call, whose rounding differs
    from the two layers run on their own; 1e-5 is far below the gap between any two of the arrays
    compared, so a position swapped still fails.
    """
    return got.shape == expected.shape and bool(np.allclose(got, expected, rtol=0, atol=1e-5))


@claim(
    "BIDIRECTIONAL-STATES",
    "With `return_state=True`, `Bidirectional(LSTM)` returns five arrays: output, then forward `h` and "
    "`c`, then backward `h` and `c`; with `merge_mode=None`, six, the two outputs first. The output is "
    "the two final hidden states side by side.",
    page="bidirectional.md#returned-states",
    depends_on=FLOAT32_ARITHMETIC,
)
def bidirectional_states():
    x = sample()
    wrapper = keras().layers.Bidirectional(keras().layers.LSTM(4, return_state=True))
    result = [host_array(r) for r in wrapper(x)]
    # Each direction run on its own gives the states each position must hold.
    forward = [host_array(r) for r in wrapper.forward_layer(x)]
    backward = [host_array(r) for r in wrapper.backward_layer(x)]
    expected = [np.concatenate([forward[0], backward[0]], axis=-1), *forward[1:], *backward[1:]]
    five = len(result) == 5 and all(_same(a, b) for a, b in zip(result, expected, strict=True))
    states = expected[1:]  # four (3, 4) arrays: a swap of two must exceed the tolerance
    apart = min(float(np.max(np.abs(a - b))) for i, a in enumerate(states) for b in states[i + 1 :])
    separate = keras().layers.Bidirectional(keras().layers.LSTM(4, return_state=True), merge_mode=None)
    result = [host_array(r) for r in separate(x)]
    forward = [host_array(r) for r in separate.forward_layer(x)]
    backward = [host_array(r) for r in separate.backward_layer(x)]
    expected = [forward[0], backward[0], *forward[1:], *backward[1:]]
    six = len(result) == 6 and all(_same(a, b) for a, b in zip(result, expected, strict=True))
    return Evidence(
        five and six and apart > 1e-3,
        f"the four states at least {apart:.1e} apart; "
        f"concat: output = [forward h, backward h], then forward h, c, backward h, c: {five}; "
        f"merge_mode=None: forward output, backward output, then the four states: {six}",
    )


@claim(
    "BIDIRECTIONAL-PARAMS",
    "A `Bidirectional` layer holds two copies of the wrapped layer, the second with "
    "`go_backwards=True`, so it has twice the parameters.",
    page="bidirectional.md#returned-states",
)
def bidirectional_params():
    wrapper = keras().layers.Bidirectional(keras().layers.LSTM(4))
    wrapper.build((None, None, 5))
    single = built(keras().layers.LSTM(4), 5).count_params()
    backwards = wrapper.backward_layer.go_backwards
    return Evidence(
        wrapper.count_params() == 2 * single and backwards, f"{wrapper.count_params()} = 2 x {single}"
    )


@claim(
    "BIDIRECTIONAL-MASK",
    "Given a mask, both directions of `Bidirectional(LSTM(units, return_sequences=True))` skip the "
    "padding: the backward layer starts at each sequence's last real timestep, and the padded "
    "timesteps of the merged sequence are zeros in both halves.",
    page="bidirectional.md#with-a-mask",
    depends_on=FLOAT32_ARITHMETIC,
)
def bidirectional_mask():
    x = sample(batch=2, timesteps=5, features=3)
    mask = np.ones((2, 5), bool)
    mask[0, 3:] = False  # row 0: 3 real timesteps, then 2 of padding
    x[0, 3:] = 100.0  # padding that would change every output it reached
    wrapper = keras().layers.Bidirectional(keras().layers.LSTM(2, return_sequences=True))
    merged = host_array(wrapper(x, mask=tensor(mask)))
    # row 0's 3 real timesteps on their own, through the same two layers
    alone = host_array(wrapper(x[:1, :3]))
    found = {
        "padded timesteps zero": not np.any(merged[0, 3:]),
        "real timesteps as without the padding": _same(merged[0, :3], alone[0]),
        "real outputs non-zero": bool(np.all(merged[0, :3] != 0)),
    }
    return Evidence(all(found.values()), f"{keras().__name__} on {backend()}: {found}")
