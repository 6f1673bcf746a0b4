"""Time an LSTM's forward and backward pass: the NumPy reference against Keras's compiled gradient.

The reference is ``glossary.backprop.lstm_backward``, which runs the layer forwards and then
backwards (``glossary.fused.lstm_gradients`` without a mask). Keras's is a ``tf.function`` around
a ``GradientTape`` of the same loss, ``sum(output * output_gradient)``, compiled before timing.
Both use the same float32 weights and inputs, and are timed in interleaved rounds so that a slow
moment of the machine hits them alike; the ratio is the median of the per-round ratios. Each
side's peak memory is measured apart, in a fresh process of its own: the growth of its peak
resident memory over what the imports and the inputs had taken.

    python benchmarks/backward.py [--rounds N] [--shape B,T,F,U] [--json PATH] [--no-memory]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from glossary.versions import quiet_tensorflow

quiet_tensorflow()

import keras
import numpy as np
import tensorflow as tf

from glossary import backprop
from glossary.files import write_atomically

SHAPE = (256, 200, 32, 256)  # (batch, timesteps, features, units), as issue 16 sets it


def contenders(shape: tuple[int, int, int, int]):
    """The two ways to compute the gradients, each a function of nothing, and their inputs."""
    batch, timesteps, features, units = shape
    rng = np.random.default_rng(0)
    x = rng.normal(size=(batch, timesteps, features)).astype("float32")
    output_gradient = rng.normal(size=(batch, units)).astype("float32")
    keras.utils.set_random_seed(0)
    layer = keras.layers.LSTM(units)
    layer.build((None, None, features))
    weights = layer.get_weights()
    watched = tf.constant(x)

    @tf.function
    def keras_gradients():
        with tf.GradientTape() as tape:
            tape.watch(watched)
            loss = tf.reduce_sum(layer(watched) * output_gradient)
        return tape.gradient(loss, [watched, *layer.trainable_weights])

    def reference():
        found = backprop.lstm_backward(x, *weights, output_gradient)
        return [found["x"], found["kernel"], found["recurrent_kernel"], found["bias"]]

    def keras_side():
        return [np.asarray(gradient) for gradient in keras_gradients()]

    return {"reference": reference, "keras_compiled": keras_side}


def _seconds(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def _status_kib(field: str) -> int:
    """A figure of this process's /proc/self/status, in KiB (Linux)."""
    line = next(line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith(field))
    return int(line.split()[1])


def peak_memory(side: str, shape: tuple[int, int, int, int]) -> int:
    """Bytes by which computing the gradients once raises this process's resident memory at its peak.

    Linux keeps the peak (VmHWM) since the process started, which importing TensorFlow sets high;
    writing 5 to /proc/self/clear_refs starts it again from the memory in use now.
    """
    call = contenders(shape)[side]
    Path("/proc/self/clear_refs").write_text("5")
    before = _status_kib("VmRSS:")
    call()
    return (_status_kib("VmHWM:") - before) * 1024


def measured_apart(side: str, shape: tuple[int, int, int, int]) -> int:
    """`peak_memory` in a fresh interpreter, where nothing else has raised the peak before."""
    shown = ",".join(map(str, shape))
    ran = subprocess.run(
        [sys.executable, __file__, "--peak-memory-of", side, "--shape", shown],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(ran.stdout.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="timed rounds per contender (default 7)")
    parser.add_argument(
        "--shape",
        type=lambda text: tuple(int(n) for n in text.split(",")),
        default=SHAPE,
        help="B,T,F,U (default %(default)s)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--no-memory", action="store_true", help="skip the two processes that measure memory")
    parser.add_argument("--peak-memory-of", choices=["reference", "keras_compiled"], help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.peak_memory_of:
        print(peak_memory(arguments.peak_memory_of, arguments.shape))
        return

    calls = contenders(arguments.shape)
    results = {name: call() for name, call in calls.items()}  # compiles Keras's side; warms both
    scale = max(float(np.max(np.abs(gradient))) for gradient in results["keras_compiled"])
    difference = max(
        float(np.max(np.abs(mine - theirs)))
        for mine, theirs in zip(results["reference"], results["keras_compiled"], strict=True)
    )
    times = {name: [] for name in calls}
    for _ in range(arguments.rounds):
        for name, call in calls.items():
            times[name].append(_seconds(call))
    ratios = [ours / theirs for ours, theirs in zip(times["reference"], times["keras_compiled"], strict=True)]
    figures = {
        "shape": dict(zip(("batch", "timesteps", "features", "units"), arguments.shape, strict=True)),
        "machine": {
            "processor": platform.processor() or platform.machine(),
            "python": platform.python_version(),
        },
        "median_seconds": {name: statistics.median(values) for name, values in times.items()},
        "ratio_reference_to_keras_compiled": statistics.median(ratios),
        "largest_difference_relative": difference / scale,
    }
    if not arguments.no_memory:
        figures["peak_memory_bytes"] = {side: measured_apart(side, arguments.shape) for side in calls}
    for name, seconds in figures["median_seconds"].items():
        memory = figures.get("peak_memory_bytes", {}).get(name)
        shown = f", peak memory +{memory / 2**20:.0f} MiB" if memory is not None else ""
        print(f"{name}: {seconds:.3f} s{shown}")
    print(f"reference / Keras compiled: {figures['ratio_reference_to_keras_compiled']:.2f}")
    print(
        f"largest difference, relative to the largest gradient: {figures['largest_difference_relative']:.1e}"
    )
    if arguments.json:
        write_atomically(arguments.json, json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
