"""Bad input to the reference fails with a message in the glossary's terms, never deep in NumPy."""

import re

import numpy as np
import pytest

from glossary import reference

BATCH, TIMESTEPS, FEATURES, UNITS = 3, 7, 5, 4


def good_arguments():
    rng = np.random.default_rng(0)
    return {
        "x": rng.normal(size=(BATCH, TIMESTEPS, FEATURES)).astype("float32"),
        "kernel": np.zeros((FEATURES, 4 * UNITS), "float32"),
        "recurrent_kernel": np.zeros((UNITS, 4 * UNITS), "float32"),
        "bias": np.zeros(4 * UNITS, "float32"),
    }


def with_nan(array):
    array = array.copy()
    array.flat[-1] = np.nan
    return array


CASES = {
    "2-D x": (
        {"x": np.zeros((BATCH, FEATURES), "float32")},
        ValueError,
        "x: expected (batch, timesteps, features) (3-D), got 2-D shape (3, 5)",
    ),
    "4-D x": (
        {"x": np.zeros((1, BATCH, TIMESTEPS, FEATURES), "float32")},
        ValueError,
        "x: expected (batch, timesteps, features) (3-D), got 4-D",
    ),
    "no timesteps": (
        {"x": np.zeros((BATCH, 0, FEATURES), "float32")},
        ValueError,
        "x: expected (batch, timesteps, features) with no empty axis",
    ),
    "integer x": (
        {"x": np.zeros((BATCH, TIMESTEPS, FEATURES), "int64")},
        TypeError,
        "x: expected floating-point numbers",
    ),
    "text x": ({"x": [["a"]]}, TypeError, "x: expected floating-point numbers"),
    "ragged x": ({"x": [[[1.0]], [[1.0, 2.0]]]}, ValueError, "x: expected an array of shape"),
    "NaN in x": (
        {"x": with_nan(good_arguments()["x"])},
        ValueError,
        "x: contains NaN or infinity (first at index (2, 6, 4))",
    ),
    "kernel for other features": (
        {"kernel": np.zeros((FEATURES + 1, 4 * UNITS), "float32")},
        ValueError,
        "kernel: expected (features, 4 * units) = (5, 16)",
    ),
    "unpacked recurrent kernel": (
        {"recurrent_kernel": np.zeros((UNITS, UNITS), "float32")},
        ValueError,
        "recurrent_kernel: expected (units, 4 * units)",
    ),
    "bias of one gate": (
        {"bias": np.zeros(UNITS, "float32")},
        ValueError,
        "bias: expected (4 * units,) = (16,), got shape (4,)",
    ),
    "NaN in a weight": (
        {"recurrent_kernel": with_nan(np.zeros((UNITS, 4 * UNITS), "float32"))},
        ValueError,
        "recurrent_kernel: contains NaN",
    ),
    "one initial state": (
        {"initial_state": [np.zeros((BATCH, UNITS), "float32")]},
        ValueError,
        "initial_state: expected [hidden_state, cell_state], got 1 arrays",
    ),
    "initial state as one array": (
        {"initial_state": np.zeros((2, BATCH, UNITS), "float32")},
        ValueError,
        "initial_state: expected a list",
    ),
    "initial state of other batch": (
        {"initial_state": [np.zeros((1, UNITS), "float32")] * 2},
        ValueError,
        "hidden_state: expected (batch, units) = (3, 4), got shape (1, 4)",
    ),
    "mask of ints": ({"mask": np.ones((BATCH, TIMESTEPS), "int32")}, TypeError, "mask: expected booleans"),
    "mask of other length": (
        {"mask": np.ones((BATCH, TIMESTEPS + 1), bool)},
        ValueError,
        "mask: expected (batch, timesteps) = (3, 7), got shape (3, 8)",
    ),
}


@pytest.mark.parametrize("change, error, message", CASES.values(), ids=CASES.keys())
def test_bad_input_names_the_glossary_term(change, error, message):
    """Each kind of bad input raises its own error whose message names the expected shape or type."""
    arguments = good_arguments() | change
    x, kernel, recurrent_kernel, bias = (
        arguments.pop(k) for k in ("x", "kernel", "recurrent_kernel", "bias")
    )
    with pytest.raises(error, match=re.escape(message)):
        reference.lstm(x, kernel, recurrent_kernel, bias, **arguments)


def test_good_arguments_run():
    """The arguments the error cases start from are themselves valid, so each case tests one change."""
    output = reference.lstm(**good_arguments())
    assert output.shape == (BATCH, UNITS)
