"""The release history of the claims, read from the release grid's records.

The page of what changed (`render`): the set-ups that ran, per line (Keras 3 on TensorFlow, on
JAX, on PyTorch, tf-keras), every change of a claim's outcome between two releases with its
evidence, what could not be checked where, and the release since which each claim holds. The
grid is `glossary.claims.releases`; its records are ``glossary/claims/recorded/releases/``, and
each line's newest point is the matrix's own record (``recorded/*.json``) where that is newer.

A claim's outcome on a release is read only where that release's run checked the claim's
present wording: a run of other words decides nothing about it ("not run in this wording").
An outcome that could not be decided (skipped, or a check that raised: an API the release
lacks) is a gap, never a change: a change is two releases that decided the claim differently.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from dataclasses import dataclass
from pathlib import Path

from generators import setups
from generators.build_context import anchor, ledger_page
from generators.markup import escaped, shown_as_text
from glossary.claims import LEDGER, Outcome
from glossary.claims import releases as grid
from glossary.claims import setups as recorded_setups
from glossary.claims.setups import SetUp

"""Where the Compatibility page and the command's page say which older releases ran."""
TIMES = Path(__file__).resolve().with_name("release_grid_times.json")
"""Each set-up's install and run time, in seconds, as `nox -s history` measured it where it ran."""
DECIDED = (Outcome.CONFIRMED, Outcome.CONFIRMED_FALSE, Outcome.CONTRADICTED)
"""The outcomes that say what Keras did; skipped and error say only that the check could not tell."""


def release(run: SetUp) -> tuple[int, ...]:
    """The Keras release of a run, as numbers to sort by."""
    return tuple(int(part) for part in re.findall(r"\d+", run.versions.get("Keras", ""))[:3])


def lines(
    grid_runs: list[SetUp] | None = None, matrix_runs: list[SetUp] | None = None
) -> dict[str, list[SetUp]]:
    """The runs of each line of the history, oldest release first.

    A line's runs are the grid's records of it, and the matrix's CPU record of the same Keras
    major version and backend, unless the grid ran that very release.
    """
    grid_runs = recorded_setups.releases() if grid_runs is None else grid_runs
    matrix_runs = setups.recorded() if matrix_runs is None else matrix_runs
    by_name = {run.name: run for run in grid_runs}
    found = {}
    for line, (backend, names) in grid.LINES.items():
        runs = [by_name[name] for name in names if name in by_name]
        major = "2" if line.startswith("tf-keras") else "3"
        for run in matrix_runs:
            if run.kind == (major, backend, False) and release(run) not in {release(kept) for kept in runs}:
                runs.append(run)
        found[line] = sorted(runs, key=release)
    return found


@dataclass(frozen=True)
class Change:
    """A claim decided one way on a release and the other way on the next release that decided it."""

    claim_id: str
    line: str
    before: SetUp
    after: SetUp
    was: Outcome
    became: Outcome


def outcome(run: SetUp, claim_id: str) -> Outcome | None:
    """What ``run`` found for the claim as worded today (None: not run in this wording)."""
    return run.outcome(claim_id, LEDGER[claim_id].statement)


def changes(claim_id: str, line: str, runs: list[SetUp]) -> list[Change]:
    """Each change of the claim's decided outcome along one line's runs."""
    decided = [(run, found) for run in runs if (found := outcome(run, claim_id)) in DECIDED]
    return [
        Change(claim_id, line, before, after, was, became)
        for (before, was), (after, became) in itertools.pairwise(decided)
        if was is not became
    ]


def holds_since(claim_id: str, runs: list[SetUp]) -> SetUp | None:
    """The earliest run from which every run of the line, to the newest, found the ledger right.

    None where the newest run did not: it differs there, or could not decide, or checked
    other words.
    """
    since = None
    for run in reversed(runs):
        if outcome(run, claim_id) not in (Outcome.CONFIRMED, Outcome.CONFIRMED_FALSE):
            break
        since = run
    return since


def keras_of(run: SetUp) -> str:
    """The Keras release of a run, escaped: ``3.9.2``."""
    return escaped(run.versions.get("Keras", "?"))


@functools.cache
def _recorded_lines() -> dict[str, list[SetUp]]:
    """The lines of the records as committed, read once per build (a ledger page asks per claim)."""
    return lines()


