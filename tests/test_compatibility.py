"""The recorded set-ups (glossary/claims/recorded/): the last `nox -s matrix` run of the current ledger."""

import re

import pytest
from site_build import claims_record

from glossary.claims import LEDGER, Outcome, record, setups
from glossary.claims.keras_backend import FLOAT32_ARITHMETIC, KERAS_OWN_LOOP

RUNS = setups.recorded()
GPU_RUNS = [run for run in RUNS if run.on_gpu]
"""Runs recorded by hand on a machine with a CUDA GPU: CI has none, so `nox -s matrix` cannot redo them."""
CPU_RUNS = [run for run in RUNS if not run.on_gpu]


def test_every_supported_keras_has_a_run():
    """Keras 3 on TensorFlow, JAX and PyTorch, and Keras 2, each have a recorded run; so does Keras 3
    on PyTorch with a GPU."""
    assert [run.name for run in CPU_RUNS] == ["keras2", "keras3-jax", "keras3-tensorflow", "keras3-torch"]
    assert [run.name for run in GPU_RUNS] == ["keras3-torch-cuda"]


@pytest.mark.parametrize("run", CPU_RUNS, ids=lambda run: run.name)
def test_run_covers_the_current_ledger_as_worded(run):
    """A run lists exactly the claims of the ledger, each in today's wording: a new, renamed or
    reworded claim means `nox -s matrix` again."""
    assert sorted(run.claims) == sorted(LEDGER), "the matrix is stale: run `nox -s matrix` and commit it"
    reworded = [
        claim_id for claim_id, claim in LEDGER.items() if run.outcome(claim_id, claim.statement) is None
    ]
    assert not reworded, f"checked in another wording: {reworded}; run `nox -s matrix` and commit it"


def test_only_the_pytorch_set_up_runs_the_onnx_claim():
    """The saving page says the PyTorch set-up has onnx and ONNX Runtime and runs
    ONNX-TORCH-OPEN-TIMESTEPS-WRONG, and that the other set-ups skip it."""
    found = {run.name: run.claims["ONNX-TORCH-OPEN-TIMESTEPS-WRONG"].outcome for run in CPU_RUNS}
    skipped = {name for name, outcome in found.items() if outcome is record.Outcome.SKIPPED}
    assert found["keras3-torch"] is record.Outcome.CONFIRMED, found
    assert skipped == set(found) - {"keras3-torch"}, found


@pytest.mark.parametrize("run", GPU_RUNS, ids=lambda run: run.name)
def test_gpu_run_names_only_current_claims(run):
    """A GPU run may predate a claim or its wording (the pages say 'not run' for it) but never
    names a claim that is gone."""
    assert set(run.claims) <= set(LEDGER), (
        f"claims no longer in the ledger: {sorted(set(run.claims) - set(LEDGER))}"
    )


@pytest.mark.parametrize("run", CPU_RUNS, ids=lambda run: run.name)
def test_no_depends_on_says_a_set_up_lacks_what_its_record_ran_with(run):
    """A "Depends on" that says a set-up of the site lacks a library is never beside a record in
    which that set-up decided the claim: the record shows the library was there (a stale aside)."""
    backends = {"keras3-torch": "PyTorch", "keras3-jax": "JAX", "keras3-tensorflow": "TensorFlow"}
    lacks = re.compile(rf"site's {backends.get(run.name, 'Keras 2')} set-up (has neither|has no|lacks)")
    decided = (Outcome.CONFIRMED, Outcome.CONFIRMED_FALSE, Outcome.CONTRADICTED)
    stale = [
        claim_id
        for claim_id, claim in LEDGER.items()
        if lacks.search(claim.depends_on or "") and claim_id in run.claims
        if run.claims[claim_id].outcome in decided
    ]
    assert not stale, f"{run.name} decided {stale}, whose 'Depends on' says the set-up lacks what they need"


def test_the_sites_own_keras_confirms_every_claim():
    """On Keras 3 with TensorFlow, the set-up the pages are built with, nothing is contradicted."""
    own = next(run for run in CPU_RUNS if run.name == "keras3-tensorflow")
    assert all(found.outcome.agrees for found in own.claims.values())


def test_the_builds_run_is_the_recorded_one(built_site):
    """The suite's build runs every claim on the site's own set-up, so CI need not run it again in
    the matrix: its outcomes are the ones recorded for keras3-tensorflow."""
    built = setups.from_document("keras3-tensorflow", record.read(claims_record(built_site)))
    recorded = setups.read(setups.RECORDED / "keras3-tensorflow.json")
    rerun = "run `nox -s \"matrix(keras='keras3-tensorflow')\"` and commit the record"
    assert built.versions == recorded.versions, rerun
    changed = {
        claim_id: (recorded.claims[claim_id].outcome.value, found.outcome.value)
        for claim_id, found in built.claims.items()
        if (found.outcome, found.wording)
        != (recorded.claims[claim_id].outcome, recorded.claims[claim_id].wording)
    }
    assert not changed, f"recorded, built: {changed}; {rerun}"


@pytest.mark.parametrize("run", CPU_RUNS, ids=lambda run: run.name)
def test_glossary_check_is_judged_by_the_record_of_its_own_set_up(run):
    """A run on a recorded set-up's versions is judged by that record; what it recorded passes,
    its known differences included."""
    chosen, _ = setups.for_versions(run.versions, RUNS)
    assert chosen is run


@pytest.mark.parametrize("run", GPU_RUNS, ids=lambda run: run.name)
def test_gpu_run_differs_only_by_rounding(run):
    """What the cuDNN page says of the GPU run: each claim that fails there is one whose "Depends on"
    names cuDNN's rounding (TF32 products, or the fused kernel against Keras's loop), and each such
    claim that the run checked fails there."""
    # Only claims as worded today: a rewording can change what a claim says about a GPU.
    current = {
        claim_id: found
        for claim_id, found in run.claims.items()
        if run.outcome(claim_id, LEDGER[claim_id].statement) is not None
    }
    contradicted = {claim_id for claim_id, found in current.items() if found.outcome.value == "contradicted"}

    def about_rounding(claim_id: str) -> bool:
        depends_on = LEDGER[claim_id].depends_on or ""
        return FLOAT32_ARITHMETIC in depends_on or KERAS_OWN_LOOP in depends_on

    assert contradicted == {claim_id for claim_id in current if about_rounding(claim_id)}
