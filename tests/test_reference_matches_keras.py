"""The NumPy reference layers against Keras's LSTM, GRU and SimpleRNN, with the same weights and flags."""

import itertools
import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from keras_oracle import (
    BACKEND,
    KERAS_2,
    LAYERS,
    as_numpy,
    call_inputs,
    keras_layer,
    keras_lstm,
    random_case,
    random_lstm_case,
    sizes,
)

from glossary import reference

# float32 throughout. The two sides sum the same products in different orders, and each
# timestep feeds its rounding into the next, so they drift apart by a few float32 ulps per
# step: ~1e-6 after 40 steps at the sizes below. 1e-5 leaves room and still catches any
# real mistake (a wrong gate or a missed mask shows up at 1e-2 and above).
ATOL = 1e-5

# The compatibility matrix reruns this file on every Keras and backend; there, fewer random sizes
# per flag combination keep the run short (every combination still runs).
MATRIX_THINNING = int(os.environ.get("GLOSSARY_MATRIX_THINNING", "1"))

FLAGS = ["return_sequences", "return_state", "go_backwards", "initial_state", "mask"]
EVERY_COMBINATION = [
    dict(zip(FLAGS, values, strict=True)) for values in itertools.product([False, True], repeat=5)
]


def compare_with_keras(layer, flags, size, seed, record_difference, **options):
    case = random_case(seed, layer, **size, **options)
    weights = (case["kernel"], case["recurrent_kernel"], case["bias"])
    layer_flags = {k: flags[k] for k in ("return_sequences", "return_state", "go_backwards")}
    initial_state = case["initial_state"] if flags["initial_state"] else None
    mask = case["mask"] if flags["mask"] else None
    if initial_state is not None and mask is not None and BACKEND == "jax":
        pytest.skip("on JAX a leading masked timestep outputs the initial state (claim MASK-LEADING-OUTPUT)")

    keras_built = keras_layer(layer, size["units"], size["features"], weights, **layer_flags, **options)
    expected = as_numpy(keras_built(case["x"], **call_inputs(initial_state, mask)))
    actual = LAYERS[layer][1](
        case["x"], *weights, **layer_flags, **options, initial_state=initial_state, mask=mask
    )

    if not flags["return_state"]:
        expected, actual = (expected,), (actual,)
    assert len(actual) == len(expected)
    for got, want in zip(actual, expected, strict=True):
        assert got.shape == want.shape
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, want, rtol=0, atol=ATOL)
        record_difference(layer, float(np.max(np.abs(got - want))))


def flag_names(flags):
    return "-".join(k for k, v in flags.items() if v) or "defaults"


@pytest.mark.claim("REFERENCE-MATCHES-KERAS")
@pytest.mark.parametrize("flags", EVERY_COMBINATION, ids=flag_names)
@settings(max_examples=max(1, 6 // MATRIX_THINNING))
@given(size=sizes, seed=st.integers(0, 2**32 - 1))
def test_lstm_equals_keras(flags, size, seed, record_difference):
    """Output and final states of reference.lstm equal keras.layers.LSTM to 1e-5 in float32."""
    compare_with_keras("LSTM", flags, size, seed, record_difference)


@pytest.mark.parametrize("reset_after", [True, False], ids=["reset_after", "reset_before"])
@pytest.mark.parametrize("flags", EVERY_COMBINATION, ids=flag_names)
@settings(max_examples=max(1, 2 // MATRIX_THINNING))
@given(size=sizes, seed=st.integers(0, 2**32 - 1))
def test_gru_equals_keras(flags, reset_after, size, seed, record_difference):
    """Output and final state of reference.gru equal keras.layers.GRU, for both reset_after settings."""
    compare_with_keras("GRU", flags, size, seed, record_difference, reset_after=reset_after)


@pytest.mark.parametrize("flags", EVERY_COMBINATION, ids=flag_names)
@settings(max_examples=max(1, 3 // MATRIX_THINNING))
@given(size=sizes, seed=st.integers(0, 2**32 - 1))
def test_simple_rnn_equals_keras(flags, size, seed, record_difference):
    """Output and final state of reference.simple_rnn equal keras.layers.SimpleRNN."""
    compare_with_keras("SimpleRNN", flags, size, seed, record_difference)


@pytest.mark.xfail(KERAS_2, reason="Keras 2 returns a list (claim RETURN-STATE-TUPLE)", strict=True)
def test_reference_returns_a_tuple_like_keras():
    """With return_state, Keras 3 returns a tuple (output, hidden_state, cell_state), and so does ours."""
    case = random_lstm_case(0, batch=2, timesteps=3, features=5, units=4)
    weights = (case["kernel"], case["recurrent_kernel"], case["bias"])
    keras_result = keras_lstm(4, 5, weights, return_state=True)(case["x"])
    reference_result = reference.lstm(case["x"], *weights, return_state=True)
    assert type(keras_result) is tuple
    assert type(reference_result) is tuple
    assert len(reference_result) == len(keras_result) == 3


def test_initial_state_is_not_modified():
    """The reference never writes into the arrays it is given, initial_state included."""
    case = random_lstm_case(2, batch=2, timesteps=4, features=3, units=5)
    before = [s.copy() for s in case["initial_state"]]
    reference.lstm(
        case["x"], case["kernel"], case["recurrent_kernel"], case["bias"], initial_state=case["initial_state"]
    )
    for state, original in zip(case["initial_state"], before, strict=True):
        np.testing.assert_array_equal(state, original)


def test_float64_inputs_stay_float64():
    """The reference computes in the inputs' precision: float64 in, float64 out."""
    case = random_lstm_case(1, batch=2, timesteps=3, features=5, units=4)
    arrays = [case[k].astype("float64") for k in ("x", "kernel", "recurrent_kernel", "bias")]
    assert reference.lstm(*arrays).dtype == np.float64
