"""Random Keras weights and what Keras returns with them, for the converter tests (test_port_*.py).

What Keras returns comes from `glossary.reference`, which tests/test_reference_matches_keras.py
holds equal to Keras itself, so these tests need no Keras.
"""

import numpy as np

from glossary import reference

# float32 throughout. Each framework sums the same products in its own order and every timestep
# carries its rounding into the next, so the outputs drift apart by a few float32 ulps (about
# 1e-7 over these short sequences). 1e-5 leaves room, while a wrong gate order or a misplaced bias
# shows up at 1e-2 and above.
TOLERANCE = 1e-5

LARGEST: dict[str, float] = {}
"""The largest difference each comparison has measured in this run, by label."""

BATCH, TIMESTEPS, FEATURES, UNITS = 3, 7, 5, 4


def inputs(rng: np.random.Generator, features: int = FEATURES) -> np.ndarray:
    """A float32 batch of sequences, (batch, timesteps, features)."""
    return rng.standard_normal((BATCH, TIMESTEPS, features)).astype(np.float32)


def keras_weights(
    rng: np.random.Generator,
    kind: str,
    features: int = FEATURES,
    units: int = UNITS,
    *,
    directions: int = 1,
    reset_after: bool = True,
) -> list[np.ndarray]:
    """What ``get_weights()`` of a Keras LSTM or GRU (or its ``Bidirectional``) returns, all random."""
    gates = 4 if kind == "lstm" else 3
    bias_shape = (2, gates * units) if kind == "gru" and reset_after else (gates * units,)
    weights = []
    for _ in range(directions):
        for shape in ((features, gates * units), (units, gates * units), bias_shape):
            # Every bias nonzero, so that a bias put in the wrong place shows.
            weights.append(rng.normal(scale=0.5, size=shape).astype(np.float32))
    return weights


def keras_layer(
    kind: str, weights: list[np.ndarray], x: np.ndarray
) -> tuple[np.ndarray, list[list[np.ndarray]]]:
    """A Keras layer's sequence and final states, with ``return_sequences`` and ``return_state``.

    Six arrays make a ``Bidirectional``: the backward layer runs with ``go_backwards`` and its
    outputs are put back in time order, then concatenated after the forward layer's. The states
    are one list per direction: ``[hidden_state, cell_state]`` or ``[hidden_state]``.
    """
    run = reference.lstm if kind == "lstm" else reference.gru
    options = {} if kind == "lstm" else {"reset_after": np.ndim(weights[2]) == 2}
    sequences, states = [], []
    for direction, start in enumerate(range(0, len(weights), 3)):
        sequence, *final = run(
            x, *weights[start : start + 3], return_sequences=True, return_state=True,
            go_backwards=direction == 1, **options,
        )  # fmt: skip
        sequences.append(sequence[:, ::-1] if direction else sequence)
        states.append(final)
    return np.concatenate(sequences, axis=-1), states


def keras_stack(kind: str, layers: list[list[np.ndarray]], x: np.ndarray):
    """The last layer's sequence of a stack of Keras layers, and every layer's final states."""
    states = []
    for weights in layers:
        x, final = keras_layer(kind, weights, x)
        states.append(final)
    return x, states


def assert_close(actual, expected, label: str) -> None:
    """Assert that two results agree to ``TOLERANCE``, and record how far apart they were."""
    difference = float(np.max(np.abs(np.asarray(actual) - expected)))
    LARGEST[label] = max(LARGEST.get(label, 0.0), difference)
    assert difference < TOLERANCE, f"{label}: largest difference {difference:.2e}"


def assert_identical(actual: list[np.ndarray], expected: list[np.ndarray]) -> None:
    """Assert that two lists of arrays are equal element for element, in shape and dtype too."""
    assert len(actual) == len(expected)
    for got, want in zip(actual, expected, strict=True):
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_array_equal(got, want)


def one_line(error: BaseException) -> str:
    """The error's message, asserted to be a single line."""
    message = str(error)
    assert "\n" not in message, message
    return message
