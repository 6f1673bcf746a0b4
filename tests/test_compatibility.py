"""The compatibility matrix on the site is the last `nox -s matrix` run of the current ledger."""

import json

import pytest
from paths import DOCS

from glossary.claims import LEDGER
from glossary.claims.keras_backend import FLOAT32_ARITHMETIC, KERAS_OWN_LOOP

RUNS = sorted((DOCS / "compatibility").glob("*.json"))
GPU_RUNS = [run for run in RUNS if "GPU" in json.loads(run.read_text())["versions"]]
"""Runs recorded by hand on a machine with a CUDA GPU: CI has none, so `nox -s matrix` cannot redo them."""
CPU_RUNS = [run for run in RUNS if run not in GPU_RUNS]


def test_every_supported_keras_has_a_run():
    """Keras 3 on TensorFlow, JAX and PyTorch, and Keras 2, each have a recorded run; so does Keras 3
    on PyTorch with a GPU."""
    assert [run.stem for run in CPU_RUNS] == ["keras2", "keras3-jax", "keras3-tensorflow", "keras3-torch"]
    assert [run.stem for run in GPU_RUNS] == ["keras3-torch-cuda"]


@pytest.mark.parametrize("run", CPU_RUNS, ids=lambda path: path.stem)
def test_run_covers_the_current_ledger(run):
    """A run lists exactly the claims of the ledger: a new or renamed claim means `nox -s matrix` again."""
    recorded = [row["id"] for row in json.loads(run.read_text())["claims"]]
    assert sorted(recorded) == sorted(LEDGER), "the matrix is stale: run `nox -s matrix` and commit it"


@pytest.mark.parametrize("run", GPU_RUNS, ids=lambda path: path.stem)
def test_gpu_run_names_only_current_claims(run):
    """A GPU run may predate a claim (the page says 'not run' for it) but never names a claim that is gone."""
    recorded = {row["id"] for row in json.loads(run.read_text())["claims"]}
    assert recorded <= set(LEDGER), f"claims no longer in the ledger: {sorted(recorded - set(LEDGER))}"


def test_the_sites_own_keras_confirms_every_claim():
    """On Keras 3 with TensorFlow, the set-up the pages are built with, nothing is contradicted."""
    summary = json.loads((DOCS / "compatibility" / "keras3-tensorflow.json").read_text())["summary"]
    assert summary["contradicted"] == summary["errors"] == 0


@pytest.mark.parametrize("run", GPU_RUNS, ids=lambda path: path.stem)
def test_gpu_run_differs_only_by_rounding(run):
    """What the cuDNN page says of the GPU run: each claim that fails there is one whose "Depends on"
    names cuDNN's rounding (TF32 products, or the fused kernel against Keras's loop), and each such
    claim that the run checked fails there."""
    rows = json.loads(run.read_text())["claims"]
    contradicted = {row["id"] for row in rows if not row["confirmed"] and not row["skipped"]}

    def about_rounding(claim_id: str) -> bool:
        depends_on = LEDGER[claim_id].depends_on or ""
        return FLOAT32_ARITHMETIC in depends_on or KERAS_OWN_LOOP in depends_on

    assert contradicted == {row["id"] for row in rows if about_rounding(row["id"])}