def holds_since_mark(claim_id: str) -> str:
    """One line for a claim's ledger entry: the first release of each line it has held on since."""
    marks = []
    for line, runs in _recorded_lines().items():
        since = holds_since(claim_id, runs)
        if since is not None and len(runs) > 1:
            marks.append(f"{line} {keras_of(since)}")
    return ("holds since " + "; ".join(marks)) if marks else ""


def entry(claim_id: str, to_root: str) -> str:
    """The address of a claim's entry on its ledger page."""
    return f"{to_root}{ledger_page(LEDGER[claim_id].page)}#{anchor(claim_id)}"


def _note(run: SetUp, claim_id: str) -> str:
    """The evidence a run kept for a claim; without a note, what its outcome alone says."""
    found = run.claims.get(claim_id)
    if found is not None and found.note:
        return shown_as_text(found.note)
    if found is not None and found.outcome in (Outcome.CONFIRMED, Outcome.CONFIRMED_FALSE):
        return "no note: the check agreed"
    # A disagreement, a skip or a crash recorded without its note: saying "agreed" would invert it.
    return "no evidence recorded (the run kept no note)"


def _backend_of(run: SetUp) -> str:
    """The backend's library and version in a run: ``TensorFlow 2.19.1``."""
    named = {"tensorflow": "TensorFlow", "jax": "JAX", "torch": "PyTorch"}
    library = named.get(run.versions.get("backend", ""), "")
    return escaped(f"{library} {run.versions.get(library, '?')}") if library else "?"


def _ran(runs_by_line: dict[str, list[SetUp]]) -> str:
    """The table of each line's runs: versions, reference tests and what the claims found."""
    rows = [
        "| Line | Keras | Backend | NumPy | Reference tests | Agrees | Differs | Could not check "
        "| Other wording |",
        "| --- " * 9 + "|",
    ]
    for line, runs in runs_by_line.items():
        for run in runs:
            found = [outcome(run, claim_id) for claim_id in LEDGER]
            agrees = sum(one in (Outcome.CONFIRMED, Outcome.CONFIRMED_FALSE) for one in found)
            differs = found.count(Outcome.CONTRADICTED)
            undecided = found.count(Outcome.SKIPPED) + found.count(Outcome.ERROR)
            tests = shown_as_text(run.reference_tests) if run.reference_tests else "not recorded"
            rows.append(
                f"| {line} | {keras_of(run)} | {_backend_of(run)} | "
                f"{escaped(run.versions.get('NumPy', '?'))} | {tests} | {agrees} | {differs} | "
                f"{undecided} | {found.count(None)} |"
            )
    return "\n".join(rows)


def _change_lines(found: list[Change], to_root: str) -> list[str]:
    said = []
    for change in found:
        link = f"[{change.claim_id}]({entry(change.claim_id, to_root)})"
        said.append(
            f"- {link}, {change.line}: {change.was.value} on {keras_of(change.before)}, "
            f"{change.became.value} on {keras_of(change.after)}. Evidence on {keras_of(change.before)}: "
            f"{_note(change.before, change.claim_id)}; on {keras_of(change.after)}: "
            f"{_note(change.after, change.claim_id)}."
        )
    return said


def _gaps(runs_by_line: dict[str, list[SetUp]], to_root: str) -> list[str]:
    """Each claim whose check raised on a release where a later release decided it: not a change."""
    said = []
    for claim_id in LEDGER:
        for line, runs in runs_by_line.items():
            raised = [run for run in runs if outcome(run, claim_id) is Outcome.ERROR]
            decided_later = [
                run
                for run in runs
                if outcome(run, claim_id) in DECIDED and raised and release(run) > release(raised[0])
            ]
            if raised and decided_later:
                releases_said = ", ".join(keras_of(run) for run in raised)
                said.append(
                    f"- [{claim_id}]({entry(claim_id, to_root)}), {line}: could not be checked on "
                    f"{releases_said} ({_note(raised[0], claim_id)})"
                )
    return said


