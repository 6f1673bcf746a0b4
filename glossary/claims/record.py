"""A run of the ledger written down: the JSON document that ``glossary check --output FILE`` writes.

A team keeps one as its baseline (``glossary check --baseline``), the matrix reduces one per
set-up to its outcomes (`glossary.claims.setups`), and a site build can show a recorded run
instead of running every claim again (``GLOSSARY_CLAIMS_RECORD``, see
``docs/plugins/generators/build_context.py``). A document holds the versions it ran on, a summary,
and one row per claim: its statement and verdict, what the check found, and whether that confirms the ledger.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
import sys
from collections.abc import Iterable
from pathlib import Path

from glossary.claims.registry import LEDGER, Claim, Evidence, Outcome, Result, run
from glossary.files import write_atomically
from glossary.versions import library_versions


class UnusableRecordError(ValueError):
    """A file that cannot stand in for running the ledger here: unreadable, not a record, or stale.

    Stale: recorded on other versions, for other claims, or by checks whose code has changed since.
    The message names the file and what is wrong, in one line.
    """


MAX_RECORD_BYTES = 16 * 2**20
"""The largest record read. A record of the whole ledger is a few dozen kilobytes; a file a
thousand times that size is not one, and is not read into memory."""

ROW_FIELDS = {
    "id": str,
    "statement": str,
    "verdict": bool,
    "holds": (bool, type(None)),
    "confirmed": bool,
    "skipped": (str, type(None)),
    "error": (str, type(None)),
    "detail": (str, type(None)),
    "seconds": (int, float, type(None)),
    "depends_on": (str, type(None)),
    "page": str,
    "code": str,
}
"""Each field of a row, with the types it may hold. ``row`` writes them all."""


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
        "code": check_code(claim),
    }


def check_code(claim: Claim) -> str:
    """A fingerprint (SHA-256) of the code that decides ``claim``.

    It covers the module that holds the check, with the helpers beside it, every module of the
    package outside the ledger's sections (the registry, the reference layers, the converters of
    `glossary.port`, ...), which a check may call, and the data files the claims read (the
    step-through page's weights). A record is bound to it: after any of that code changes, the
    record no longer stands for what the checks would find.
    """
    module = sys.modules[claim.check.__module__]
    return hashlib.sha256(_shared_code() + inspect.getsource(module).encode()).hexdigest()


@functools.cache
def _shared_code() -> bytes:
    """Every module of the package outside the claims' sections, and the data the claims read."""
    package = Path(__file__).resolve().parent.parent
    sections = [path for path in package.joinpath("claims").iterdir() if path.is_dir()]
    shared = [
        path
        for path in package.rglob("*")
        if (path.suffix == ".py" and not any(path.is_relative_to(section) for section in sections))
        # The set-ups' records, the release grid's among them, hold outcomes, not what decides them.
        or (path.suffix == ".json" and not path.is_relative_to(package / "claims" / "recorded"))
    ]
    return b"".join(path.read_bytes() for path in sorted(shared))


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
    write_atomically(path, json.dumps(recorded, indent=2) + "\n")


def load_for_this_ledger(path: Path) -> dict:
    """A recorded run of the whole ledger, on the versions installed here, by the checks as they are.

    Raises:
        UnusableRecordError: the file cannot be read, is not a record that
            ``glossary check --output`` writes, or records other versions, other claims or other check code.
    """
    recorded = read(path)
    here = installed_versions()
    if recorded["versions"] != here:
        raise UnusableRecordError(f"{path} was recorded on {recorded['versions']}, not on {here}")
    rows = {row["id"]: row for row in recorded["claims"]}
    if rows.keys() != LEDGER.keys() or len(rows) != len(recorded["claims"]):
        differing = sorted(rows.keys() ^ LEDGER.keys()) or ["one claim twice"]
        raise UnusableRecordError(f"{path} records claims {differing} differently")
    for claim_id, claim in LEDGER.items():
        if (rows[claim_id]["statement"], rows[claim_id]["verdict"]) != (claim.statement, claim.verdict):
            raise UnusableRecordError(f"{path} records {claim_id} with another statement or verdict")
    changed = [claim_id for claim_id, claim in LEDGER.items() if rows[claim_id]["code"] != check_code(claim)]
    if changed:
        shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
        raise UnusableRecordError(f"{path} was recorded by other code than today's checks of {shown}")
    return recorded


def read(path: Path) -> dict:
    """The document in ``path``, once it is known to have the form `document` gives it."""
    try:
        if not path.is_file():
            raise UnusableRecordError(f"{path} is not a file")
        if path.stat().st_size > MAX_RECORD_BYTES:
            raise UnusableRecordError(f"{path} is larger than any record ({MAX_RECORD_BYTES} bytes at most)")
        recorded = json.loads(path.read_bytes().decode("utf-8"))
    except UnusableRecordError:  # not a file, or too large: said as it is (it is a ValueError too)
        raise
    except OSError as error:
        raise UnusableRecordError(f"{path} cannot be read ({error.strerror or error})") from None
    except UnicodeDecodeError:
        raise UnusableRecordError(f"{path} is not UTF-8 text, so not a record") from None
    except json.JSONDecodeError as error:
        raise UnusableRecordError(f"{path} is not JSON ({error.msg} at line {error.lineno})") from None
    except ValueError as error:  # JSON that Python will not read, such as a number of 5000 digits
        said = " ".join(str(error).split())
        raise UnusableRecordError(f"{path} is not a JSON document Python reads ({said})") from None
    except RecursionError:
        raise UnusableRecordError(f"{path} nests deeper than any record") from None
    problem = _form_problem(recorded)
    if problem:
        raise UnusableRecordError(f"{path} is not a record of `glossary check --output`: {problem}")
    return recorded


def _form_problem(recorded) -> str | None:
    """What keeps ``recorded`` from being a document as `document` makes it, or None."""
    if not isinstance(recorded, dict):
        return f"it holds a JSON {type(recorded).__name__}, not an object"
    versions, rows = recorded.get("versions"), recorded.get("claims")
    if not isinstance(versions, dict) or not all(isinstance(v, str) for v in versions.values()):
        return '"versions" is not an object of version strings'
    if not isinstance(rows, list):
        return '"claims" is not a list of rows'
    for number, row in enumerate(rows):
        if not isinstance(row, dict):
            return f'row {number} of "claims" is not an object'
        for field, kinds in ROW_FIELDS.items():
            if field not in row:
                return f'row {number} of "claims" has no "{field}" (a record older than the field)'
            kinds = kinds if isinstance(kinds, tuple) else (kinds,)
            value = row[field]
            if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
                return f'row {number} of "claims" has a {type(value).__name__} for "{field}"'
        inconsistent = _inconsistency(row)
        if inconsistent:
            return f'row {number} of "claims" ({row["id"]}) {inconsistent}'
    return None


def _inconsistency(row: dict) -> str | None:
    """How the fields of a well-typed row contradict each other, as `row` never writes them, or None."""
    ran = not row["error"] and not row["skipped"]
    if ran and (row["holds"] is None or row["detail"] is None):
        return "says its check ran but records no evidence"
    if not ran and row["holds"] is not None:
        return "records evidence for a check that did not run"
    if row["confirmed"] != (ran and row["holds"] == row["verdict"]):
        return "says it is confirmed when its evidence does not confirm it, or the other way round"
    return None


def as_result(recorded_row: dict) -> Result:
    """A row of a document as the ``Result`` that running its claim gave."""
    holds = recorded_row["holds"]
    evidence = None if holds is None else Evidence(holds, recorded_row["detail"])
    seconds, skipped = recorded_row["seconds"] or 0.0, recorded_row["skipped"] or ""
    return Result(LEDGER[recorded_row["id"]], evidence, seconds, skipped=skipped)
