"""The compatibility matrix on the site is the last `nox -s matrix` run of the current ledger."""

import json

import pytest
from paths import DOCS

from glossary.claims import LEDGER

RUNS = sorted((DOCS / "compatibility").glob("*.json"))


def test_every_supported_keras_has_a_run():
    """Keras 3 on TensorFlow, JAX and PyTorch, and Keras 2, each have a recorded run."""
    assert [run.stem for run in RUNS] == ["keras2", "keras3-jax", "keras3-tensorflow", "keras3-torch"]


@pytest.mark.parametrize("run", RUNS, ids=lambda path: path.stem)
def test_run_covers_the_current_ledger(run):
    """A run lists exactly the claims of the ledger: a new or renamed claim means `nox -s matrix` again."""
    recorded = [row["id"] for row in json.loads(run.read_text())["claims"]]
    assert sorted(recorded) == sorted(LEDGER), "the matrix is stale: run `nox -s matrix` and commit it"


def test_the_sites_own_keras_confirms_every_claim():
    """On Keras 3 with TensorFlow, the set-up the pages are built with, nothing is contradicted."""
    summary = json.loads((DOCS / "compatibility" / "keras3-tensorflow.json").read_text())["summary"]
    assert summary["contradicted"] == summary["errors"] == 0
