"""The fast paths of glossary.fused against the readable loop of glossary.reference that defines them."""

from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from keras_oracle import LAYERS, random_case, sizes

from glossary import fused, reference

FAST_PATHS = {
    "LSTM": (fused.lstm_sequence, reference.lstm_step),
    "GRU": (fused.gru_sequence, lambda *arguments: reference.gru_step(*arguments, reset_after=True)),
    "SimpleRNN": (fused.simple_rnn_sequence, reference.simple_rnn_step),
}


@pytest.mark.parametrize("layer", FAST_PATHS)
@settings(max_examples=25)
@given(
    size=sizes,
    seed=st.integers(0, 2**32 - 1),
    go_backwards=st.booleans(),
    return_sequences=st.booleans(),
    rows_per_thread=st.sampled_from([1, 3, fused.ROWS_PER_THREAD]),
)
def test_fast_path_equals_the_readable_loop(
    layer, size, seed, go_backwards, return_sequences, rows_per_thread
):
    """Each fast path, whole or cut into threads, gives the plain loop's numbers to float32 rounding."""
    fast_path, step = FAST_PATHS[layer]
    case = random_case(seed, layer, **size)
    weights = (case["kernel"], case["recurrent_kernel"], case["bias"])
    states = tuple(case["initial_state"])
    arguments = (case["x"], *weights, *states)
    untouched = [argument.copy() for argument in arguments]
    with mock.patch.object(fused, "ROWS_PER_THREAD", rows_per_thread):  # small batches use threads too
        fast, fast_states = fast_path(*arguments, go_backwards, return_sequences)
    for argument, original in zip(arguments, untouched, strict=True):  # the caller's arrays are left alone
        np.testing.assert_array_equal(argument, original)

    def plain_step(x_t, *states_and_weights):
        new = step(x_t, *states_and_weights)
        return new if isinstance(new, tuple) else (new,)

    plain, plain_states = reference.run_steps(
        plain_step, case["x"], weights, states, None, go_backwards, return_sequences
    )
    # Same products summed in another order, and tanh and sigmoid computed through exp: ulp-level drift.
    for got, want in zip((fast, *fast_states), (plain, *plain_states), strict=True):
        assert got.shape == want.shape and got.dtype == want.dtype
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-6)


@pytest.mark.parametrize("layer", FAST_PATHS)
def test_fast_path_saturates_without_warnings(layer, recwarn):
    """Pre-activations far beyond exp's float32 range give exact 0/1 gates and +-1 tanh, and no warning."""
    case = random_case(0, layer, batch=4, timesteps=3, features=2, units=5)
    fast_path, _ = FAST_PATHS[layer]
    huge = [np.asarray(w) * 1e4 for w in (case["kernel"], case["recurrent_kernel"], case["bias"])]
    fast, states = fast_path(case["x"] * 1e3, *huge, *case["initial_state"], False, True)
    expected = LAYERS[layer][1](  # the readable loop: a mask that hides nothing sends it there
        case["x"] * 1e3,
        *huge,
        return_sequences=True,
        initial_state=case["initial_state"],
        mask=np.ones((4, 3), bool),
    )
    np.testing.assert_allclose(fast, expected, rtol=0, atol=1e-6)
    assert np.all(np.isfinite(fast)) and all(np.all(np.isfinite(s)) for s in states)
    assert not recwarn.list
