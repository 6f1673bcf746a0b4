"""Claims of the page "Reproducible runs" (``docs/reproducible-runs.md``)."""

from __future__ import annotations

import random

import numpy as np

from glossary.claims.keras_backend import accelerator, host_array, keras, with_gradients
from glossary.claims.registry import Evidence, NotApplicable, claim
from glossary.claims.samples import sample


def _weights(layer) -> list[np.ndarray]:
    layer.build((None, None, 3))
    return [host_array(weight) for weight in layer.weights]


def _same(first, second) -> bool:
    return all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))


@claim(
    "SEED-FIXES-INITIAL-WEIGHTS",
    "`keras.utils.set_random_seed(n)` restarts Python's and NumPy's global generators, and a layer "
    "created after it gets the same initial weights every time; a second layer created without a "
    "new call, or one created before the call, gets other weights.",
    page="reproducible-runs.md#one-seed-for-everything",
    depends_on="Keras 3: Keras 2 draws a layer's initial weights when it is built, so one created before "
    "the seed and built after it gets the seeded weights",
)
def seed_fixes_initial_weights():
    keras().utils.set_random_seed(7)
    drawn = random.random(), np.random.rand()
    keras().utils.set_random_seed(7)
    restarted = drawn == (random.random(), np.random.rand())
    keras().utils.set_random_seed(7)  # again: the draws above moved the generators the weights come from
    first = _weights(keras().layers.LSTM(4))
    keras().utils.set_random_seed(7)
    second, third = _weights(keras().layers.LSTM(4)), _weights(keras().layers.LSTM(4))
    early = keras().layers.LSTM(4)
    keras().utils.set_random_seed(7)
    again, next_one, created_before = _same(first, second), _same(first, third), _same(first, _weights(early))
    return Evidence(
        restarted and again and not next_one and not created_before,
        f"Python's and NumPy's draws repeat: {restarted}; same seed: identical weights {again}; "
        f"next layer, no new seed: identical {next_one}; created before the seed: identical {created_before}",
    )


def _losses(seed: int) -> list[float]:
    keras().utils.set_random_seed(seed)
    layers = keras().layers
    model = keras().Sequential([keras().Input((10, 3)), layers.LSTM(8, dropout=0.2), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")  # compiled, as the page's script trains
    x = sample(batch=16, timesteps=10, features=3)
    with with_gradients():
        history = model.fit(x, x[:, -1, :1], epochs=2, batch_size=8, shuffle=True, verbose=0)
    return [float(loss) for loss in history.history["loss"]]


@claim(
    "SEED-FIXES-TRAINING",
    "On one CPU, two trainings that each call `keras.utils.set_random_seed` with the same seed before "
    "building the model give the same losses to the last bit, dropout and shuffling included, with "
    "`fit` compiled as it is by default; another seed gives other losses.",
    page="reproducible-runs.md#training-twice",
    depends_on="a CPU: on a GPU, some kernels add in a different order each run unless asked not to",
)
def seed_fixes_training():
    if accelerator():
        raise NotApplicable("a GPU computes here, where kernels may add in a different order each run")
    first, second, other = _losses(0), _losses(0), _losses(1)
    return Evidence(
        first == second and first != other,
        f"compiled, as fit runs by default: seed 0 twice identical {first == second}; "
        f"seed 1 identical {first == other}",
    )


@claim(
    "INITIALIZER-SEED-FIXES-ONE-ARRAY",
    "An initializer given its own seed, such as `GlorotUniform(seed=1)` as `kernel_initializer`, "
    "gives the same `kernel` under another global seed; the `recurrent_kernel` follows the global "
    "seed.",
    page="reproducible-runs.md#a-seed-for-one-array",
)
def initializer_seed_fixes_one_array():
    initializers = keras().initializers
    keras().utils.set_random_seed(1)
    first = _weights(keras().layers.LSTM(4, kernel_initializer=initializers.GlorotUniform(seed=1)))
    keras().utils.set_random_seed(2)
    second = _weights(keras().layers.LSTM(4, kernel_initializer=initializers.GlorotUniform(seed=1)))
    kernel, recurrent = np.array_equal(first[0], second[0]), np.array_equal(first[1], second[1])
    return Evidence(
        kernel and not recurrent, f"kernels identical: {kernel}; recurrent kernels identical: {recurrent}"
    )
