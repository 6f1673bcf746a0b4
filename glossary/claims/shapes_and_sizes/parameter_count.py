"""Claims of the page "Parameter count" (``docs/parameter-count.md``)."""

from __future__ import annotations

from glossary import shapes
from glossary.claims.keras_backend import keras
from glossary.claims.registry import Evidence, claim
from glossary.claims.samples import built


@claim(
    "PARAMS-FORMULA",
    "An LSTM has `4 * units * (features + units + 1)` parameters.",
    page="parameter-count.md#the-lstm-formula",
)
def params_formula():
    cases = [(5, 4), (1, 1), (32, 256), (100, 7)]
    found = {(f, u): (built(keras().layers.LSTM(u), f).count_params(), 4 * u * (f + u + 1)) for f, u in cases}
    shown = "; ".join(
        f"{f} features, {u} units: {keras_count} and {formula}"
        for (f, u), (keras_count, formula) in found.items()
    )
    return Evidence(all(a == b for a, b in found.values()), f"Keras's count and the formula's: {shown}")


@claim(
    "PARAMS-4X-SIMPLERNN",
    "An LSTM has exactly four times the parameters of a SimpleRNN of the same size.",
    page="parameter-count.md#four-times-a-simplernn",
)
def params_four_times():
    cases = [(5, 4), (1, 1), (100, 7)]
    counts = {
        (f, u): (
            built(keras().layers.LSTM(u), f).count_params(),
            built(keras().layers.SimpleRNN(u), f).count_params(),
        )
        for f, u in cases
    }
    shown = "; ".join(
        f"{f} features, {u} units: LSTM {lstm}, SimpleRNN {simple}"
        for (f, u), (lstm, simple) in counts.items()
    )
    return Evidence(all(lstm == 4 * simple for lstm, simple in counts.values()), shown)


@claim(
    "PARAMS-NO-BATCH-TIME",
    "The parameter count depends on neither the batch size nor the number of timesteps.",
    page="parameter-count.md#batch-size-and-timesteps-do-not-count",
)
def params_no_batch_time():
    counts = set()
    for batch, timesteps in ((1, 1), (32, 10), (512, 1000)):
        layer = keras().layers.LSTM(4)
        layer.build((batch, timesteps, 5))
        counts.add(layer.count_params())
    return Evidence(counts == {shapes.parameter_count("LSTM", 5, 4)}, f"counts seen: {sorted(counts)}")


@claim(
    "GRU-TWO-COUNTS",
    "`GRU(5)` on 4 features has 165 parameters with `reset_after=True`, the default of Keras 3 and of "
    "TensorFlow 2's Keras 2, and 150 with "
    "`reset_after=False`.",
    page="parameter-count.md#gru-two-counts-for-the-same-layer",
    depends_on="the reset_after default: True in Keras 3 and in TensorFlow 2's Keras 2; False before",
)
def gru_two_counts():
    default = keras().layers.GRU(5).reset_after
    counts = {
        flag: built(keras().layers.GRU(5, reset_after=flag), 4).count_params() for flag in (True, False)
    }
    return Evidence(
        default is True and counts == {True: 165, False: 150},
        f"reset_after defaults to {default}; GRU(5) on 4 features has {counts[True]} parameters with True, "
        f"{counts[False]} with False",
    )
