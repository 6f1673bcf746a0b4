"""Time the NumPy reference layers against Keras on this machine's CPU, side by side.

For each layer and shape, in one process: the reference (``glossary.reference``), Keras's eager
call, and Keras's compiled path (``Model.predict_on_batch``), all with the same float32 weights,
timed in interleaved rounds so that a slow moment of the machine hits them alike. Prints median
times, GFLOP/s, the ratio reference / Keras, and the fraction of this machine's single-precision
matrix-multiply rate that the reference reaches. That rate is timed in the same rounds (a 2048³
NumPy product), and ratios and fraction are medians of per-round ratios, so a slow spell of a
shared machine lowers both sides of each and they still compare like with like. Writes the same
figures as JSON.

    python benchmarks/speed.py [--rounds N] [--json PATH] [--layers ...] [--shape B,T,F,U ...]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

from glossary.versions import quiet_tensorflow

quiet_tensorflow()

import keras
import numpy as np
import tensorflow as tf

from glossary import reference, shapes
from glossary.files import write_atomically

SHAPES = [  # (batch, timesteps, features, units)
    (32, 100, 5, 64),
    (256, 200, 32, 256),
]
LAYERS = {
    "LSTM": (keras.layers.LSTM, reference.lstm),
    "GRU": (keras.layers.GRU, reference.gru),
    "SimpleRNN": (keras.layers.SimpleRNN, reference.simple_rnn),
}


def layer_flops(layer: str, batch: int, timesteps: int, features: int, units: int) -> int:
    """Multiply-adds of the layer's matrix products, counted as 2 flops: 2·B·T·(F+U)·gates·U."""
    return 2 * batch * timesteps * (features + units) * shapes.GATES[layer] * units


MATMUL_SIZE = 2048
SETTLE_SECONDS = 0.25
"""Pause before each timed call. After a multi-threaded product, OpenBLAS's worker threads spin
for about a tenth of a second before they sleep; whatever runs in that time loses a core to them
(the reference measured about 35% slower right after the matmul probe than after a pause)."""


def matmul_probe(size: int = MATMUL_SIZE):
    """A float32 (size, size) @ (size, size) product through NumPy, on all cores: 2·size³ flops."""
    rng = np.random.default_rng(0)
    a, b = (rng.standard_normal((size, size), dtype=np.float32) for _ in range(2))
    return lambda: a @ b


def transcendental_costs(numbers: int = 1 << 17, rounds: int = 41) -> dict[str, float]:
    """Nanoseconds per float32 number of NumPy's exp and tanh, the fast paths' reason to use exp.

    Half a megabyte of numbers, the size of the LSTM's gate array per thread at the large shape,
    so that it stays in cache as it does in the loop; the two take turns, as the layers do.
    """
    z = np.random.default_rng(0).standard_normal(numbers, dtype=np.float32)
    out = np.empty_like(z)
    times: dict[str, list[float]] = {"exp": [], "tanh": []}
    for _ in range(rounds):
        for name, function in (("exp", np.exp), ("tanh", np.tanh)):
            times[name].append(_seconds(lambda f=function: f(z, out=out)))
    return {name: statistics.median(t) / numbers * 1e9 for name, t in times.items()}


def _shape(text: str) -> tuple[int, int, int, int]:
    batch, timesteps, features, units = (int(n) for n in text.split(","))
    return batch, timesteps, features, units


