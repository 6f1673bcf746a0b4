"""The benchmark script runs and writes what it promises. Its timings are never asserted."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_speed_benchmark_writes_every_figure(tmp_path):
    """A one-round run at a tiny shape: every layer gets its times, ratios and rate, and agrees with Keras."""
    output = tmp_path / "speed.json"
    command = [
        "benchmarks/speed.py",
        "--rounds",
        "2",
        "--shape",
        "3,4,2,5",
        "--settle",
        "0",
        "--json",
        output,
    ]
    quiet = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    run = subprocess.run(
        [sys.executable, *command], cwd=ROOT, capture_output=True, text=True, env=quiet, check=False
    )
    assert run.returncode == 0, run.stderr
    assert "ref/matmul" in run.stdout
    results = json.loads(output.read_text())
    assert results["ns_per_number"].keys() == {"exp", "tanh"}
    assert [row["layer"] for row in results["results"]] == ["LSTM", "GRU", "SimpleRNN"]
    for row in results["results"]:
        assert row["shape"] == {"batch": 3, "timesteps": 4, "features": 2, "units": 5}
        assert row["median_seconds"].keys() == {"reference", "keras_eager", "keras_compiled"}
        assert row["fraction_of_matmul_rate"] > 0
        assert row["ratio_reference_to_keras_compiled"] > 0
        assert row["largest_difference"] < 1e-5  # the timed reference computes what Keras computes
