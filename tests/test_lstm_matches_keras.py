"""The NumPy reference LSTM against keras.layers.LSTM, with the same weights and flags."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from keras_oracle import as_numpy, keras_lstm, random_lstm_case

from glossary import reference

# float32 throughout. The two sides sum the same products in different orders, and each
# timestep feeds its rounding into the next, so they drift apart by a few float32 ulps per
# step: ~1e-6 after 40 steps at the sizes below. 1e-5 leaves room and still catches any
# real mistake (a wrong gate or a missed mask shows up at 1e-2 and above).
ATOL = 1e-5

FLAGS = ["return_sequences", "return_state", "go_backwards", "initial_state", "mask"]
EVERY_COMBINATION = [
    dict(zip(FLAGS, values, strict=True)) for values in itertools.product([False, True], repeat=5)
]

sizes = st.fixed_dictionaries(
    {
        "units": st.integers(1, 64),
        "features": st.integers(1, 16),
        "timesteps": st.integers(1, 40),
        "batch": st.integers(1, 8),
    }
)


@pytest.mark.parametrize(
    "flags", EVERY_COMBINATION, ids=lambda f: "-".join(k for k, v in f.items() if v) or "defaults"
)
@settings(max_examples=6)
@given(size=sizes, seed=st.integers(0, 2**32 - 1))
def test_reference_equals_keras(flags, size, seed, record_difference):
    """Output and final states of the reference equal keras.layers.LSTM to 1e-5 in float32."""
    case = random_lstm_case(seed, **size)
    weights = (case["kernel"], case["recurrent_kernel"], case["bias"])
    layer_flags = {k: flags[k] for k in ("return_sequences", "return_state", "go_backwards")}
    call_inputs = {
        "initial_state": case["initial_state"] if flags["initial_state"] else None,
        "mask": case["mask"] if flags["mask"] else None,
    }

    layer = keras_lstm(size["units"], size["features"], weights, **layer_flags)
    expected = as_numpy(layer(case["x"], **call_inputs))
    actual = reference.lstm(case["x"], *weights, **layer_flags, **call_inputs)

    if not flags["return_state"]:
        expected, actual = (expected,), (actual,)
    assert len(actual) == len(expected)
    for got, want in zip(actual, expected, strict=True):
        assert got.shape == want.shape
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, want, rtol=0, atol=ATOL)
        record_difference("LSTM", float(np.max(np.abs(got - want))))


def test_reference_returns_a_tuple_like_keras():
    """With return_state, Keras 3 returns a tuple (output, hidden_state, cell_state), and so does ours."""
    case = random_lstm_case(0, batch=2, timesteps=3, features=5, units=4)
    weights = (case["kernel"], case["recurrent_kernel"], case["bias"])
    keras_result = keras_lstm(4, 5, weights, return_state=True)(case["x"])
    reference_result = reference.lstm(case["x"], *weights, return_state=True)
    assert type(keras_result) is tuple
    assert type(reference_result) is tuple
    assert len(reference_result) == len(keras_result) == 3


def test_float64_inputs_stay_float64():
    """The reference computes in the inputs' precision: float64 in, float64 out."""
    case = random_lstm_case(1, batch=2, timesteps=3, features=5, units=4)
    arrays = [case[k].astype("float64") for k in ("x", "kernel", "recurrent_kernel", "bias")]
    assert reference.lstm(*arrays).dtype == np.float64
