"""The set-ups the ledger was run on, as the pages name them.

The records are the package's (`glossary.claims.setups`): the ones ``glossary check`` judges a
run by. The Compatibility page tabulates them, and every claim's mark on a page names the
set-ups where its verdict differs.
"""

from __future__ import annotations

from pathlib import Path

from generators.markup import escaped
from glossary.claims import LEDGER, Outcome, setups
from glossary.claims.setups import SetUp

BACKENDS = {"tensorflow": "TensorFlow", "jax": "JAX", "torch": "PyTorch"}
"""Each backend's name as the pages write it."""


def short(run: SetUp) -> str:
    """What tells a set-up from the build's, in a few words: ``Keras 2``, ``JAX``, ``PyTorch on a GPU``.

    A GPU run names its backend: a claim skipped there for its backend (a TensorFlow-only check on
    the PyTorch GPU run) must not read as one that cannot run on any GPU.
    """
    if str(run.versions.get("Keras", "")).startswith("2."):
        return "Keras 2"
    backend = str(run.versions.get("backend", ""))
    name = BACKENDS.get(backend) or escaped(backend)
    return f"{name} on a GPU" if run.on_gpu else name


def label(run: SetUp) -> str:
    """Its Keras, backend and GPU, as escaped text: ``Keras 3.15.1 on JAX``."""
    backend = str(run.versions.get("backend", ""))
    said = f"Keras {escaped(run.versions.get('Keras', '?'))} on {BACKENDS.get(backend) or escaped(backend)}"
    if run.on_gpu:
        said += f" with an {escaped(run.versions['GPU'])}"
    return said


def recorded(folder: Path = setups.RECORDED) -> list[SetUp]:
    """Every recorded set-up, those on a GPU last."""
    return setups.recorded(folder)


def outcome(run: SetUp, claim_id: str) -> Outcome | None:
    """What ``run`` found for the claim as the ledger words it today (None: not run in that wording)."""
    return run.outcome(claim_id, LEDGER[claim_id].statement)


def differing(claim_id: str, runs: list[SetUp]) -> list[SetUp]:
    """The set-ups whose check of the claim, as worded today, disagrees with the ledger."""
    return [run for run in runs if (found := outcome(run, claim_id)) is not None and not found.agrees]