def _grid_time(names: list[str]) -> str:
    """The install and run time the set-ups that ran here took, from the times `nox -s history` wrote."""
    times = json.loads(TIMES.read_text()) if TIMES.exists() else {}
    measured = [times[name] for name in names if name in times]
    if not measured:
        return "No set-up's time was measured."
    install = sum(each["install_s"] for each in measured) / len(measured) / 60
    run = sum(each["run_s"] for each in measured) / len(measured) / 60
    slowest = max(each["install_s"] + each["run_s"] for each in measured) / 60
    return (
        f"The {len(measured)} set-ups run on the project's own machine (two CPU cores, shared "
        "with other work and with other set-ups) took on average "
        f"{round(install, 1)} minutes to install and {round(run, 1)} minutes to run each; the "
        f"slowest took {round(slowest)} minutes in all. The workflow runs its jobs side by side, so "
        "the whole grid takes about as long as its slowest set-up, plus the gathering job."
    )


def _pinned(name: str) -> str:
    """The Keras or tf-keras release a set-up of the grid installs: ``3.9.2``."""
    return escaped(grid.RELEASES[name][0][0].partition("==")[2])


def render(to_root: str) -> str:
    """The page's generated part."""
    runs_by_line = lines()
    grid_names = {run.name for run in recorded_setups.releases()}
    found = [
        change
        for claim_id in LEDGER
        for line, runs in runs_by_line.items()
        for change in changes(claim_id, line, runs)
    ]
    failing = [
        run for runs in runs_by_line.values() for run in runs if "failed" in (run.reference_tests or "")
    ]
    ran = {(line, keras_of(run)) for line, runs in runs_by_line.items() for run in runs}
    not_run = {
        line: [pinned for name in names if (line, pinned := _pinned(name)) not in ran]
        for line, (_, names) in grid.LINES.items()
    }
    sections = [
        "## The set-ups that ran",
        f"{len(grid_names)} {'set-up' if len(grid_names) == 1 else 'set-ups'} of the grid's "
        f"{len(grid.RELEASES)} ran and were recorded, "
        "beside the matrix's own records, the newest release of each line:",
        _ran(runs_by_line),
        "## What changed, release by release",
        (
            "\n".join(_change_lines(found, to_root))
            if found
            else "No claim was decided one way on a release and the other way on a later one."
        ),
        "## What could not be checked on a release",
        "A check that raised on an older release, where a later one decided the claim: the "
        "release lacks what the check calls, which says nothing about the layers' behaviour.",
        "\n".join(_gaps(runs_by_line, to_root)) or "None.",
        "## Since when each claim holds",
        _holds_table(runs_by_line, to_root),
        "## Closing note",
        (
            f"The grid found {len(found)} {'change' if len(found) == 1 else 'changes'} of outcome. "
            + (
                "The reference-vs-Keras tests failed on "
                + ", ".join(f"{run.name} ({shown_as_text(run.reference_tests)})" for run in failing)
                + "."
                if failing
                else "The reference-vs-Keras tests passed on every set-up that recorded them."
            )
            + f" {_grid_time(sorted(grid_names))} Not run here, left to the workflow: "
            + "; ".join(f"{line} " + ", ".join(pinned) for line, pinned in not_run.items() if pinned)
            + "."
        ),
    ]
    return "\n\n".join(sections)


def _holds_table(runs_by_line: dict[str, list[SetUp]], to_root: str) -> str:
    """Each claim's first release of each line it has held on since, to the newest."""
    shown = [line for line, runs in runs_by_line.items() if len(runs) > 1]
    rows = ["| Claim | " + " | ".join(shown) + " |", "| --- " * (len(shown) + 1) + "|"]
    for claim_id in LEDGER:
        cells = []
        for line in shown:
            since = holds_since(claim_id, runs_by_line[line])
            cells.append(keras_of(since) if since is not None else "—")
        rows.append(f"| [{claim_id}]({entry(claim_id, to_root)}) | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def grid_runs_sentence(to_root: str) -> str:
    """Which releases the grid ran, line by line, for the pages that say how a run is judged."""
    runs_by_line = lines(matrix_runs=[])
    said = [
        f"{line}: " + ", ".join(keras_of(run) for run in runs) for line, runs in runs_by_line.items() if runs
    ]
    count = sum(len(runs) for runs in runs_by_line.values())
    return (
        f"Besides these, the [release grid]({to_root}release-history.md) ran {count} other "
        f"{'release' if count == 1 else 'releases'} of the {len(grid.RELEASES)} it lists, and their "
        "records ship too ("
        + "; ".join(said)
        + "). A run on one of those releases is judged by that release's own record."
    )
