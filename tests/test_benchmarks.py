"""The benchmark script runs and writes what it promises. Its timings are never asserted."""

import json
import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_benchmark(name: str, arguments: list[str], monkeypatch) -> None:
    """As `python benchmarks/NAME.py ARGUMENTS` runs it, but in this process, where Keras is imported
    already: a new interpreter would spend most of the test importing TensorFlow."""
    script = ROOT / "benchmarks" / f"{name}.py"
    monkeypatch.setattr(sys, "argv", [str(script), *arguments])
    runpy.run_path(str(script), run_name="__main__")


def test_speed_benchmark_writes_every_figure(tmp_path, monkeypatch, capsys):
    """A one-round run at a tiny shape: every layer gets its times, ratios and rate, and agrees with Keras."""
    output = tmp_path / "speed.json"
    arguments = ["--rounds", "2", "--shape", "3,4,2,5", "--settle", "0", "--json", str(output)]
    run_benchmark("speed", arguments, monkeypatch)
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


def test_backward_benchmark_writes_every_figure(tmp_path, monkeypatch, capsys):
    """A one-round run at a tiny shape: both sides timed, their ratio, and the same gradients."""
    output = tmp_path / "backward.json"
    run_benchmark(
        "backward", ["--rounds", "1", "--shape", "3,4,2,5", "--no-memory", "--json", str(output)], monkeypatch
    )
    assert "reference / Keras compiled" in capsys.readouterr().out
    results = json.loads(output.read_text())
    assert results["shape"] == {"batch": 3, "timesteps": 4, "features": 2, "units": 5}
    assert results["median_seconds"].keys() == {"reference", "keras_compiled"}
    assert results["ratio_reference_to_keras_compiled"] > 0
    assert results["largest_difference_relative"] < 1e-4  # float32: the timed code computes Keras's gradients


def test_backward_benchmark_measures_the_peak_memory_of_one_side(monkeypatch):
    """The growth of the peak over the memory in use before: at least the gates the reference keeps."""
    script = runpy.run_path(str(ROOT / "benchmarks" / "backward.py"))
    grown = script["peak_memory"]("reference", (64, 50, 4, 64))
    assert grown >= 50 * 64 * 4 * 64 * 4  # the float32 gates of every timestep


def test_serving_benchmark_writes_what_the_page_reads(tmp_path, monkeypatch, capsys):
    """A one-round run on a short history: the four ways, timed, agreeing, with the run's facts
    that ``serving_run`` shows on the page."""
    output = tmp_path / "serving.json"
    arguments = ["--rounds", "1", "--history", "5", "--units", "4", "--json", str(output)]
    run_benchmark("serving", arguments, monkeypatch)
    assert "numpy_step" in capsys.readouterr().out
    results = json.loads(output.read_text())
    assert results["median_seconds"].keys() == {"whole_history", "keras_step", "keras_stateful", "numpy_step"}
    assert all(seconds > 0 for seconds in results["median_seconds"].values())
    assert results["shape"] == {"history": 5, "features": 3, "units": 4, "batch": 1}
    assert results["largest_difference"] < 1e-4  # the timed ways compute the same forecast
    assert results["machine"]["cpus"] >= 1 and results["versions"]["Keras"]


def test_the_serving_page_shows_a_recorded_run():
    """The run the page shows is the benchmark's own output, with every figure the page reads."""
    run = json.loads((ROOT / "docs" / "benchmarks" / "serving.json").read_text())
    assert run["median_seconds"].keys() == {"whole_history", "keras_step", "keras_stateful", "numpy_step"}
    assert {"history", "units"} <= run["shape"].keys() and run["versions"] and run["date"]
