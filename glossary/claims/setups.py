"""The set-ups the ledger was run on, and what each claim's check found on each.

One file per set-up in ``glossary/claims/recorded/``: the versions it ran, and one line per
claim with its outcome, a fingerprint of the wording that was checked, and a note where the
outcome is not a plain confirmation (why it was skipped, what contradicted it). ``nox -s matrix``
writes them, a GPU's by hand; a file changes only when an outcome or a wording does.
``recorded/releases/`` holds the release grid's files in the same form (``nox -s history``,
`glossary.claims.releases`), each with what the reference-vs-Keras tests found there.

``glossary check`` judges a run against the set-up it runs on (`judge`); the site's compatibility
page and each claim's mark read the same files.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from glossary.claims.registry import LEDGER, Outcome
from glossary.files import write_atomically

RECORDED = Path(__file__).resolve().with_name("recorded")
RELEASES = RECORDED / "releases"
MAX_BYTES = 2**20
"""The largest set-up file read: one of the whole ledger is about 20 KB."""


class UnusableSetUpError(ValueError):
    """A set-up file that cannot be read as one; the message names the file and the problem."""


def wording(statement: str) -> str:
    """A short fingerprint of a claim's statement: a record is of the wording it checked."""
    return hashlib.sha256(statement.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Recorded:
    """What a set-up's run found for one claim."""

    outcome: Outcome
    wording: str
    note: str | None = None
    """Why it was skipped, what the check found when it disagreed, or what it raised."""


@dataclass(frozen=True)
class SetUp:
    """One set-up's run: its name, its versions, and each claim's outcome there."""

    name: str
    versions: dict[str, str]
    claims: dict[str, Recorded]
    reference_tests: str | None = None
    """What the reference-vs-Keras tests found on this set-up ("40 passed", or the failures named)."""

    @property
    def on_gpu(self) -> bool:
        """Whether the run had a CUDA GPU."""
        return "GPU" in self.versions

    @property
    def kind(self) -> tuple[str, str, bool]:
        """What decides which record a run is judged by: Keras's major version, backend, GPU."""
        return (
            str(self.versions.get("Keras", "")).split(".")[0],
            self.versions.get("backend", ""),
            self.on_gpu,
        )

    def outcome(self, claim_id: str, statement: str) -> Outcome | None:
        """What this run found for the claim worded as ``statement`` (None: another wording, or none)."""
        found = self.claims.get(claim_id)
        return found.outcome if found is not None and found.wording == wording(statement) else None


def from_document(name: str, document: dict) -> SetUp:
    """The set-up of a ``glossary check --output`` document: its versions and outcomes."""
    claims = {}
    for row in document["claims"]:
        outcome = Outcome.of(row)
        note = {
            Outcome.SKIPPED: row["skipped"],
            Outcome.CONTRADICTED: row["detail"],
            Outcome.ERROR: row["error"],
        }
        claims[row["id"]] = Recorded(outcome, wording(row["statement"]), note.get(outcome))
    return SetUp(name, dict(document["versions"]), claims)


def text(setup: SetUp) -> str:
    """The file of ``setup``: its versions, then one line per claim in the ledger's order."""
    order = {claim_id: number for number, claim_id in enumerate(LEDGER)}
    lines = []
    for claim_id in sorted(setup.claims, key=lambda claim_id: (order.get(claim_id, len(order)), claim_id)):
        found = setup.claims[claim_id]
        entry = [found.outcome.value, found.wording] + ([found.note] if found.note else [])
        lines.append(f"    {json.dumps(claim_id)}: {json.dumps(entry, ensure_ascii=False)}")
    versions = json.dumps(setup.versions, ensure_ascii=False)
    tests = ""
    if setup.reference_tests is not None:
        tests = '  "reference tests": ' + json.dumps(setup.reference_tests, ensure_ascii=False) + ",\n"
    return (
        '{\n  "versions": ' + versions + ",\n" + tests + '  "claims": {\n' + ",\n".join(lines) + "\n  }\n}\n"
    )


def write(setup: SetUp, path: Path) -> None:
    """Write ``setup`` to ``path`` in one step."""
    write_atomically(path, text(setup))


def read(path: Path) -> SetUp:
    """The set-up recorded in ``path``.

    Raises:
        UnusableSetUpError: the file cannot be read or is not one that `write` writes.
    """
    try:
        if path.stat().st_size > MAX_BYTES:
            raise UnusableSetUpError(f"{path} is larger than any set-up's record ({MAX_BYTES} bytes at most)")
        document = json.loads(path.read_bytes().decode("utf-8"))
    except OSError as error:
        raise UnusableSetUpError(f"{path} cannot be read ({error.strerror or error})") from None
    except (UnicodeDecodeError, ValueError, RecursionError):  # JSONDecodeError is a ValueError
        raise UnusableSetUpError(f"{path} is not a JSON document of a set-up") from None
    problem = _form_problem(document)
    if problem:
        raise UnusableSetUpError(f"{path} is not a set-up's record: {problem}")
    claims = {
        claim_id: Recorded(Outcome(entry[0]), entry[1], entry[2] if len(entry) > 2 else None)
        for claim_id, entry in document["claims"].items()
    }
    return SetUp(path.stem, document["versions"], claims, document.get("reference tests"))


def _form_problem(document) -> str | None:
    """What keeps ``document`` from being a set-up as `text` writes it, or None."""
    if not isinstance(document, dict):
        return "it is not a JSON object"
    versions, claims = document.get("versions"), document.get("claims")
    if not isinstance(versions, dict) or not all(isinstance(value, str) for value in versions.values()):
        return '"versions" is not an object of version strings'
    if not isinstance(versions.get("Keras"), str) or not isinstance(versions.get("backend"), str):
        return '"versions" names no Keras and backend'
    if not isinstance(claims, dict):
        return '"claims" is not an object'
    if not isinstance(document.get("reference tests", ""), str):
        return '"reference tests" is not a string'
    outcomes = {outcome.value for outcome in Outcome}
    for claim_id, entry in claims.items():
        if (
            not isinstance(entry, list)
            or not 2 <= len(entry) <= 3
            or not all(isinstance(part, str) for part in entry)
            or entry[0] not in outcomes
        ):
            return f"the entry of {claim_id!r} is not [outcome, wording] or [outcome, wording, note]"
    return None


def recorded(folder: Path = RECORDED) -> list[SetUp]:
    """Every recorded set-up, by name, those on a GPU last (each is a CPU set-up with a GPU added)."""
    runs = [read(path) for path in sorted(folder.glob("*.json"))]
    return sorted(runs, key=lambda run: (run.on_gpu, run.name))


def releases(folder: Path = RELEASES) -> list[SetUp]:
    """Every recorded set-up of the release grid, by name."""
    return recorded(folder)


def for_versions(
    versions: dict[str, str], runs: list[SetUp], grid: list[SetUp] = ()
) -> tuple[SetUp | None, str]:
    """The recorded set-up a run on ``versions`` is judged by, and a sentence saying how it was chosen.

    The record of the same Keras major version, backend and device: of the same Keras release
    where the site has one, among ``runs`` and then the release ``grid``; otherwise one of
    ``runs`` of another release, which the sentence names. Where it ran none of that kind,
    None: the run is judged by the ledger's own verdicts.
    """
    here = SetUp("", versions, {})
    same_kind = [run for run in runs if run.kind == here.kind]
    same_release = [
        run
        for run in [*runs, *grid]
        if run.kind == here.kind and run.versions.get("Keras") == versions.get("Keras")
    ]
    device = f" with a GPU ({versions['GPU']})" if here.on_gpu else " on a CPU"
    described = f"Keras {versions.get('Keras')} on {versions.get('backend')}{device}"
    if not same_kind + same_release:
        return None, f"the site has no record of {described}: judged by the ledger's own verdicts"
    chosen = (same_release + same_kind)[0]
    if chosen.versions.get("Keras") == versions.get("Keras"):
        return chosen, f"judged by the site's record of {described} ({chosen.name})"
    return chosen, (
        f"the site never ran Keras {versions.get('Keras')}: judged by its record of Keras "
        f"{chosen.versions.get('Keras')} on {versions.get('backend')} ({chosen.name})"
    )


@dataclass(frozen=True)
class Judgement:
    """A run's rows set against what was expected of them: the differences known and unknown."""

    against: str
    """How the expectation was chosen, as a sentence."""
    known: list[dict]
    """Rows that disagree with the ledger exactly as the expectation records."""
    unexpected: list[tuple[dict, Outcome]]
    """Rows whose outcome differs from the expected one, each with that expected outcome."""

    @property
    def ok(self) -> bool:
        """Nothing differs from what was expected."""
        return not self.unexpected


def judge(rows: list[dict], expected: SetUp | None, against: str) -> Judgement:
    """Set each row's outcome against ``expected`` (the ledger's own verdicts where it is None).

    A skipped check decides nothing, and so differs from nothing. Otherwise the outcome must be
    the recorded one; a claim the record lacks, holds in another wording, or records as skipped
    is expected to agree with the ledger.
    """
    known, unexpected = [], []
    for row in rows:
        measured = Outcome.of(row)
        if measured is Outcome.SKIPPED:
            continue
        recorded_here = expected.outcome(row["id"], row["statement"]) if expected else None
        if recorded_here in (None, Outcome.SKIPPED):
            recorded_here = Outcome.CONFIRMED if row["verdict"] else Outcome.CONFIRMED_FALSE
        if measured is not recorded_here:
            unexpected.append((row, recorded_here))
        elif not measured.agrees:
            known.append(row)
    return Judgement(against, known, unexpected)


def reference_tests(junit_xml: Path) -> str:
    """What a pytest ``--junitxml`` report says: the counts, and each failing test by name."""
    import xml.etree.ElementTree as ElementTree

    cases = ElementTree.parse(junit_xml).getroot().iter("testcase")
    failed, skipped, passed = [], 0, 0
    for case in cases:
        kinds = {child.tag for child in case}
        if kinds & {"failure", "error"}:
            failed.append(case.get("name", "?"))
        elif "skipped" in kinds:
            skipped += 1
        else:
            passed += 1
    counts = (
        [f"{passed} passed"]
        + [f"{len(failed)} failed"] * bool(failed)
        + [f"{skipped} skipped"] * bool(skipped)
    )
    return ", ".join(counts) + ("" if not failed else ": " + ", ".join(sorted(failed)))


def main(argv: list[str]) -> int:
    """``python -m glossary.claims.setups RUN NAME.json [--reference-tests REPORT.xml]``: record a run.

    RUN is a ``glossary check --output`` document; REPORT.xml, pytest's JUnit report of the
    reference-vs-Keras tests on the same set-up. NAME.json is rewritten only when a version, an
    outcome, a wording or the tests' result differs from what it holds; the exit code is 1 when
    it was rewritten, so that the matrix asks for a review.
    """
    from glossary.claims import record

    run_path, setup_path = Path(argv[0]), Path(argv[1])
    measured = from_document(setup_path.stem, record.read(run_path))
    if argv[2:3] == ["--reference-tests"]:
        measured = replace(measured, reference_tests=reference_tests(Path(argv[3])))
    try:
        kept = read(setup_path)
    except UnusableSetUpError:
        kept = None
    if kept is not None and _outcomes(kept) == _outcomes(measured):
        return 0
    write(measured, setup_path)
    print(f"the outcomes on {setup_path.stem} changed: {setup_path} is rewritten, review and commit it")
    return 1


def _outcomes(setup: SetUp) -> tuple:
    """What a set-up's file must change for: its versions, the tests, each claim's outcome and wording."""
    return (
        setup.versions,
        setup.reference_tests,
        {claim_id: (found.outcome, found.wording) for claim_id, found in setup.claims.items()},
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
