"""Time serving one reading at a time: how long each way takes to give a forecast for a new reading.

One process, one trained-size model (an LSTM and a Dense forecast), on this machine's CPU. Four
ways to answer each new reading, timed in interleaved rounds so that a slow moment of the machine
hits them alike:

- ``whole_history``: ``predict_on_batch`` on a history of ``--history`` readings, as code that
  keeps no state does for each new reading once it holds that many;
- ``keras_step``: a one-step Keras model that takes and returns ``[h, c]``, the caller keeping them;
- ``keras_stateful``: a stateful copy with batch size 1, one timestep per call;
- ``numpy_step``: ``glossary.reference.lstm_step`` and the Dense layer's product, in NumPy, with
  the trained weights; no Keras at serving time.

Prints and writes (as JSON, for the page docs/serving-a-stream.md) the median seconds per
reading of each, and checks first that all four give the same forecast.

    python benchmarks/serving.py [--rounds N] [--history T] [--units U] [--json PATH]
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import statistics
import time
from pathlib import Path

from glossary.versions import quiet_tensorflow

quiet_tensorflow()

import keras
import numpy as np
import tensorflow as tf

from glossary import reference
from glossary.files import write_atomically

FEATURES = 3
WAYS = ("whole_history", "keras_step", "keras_stateful", "numpy_step")
TOLERANCE = 1e-4
"""float32 over the whole history: each way adds the same products in its own order."""


def models(units: int):
    """The forecaster and the two step models that serve it, sharing its weights."""
    keras.utils.set_random_seed(0)
    forecaster = keras.Sequential(
        [
            keras.Input((None, FEATURES)),
            keras.layers.LSTM(units, name="lstm"),
            keras.layers.Dense(1, name="forecast"),
        ]
    )
    reading, carried = keras.Input((1, FEATURES)), [keras.Input((units,)), keras.Input((units,))]
    one_step = keras.layers.LSTM(units, return_state=True)
    _, hidden_state, cell_state = one_step(reading, initial_state=carried)
    forecast = keras.layers.Dense(1)(hidden_state)
    step = keras.Model([reading, *carried], [forecast, hidden_state, cell_state])
    one_step.set_weights(forecaster.get_layer("lstm").get_weights())
    step.layers[-1].set_weights(forecaster.get_layer("forecast").get_weights())

    single = keras.Input(batch_shape=(1, 1, FEATURES))
    stateful = keras.Model(single, keras.layers.Dense(1)(keras.layers.LSTM(units, stateful=True)(single)))
    stateful.set_weights(forecaster.get_weights())
    return forecaster, step, stateful


def servers(built, units: int, history: np.ndarray) -> dict:
    """For each way, a function that takes reading ``t`` (all before it taken) and gives the forecast,
    every way starting from empty states."""
    forecaster, step, stateful = built
    stateful.layers[1].reset_state()
    kernel, recurrent_kernel, bias = forecaster.get_layer("lstm").get_weights()
    dense_kernel, dense_bias = forecaster.get_layer("forecast").get_weights()
    carried = {"keras": [np.zeros((1, units), "float32")] * 2, "numpy": [np.zeros((1, units), "float32")] * 2}

    def keras_step(t):
        forecast, *carried["keras"] = step.predict_on_batch([history[:, t : t + 1], *carried["keras"]])
        return forecast

    def numpy_step(t):
        carried["numpy"] = reference.lstm_step(
            history[:, t], *carried["numpy"], kernel, recurrent_kernel, bias
        )
        return carried["numpy"][0] @ dense_kernel + dense_bias

    return {
        "whole_history": lambda t: forecaster.predict_on_batch(history),  # the cost once t = T - 1
        "keras_step": keras_step,
        "keras_stateful": lambda t: stateful.predict_on_batch(history[:, t : t + 1]),
        "numpy_step": numpy_step,
    }


def run(rounds: int, history_length: int, units: int) -> dict:
    """Median seconds per reading of each way, over ``rounds`` passes through the history."""
    history = np.random.default_rng(0).normal(size=(1, history_length, FEATURES)).astype("float32")
    seconds = {way: [] for way in WAYS}
    built = models(units)  # once: every pass calls the same compiled functions
    for round_number in range(rounds + 1):  # the first pass compiles and warms up: not timed
        serve = servers(built, units, history)
        last = {}
        for t in range(history_length):
            for way in WAYS:
                start = time.perf_counter()
                last[way] = np.asarray(serve[way](t))
                if round_number:
                    seconds[way].append(time.perf_counter() - start)
        gaps = {way: float(np.max(np.abs(last[way] - last["whole_history"]))) for way in WAYS}
        if max(gaps.values()) > TOLERANCE:
            raise SystemExit(f"the ways disagree on the last forecast: {gaps}")
    return {
        "shape": {"history": history_length, "features": FEATURES, "units": units, "batch": 1},
        "rounds": rounds,
        "median_seconds": {way: statistics.median(times) for way, times in seconds.items()},
        "largest_difference": max(gaps.values()),
        "machine": {"processor": _processor(), "cpus": _cpus()},
        "versions": {"Keras": keras.__version__, "TensorFlow": tf.__version__, "NumPy": np.__version__},
        "date": datetime.date.today().isoformat(),
    }


def _processor() -> str:
    """The CPU's model name where Linux gives it, else the architecture."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="timed passes through the history")
    parser.add_argument("--history", type=int, default=100, help="readings in the history")
    parser.add_argument("--units", type=int, default=64, help="the LSTM's units")
    parser.add_argument("--json", type=Path, default=Path("build/serving.json"), help="where to write")
    arguments = parser.parse_args()
    results = run(arguments.rounds, arguments.history, arguments.units)
    for way, median in results["median_seconds"].items():
        print(f"{way:>15}: {median * 1e3:8.3f} ms per reading")
    arguments.json.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(arguments.json, json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