def _seconds(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def bench_one(layer: str, shape: tuple[int, int, int, int], rounds: int, matmul, settle: float) -> dict:
    batch, timesteps, features, units = shape
    keras_class, reference_function = LAYERS[layer]
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, timesteps, features), dtype=np.float32)

    inputs = keras.Input(shape=(timesteps, features), batch_size=batch)
    keras_layer = keras_class(units)
    model = keras.Model(inputs, keras_layer(inputs))
    weights = keras_layer.get_weights()
    kwargs = {"reset_after": keras_layer.reset_after} if layer == "GRU" else {}

    contenders = {
        "reference": lambda: reference_function(x, *weights, **kwargs),
        "keras_eager": lambda: np.asarray(keras_layer(x)),
        "keras_compiled": lambda: model.predict_on_batch(x),
    }
    results = {name: call() for name, call in contenders.items()}  # warm-up, and tracing
    agree = max(float(np.max(np.abs(results["reference"] - np.asarray(r)))) for r in results.values())
    contenders["matmul"] = matmul
    matmul()

    # The reference, compiled Keras and the matmul probe take turns, each round in another order,
    # and the ratios are taken within a round: on a shared machine whose speed drifts by tens of
    # percent over seconds, timings next to each other compare fairly, timings far apart do not.
    # Eager Keras (slow, shown for scale only) closes each round, so it never sits between them.
    times: dict[str, list[float]] = {name: [] for name in contenders}
    close = ["reference", "keras_compiled", "matmul"]
    for r in range(rounds):
        first = r % len(close)
        for name in [*close[first:], *close[:first], "keras_eager"]:
            time.sleep(settle)
            times[name].append(_seconds(contenders[name]))

    flops = layer_flops(layer, *shape)
    medians = {name: statistics.median(t) for name, t in times.items()}
    per_round = {name: np.array(t) for name, t in times.items()}
    matmul_gflops = 2 * MATMUL_SIZE**3 / per_round["matmul"]
    reference_gflops = flops / per_round["reference"]
    del medians["matmul"]
    return {
        "layer": layer,
        "shape": dict(zip(("batch", "timesteps", "features", "units"), shape, strict=True)),
        "flops": flops,
        "median_seconds": medians,
        "gflops": {name: flops / seconds / 1e9 for name, seconds in medians.items()},
        "matmul_gflops": float(np.median(matmul_gflops)) / 1e9,
        # medians of the per-round ratios
        "fraction_of_matmul_rate": float(np.median(reference_gflops / matmul_gflops)),
        "ratio_reference_to_keras_eager": float(np.median(per_round["reference"] / per_round["keras_eager"])),
        "ratio_reference_to_keras_compiled": float(
            np.median(per_round["reference"] / per_round["keras_compiled"])
        ),
        "largest_difference": agree,
        "rounds": rounds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="timed rounds per contender (default 15)")
    parser.add_argument(
        "--json", type=Path, default=Path("build/benchmark.json"), help="where to write the results"
    )
    parser.add_argument("--layers", nargs="+", default=list(LAYERS), choices=list(LAYERS))
    parser.add_argument(
        "--shape",
        dest="shapes",
        action="append",
        type=_shape,
        metavar="B,T,F,U",
        help="batch,timesteps,features,units to time instead of the two standard shapes (repeatable)",
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=SETTLE_SECONDS,
        help=f"pause before each timed call (default {SETTLE_SECONDS} s)",
    )
    arguments = parser.parse_args()

    print(
        f"{os.cpu_count()} cores; matmul: NumPy float32 {MATMUL_SIZE}³ product, GFLOP/s, timed in the "
        "same rounds as each row; ratios and ref/matmul (the reference's share of that rate) are "
        "medians of per-round ratios"
    )
    header = (
        f"{'layer':9} {'B,T,F,U':>16} {'ref ms':>9} {'eager ms':>9} {'compiled ms':>11} "
        f"{'ref/eager':>9} {'ref/comp':>8} {'ref GF/s':>8} {'comp GF/s':>9} {'matmul':>7} {'ref/matmul':>10}"
    )
    costs = transcendental_costs()
    print(f"NumPy float32, ns per number: exp {costs['exp']:.2f}, tanh {costs['tanh']:.2f}")
    print(header)
    rows = []
    for layer in arguments.layers:
        for shape in arguments.shapes or SHAPES:
            row = bench_one(layer, shape, arguments.rounds, matmul_probe(), arguments.settle)
            rows.append(row)
            m, g = row["median_seconds"], row["gflops"]
            print(
                f"{layer:9} {','.join(map(str, shape)):>16} {m['reference'] * 1e3:9.2f} "
                f"{m['keras_eager'] * 1e3:9.2f} {m['keras_compiled'] * 1e3:11.2f} "
                f"{row['ratio_reference_to_keras_eager']:9.2f} "
                f"{row['ratio_reference_to_keras_compiled']:8.2f} "
                f"{g['reference']:8.1f} {g['keras_compiled']:9.1f} {row['matmul_gflops']:7.1f} "
                f"{row['fraction_of_matmul_rate']:10.0%}"
            )

    arguments.json.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(
        arguments.json,
        json.dumps(
            {
                "machine": {
                    "cpus": os.cpu_count(),
                    "processor": platform.processor() or platform.machine(),
                },
                "versions": {
                    "keras": keras.__version__,
                    "tensorflow": tf.__version__,
                    "numpy": np.__version__,
                },
                "matmul_size": MATMUL_SIZE,
                "ns_per_number": costs,
                "results": rows,
            },
            indent=2,
        ),
    )
    print(f"written: {arguments.json}")


if __name__ == "__main__":
    main()
