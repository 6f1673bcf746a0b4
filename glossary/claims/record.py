"""A run of the ledger written down: the JSON document that ``glossary check --output FILE`` writes.

The compatibility matrix keeps one per Keras and backend (``docs/compatibility/``), and a site
build can show a recorded run instead of running every claim again (``GLOSSARY_CLAIMS_RECORD``,
see ``docs/plugins/glossary_site.py``). A document holds the versions it ran on, a summary, and one row
per claim: its statement and verdict, what the check found, and whether that confirms the ledger.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from glossary.claims.registry import LEDGER, Claim, Evidence, Outcome, Result, run
from glossary.versions import library_versions


class StaleRecordError(ValueError):
    """A recorded run that does not belong to this ledger or to the versions installed here."""


def installed_versions() -> dict[str, str]:
    """Keras's version and backend, the libraries installed beside it, and the GPU it computes on."""
    from glossary.claims.keras_backend import accelerator, backend, keras

    found = library_versions(["TensorFlow", "NumPy", "PyTorch", "JAX"])  # Keras may be tf_keras
    libraries = {name: number for name, number in found.items() if number}
    return {"Keras": keras().__version__, "backend": backend()} | libraries | accelerator()


def row(claim: Claim) -> dict:
    """Run one claim; its row of the document.

    A check that crashes is recorded, not raised: on another Keras that is news about that Keras.
    """
    error = None
    try:
        result = run(claim)
    except Exception as raised:
        error = f"{type(raised).__name__}: {raised}"
        result = None
    evidence = result.evidence if result else None
    return {
        "id": claim.id,
        "statement": claim.statement,
        "verdict": claim.verdict,
        "holds": evidence.holds if evidence else None,
        "confirmed": bool(result and result.confirmed),
        "skipped": result.skipped or None if result else None,
        "error": error,
        "detail": evidence.detail if evidence else error,
        "seconds": round(result.seconds, 3) if result else None,
        "depends_on": claim.depends_on,
        "page": claim.page,
    }


def summary(rows: list[dict]) -> dict[str, int]:
    """How many of ``rows`` each outcome holds."""
    outcomes = [Outcome.of(row) for row in rows]
    return {
        "claims": len(outcomes),
        "confirmed": sum(outcome in (Outcome.CONFIRMED, Outcome.CONFIRMED_FALSE) for outcome in outcomes),
        "skipped": outcomes.count(Outcome.SKIPPED),
        "contradicted": outcomes.count(Outcome.CONTRADICTED),
        "errors": outcomes.count(Outcome.ERROR),
    }


def failed(rows: list[dict]) -> list[dict]:
    """The rows whose check contradicts the ledger or could not run."""
    return [row for row in rows if not Outcome.of(row).agrees]


def document(rows: list[dict], versions: dict[str, str] | None = None) -> dict:
    """The JSON document of a run whose rows are ``rows``."""
    return {
        "versions": installed_versions() if versions is None else versions,
        "ok": not failed(rows),
        "summary": summary(rows),
        "claims": rows,
    }


def run_all(claims: Iterable[Claim]) -> dict:
    """Run ``claims`` in order; the document of that run."""
    return document([row(claim) for claim in claims])


def write(recorded: dict, path: Path) -> None:
    """Write a run's document as JSON to ``path``."""
    path.write_text(json.dumps(recorded, indent=2) + "\n")


def load_for_this_ledger(path: Path) -> dict:
    """A recorded run of the whole ledger, on the versions installed here; StaleRecordError if it is not."""
    recorded = json.loads(path.read_text())
    here = installed_versions()
    if recorded["versions"] != here:
        raise StaleRecordError(f"{path} was recorded on {recorded['versions']}, not on {here}")
    rows = {row["id"]: row for row in recorded["claims"]}
    if rows.keys() != LEDGER.keys():
        raise StaleRecordError(f"{path} records claims {sorted(rows.keys() ^ LEDGER.keys())} differently")
    for claim_id, claim in LEDGER.items():
        if (rows[claim_id]["statement"], rows[claim_id]["verdict"]) != (claim.statement, claim.verdict):
            raise StaleRecordError(f"{path} records {claim_id} with another statement or verdict")
    return recorded


def as_result(recorded_row: dict) -> Result:
    """A row of a document as the ``Result`` that running its claim gave."""
    holds = recorded_row["holds"]
    evidence = None if holds is None else Evidence(holds, recorded_row["detail"])
    seconds, skipped = recorded_row["seconds"] or 0.0, recorded_row["skipped"] or ""
    return Result(LEDGER[recorded_row["id"]], evidence, seconds, skipped=skipped)
