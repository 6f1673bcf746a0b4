"""Weight shapes and parameter counts from glossary.shapes against what Keras builds."""

import keras
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary import shapes

LAYERS = {"SimpleRNN": keras.layers.SimpleRNN, "GRU": keras.layers.GRU, "LSTM": keras.layers.LSTM}


@pytest.mark.claim("PARAMS-FORMULA")
@pytest.mark.claim("WEIGHT-SHAPES")
@settings(max_examples=40)
@given(
    layer=st.sampled_from(sorted(LAYERS)),
    features=st.integers(1, 64),
    units=st.integers(1, 128),
    use_bias=st.booleans(),
    reset_after=st.booleans(),
)
def test_shapes_and_count_match_keras(layer, features, units, use_bias, reset_after):
    """Every weight's shape, and the parameter count, equal those of the Keras layer built on them."""
    options = {"use_bias": use_bias}
    if layer == "GRU":
        options["reset_after"] = reset_after
    keras_layer = LAYERS[layer](units, **options)
    keras_layer.build((None, None, features))

    keras_shapes = {w.path.rsplit("/", 1)[-1]: tuple(w.shape) for w in keras_layer.weights}
    assert shapes.weight_shapes(layer, features, units, **options) == keras_shapes
    assert shapes.parameter_count(layer, features, units, **options) == keras_layer.count_params()


@pytest.mark.claim("PARAMS-NO-BATCH-TIME")
@pytest.mark.parametrize("batch, timesteps", [(1, 1), (3, 7), (64, 500)])
def test_count_ignores_batch_and_timesteps(batch, timesteps):
    """An LSTM's parameter count is the same whatever batch size and timesteps it is built for."""
    layer = keras.layers.LSTM(4)
    layer.build((batch, timesteps, 5))
    assert layer.count_params() == shapes.parameter_count("LSTM", 5, 4)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: shapes.weight_shapes("Dense", 5, 4), "layer: expected one of"),
        (lambda: shapes.parameter_count("LSTM", 0, 4), "features: expected a positive"),
        (lambda: shapes.parameter_count("LSTM", 5, 2.5), "units: expected a positive"),
    ],
)
def test_bad_sizes_are_named(call, message):
    """Unknown layers and sizes that are not positive integers raise a ValueError naming the term."""
    with pytest.raises(ValueError, match=message):
        call()
