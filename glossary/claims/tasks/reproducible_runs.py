"""Claims of the page "Reproducible runs" (``docs/reproducible-runs.md``)."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np

from glossary.claims.keras_backend import accelerator, host_array, keras, with_gradients
from glossary.claims.registry import Evidence, NotApplicable, claim
from glossary.claims.samples import sample
from glossary.versions import quiet_tensorflow


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
    model.compile(optimizer="adam", loss="mse")  # traced, as a script's fit is by default
    x = sample(batch=16, timesteps=10, features=3)
    with with_gradients():
        history = model.fit(x, x[:, -1, :1], epochs=2, batch_size=8, shuffle=True, verbose=0)
    return [float(loss) for loss in history.history["loss"]]


def _losses_in_a_new_process(seed: int) -> list[float]:
    """`_losses` in a Python process of its own, as a reader's second run of a script is.

    The same interpreter, backend and environment; the package is found where this one was.
    """
    package_root = str(Path(__file__).resolve().parents[3])
    environment = quiet_tensorflow(dict(os.environ))
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, environment.get("PYTHONPATH")]))
    ran = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import json; from {__name__} import _losses; print(json.dumps(_losses({seed})))",
        ],
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    # json writes each float's repr, which reads back as the same float: the comparison stays exact.
    return json.loads(ran.stdout.strip().splitlines()[-1])


@claim(
    "SEED-FIXES-TRAINING",
    "On one CPU, two trainings that each call `keras.utils.set_random_seed` with the same seed before "
    "building the model give the same losses to the last bit, dropout and shuffling included, with "
    "`fit` compiled as it is by default; another seed gives other losses.",
    page="reproducible-runs.md#training-twice",
    depends_on="a CPU: on a GPU, kernels may add in another order on each run unless determinism is "
    "asked for; the check trains once in its own process and once in a new one, with the same "
    "versions and settings",
)
def seed_fixes_training():
    if accelerator():
        raise NotApplicable("a GPU computes here, where kernels may add in a different order each run")
    first, second, other = _losses(0), _losses_in_a_new_process(0), _losses(1)
    return Evidence(
        first == second and first != other,
        f"seed 0 here and in a new process: identical {first == second}; seed 1: identical {first == other}",
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
