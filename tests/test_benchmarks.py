"""The benchmark script runs and writes what it promises. Its timings are never asserted."""

import json
import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_speed_benchmark_writes_every_figure(tmp_path, monkeypatch, capsys):
    """A one-round run at a tiny shape: every layer gets its times, ratios and rate, and agrees with Keras."""
    output = tmp_path / "speed.json"
    script = ROOT / "benchmarks" / "speed.py"
    arguments = ["--rounds", "2", "--shape", "3,4,2,5", "--settle", "0", "--json", str(output)]
    monkeypatch.setattr(sys, "argv", [str(script), *arguments])
    # As `python benchmarks/speed.py ...` runs it, but in this process, where Keras is imported
    # already: a new interpreter would spend most of this test importing TensorFlow.
    runpy.run_path(str(script), run_name="__main__")
    assert "ref/matmul" in capsys.readouterr().out
    results = json.loads(output.read_text())
    assert results["ns_per_number"].keys() == {"exp", "tanh"}
    assert [row["layer"] for row in results["results"]] == ["LSTM", "GRU", "SimpleRNN"]
    for row in results["results"]:
        assert row["shape"] == {"batch": 3, "timesteps": 4, "features": 2, "units": 5}
        assert row["median_seconds"].keys() == {"reference", "keras_eager", "keras_compiled"}
        assert row["fraction_of_matmul_rate"] > 0
        assert row["ratio_reference_to_keras_compiled"] > 0
        assert row["largest_difference"] < 1e-5  # the timed reference computes what Keras computes
