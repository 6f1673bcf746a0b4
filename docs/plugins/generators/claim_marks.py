"""How a page shows its claims: a quiet mark where the statement is made, the evidence one click away.

``<!-- claim: ID -->`` lines that follow each other on a page make one mark: a small, right-aligned
``<details>`` under the paragraph or code block they follow. Its summary says "checked" (or that
the check could not run in this build) and names the recorded set-ups (`glossary.claims.setups`) where a
claim's verdict differs; opened, it lists each claim with its verdict and evidence, the other
set-ups' verdicts, what it depends on, and a link to its check on the ledger. A false statement
(a common mistake) is shown as a correction: the true statement first, then the mistake, quoted
and labelled as false, with its own mark.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from generators.markup import generated, shown_as_code, shown_as_text
from generators.setups import SetUp, differing, short
from generators.setups import outcome as setups_outcome
from glossary.claims import Outcome, Result


@dataclass(frozen=True)
class Verdicts:
    """Where this build's verdicts come from, and where a mark links to."""

    keras: str
    """The Keras they hold on, as escaped text: ``Keras 3.15.1 (tensorflow backend)``, and the
    record they were read from, if any."""
    record: str | None
    """The name of the record the verdicts were read from; None when this build ran the checks."""
    entry: Callable[[str], str]
    """The address of a claim's entry on the ledger, from the page being built."""
    setups: list[SetUp]
    """The other set-ups the ledger was run on."""


def verdict_sentence(result: Result, verdicts: Verdicts) -> str:
    """What the check found in this build: ``Holds on Keras …: <code>evidence</code>``."""
    if result.skipped:
        where = f"as recorded in {shown_as_code(verdicts.record)}" if verdicts.record else "in this build"
        return f"Not checked {where}: {shown_as_text(result.skipped)}"
    held = "Holds" if result.claim.verdict else "Does not hold"
    return f"{held} on {verdicts.keras}: {shown_as_code(result.evidence.detail)}"


def elsewhere(claim_id: str, setups: list[SetUp]) -> str:
    """The other set-ups' verdicts on a claim, in one sentence: where it agrees, differs, or did not run."""
    agrees, differs, skipped, absent = [], [], [], []
    for run in setups:
        outcome = setups_outcome(run, claim_id)
        if outcome is None:
            absent.append(short(run))
        elif outcome is Outcome.SKIPPED:
            skipped.append(short(run))
        elif outcome.agrees:
            agrees.append(short(run))
        else:
            differs.append(f"{short(run)} ({shown_as_code(run.claims[claim_id].note or outcome.value)})")
    parts = [
        f"the same on {_listed(agrees)}" if agrees else "",
        f"differs on {_listed(differs)}" if differs else "",
        f"cannot run on {_listed(skipped)}" if skipped else "",
        f"not yet run on {_listed(absent)}" if absent else "",
    ]
    sentence = "; ".join(part for part in parts if part)
    return f"Elsewhere: {sentence}." if sentence else ""


def caveat(results: list[Result], setups: list[SetUp]) -> str:
    """What the summary adds after "checked": the set-ups where a claim of the mark differs."""
    names = list(
        dict.fromkeys(short(run) for result in results for run in differing(result.claim.id, setups))
    )
    return f"differs on {_listed(names, 'and')}" if names else ""


def _listed(names: list[str], conjunction: str = "and") -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" {conjunction} {names[-1]}"


def _summary(results: list[Result], verdicts: Verdicts) -> str:
    skipped = sum(1 for result in results if result.skipped)
    checked = len(results) - skipped
    if checked == 0:
        sign, status = "○", "not run here"
    else:
        sign, status = "✓", "checked" if checked == 1 else f"{checked} checks"
        if skipped:
            status += f", {skipped} not run here"
    note = caveat(results, verdicts.setups)
    note = f'<span class="claim-mark__caveat"> · {note}</span>' if note else ""
    return (
        f'<summary><span class="claim-mark__sign" aria-hidden="true">{sign}</span>'
        f'<span class="visually-hidden">Evidence: </span>{status}{note}</summary>'
    )


def _entry(result: Result, verdicts: Verdicts) -> str:
    claim = result.claim
    lines = [claim.statement, verdict_sentence(result, verdicts) + "."]
    other = elsewhere(claim.id, verdicts.setups)
    if other:
        lines.append(other)
    if claim.depends_on:
        lines.append(f"Depends on: {claim.depends_on}.")
    lines.append(f"[How it is checked]({verdicts.entry(claim.id)})")
    return "- " + "\n  ".join(f"{line}  " for line in lines[:-1]) + "\n  " + lines[-1]


def mark(results: list[Result], verdicts: Verdicts) -> str:
    """The mark of claims stated together: a summary line that opens onto each claim's evidence."""
    claims = " ".join(result.claim.id for result in results)
    not_checked = " ".join(result.claim.id for result in results if result.skipped)
    attributes = f'data-claims="{claims}"' + (f' data-not-checked="{not_checked}"' if not_checked else "")
    entries = "\n".join(_entry(result, verdicts) for result in results)
    return (
        f'<details class="claim-mark" {attributes} markdown>\n'
        f"{_summary(results, verdicts)}\n\n{entries}\n\n</details>"
    )


def misconception(mistake: Result, truth: Result, verdicts: Verdicts) -> str:
    """A common mistake as its correction: the true statement, then the mistake, quoted and labelled."""
    body = (
        f'<span class="misconception__truth">{truth.claim.statement}</span>\n\n'
        '<span class="misconception__label"><span aria-hidden="true">✗</span> Often said, and false:</span> '
        f"<q>{mistake.claim.statement}</q>\n\n"
        + generated("claim", mark([mistake], verdicts), searched=False)
    )
    return f'<div class="misconception" data-generated="correction" markdown>\n\n{body}\n\n</div>'


def claims_at(results: list[Result], truths: Callable[[str], Result], verdicts: Verdicts) -> str:
    """Markdown for the claims whose markers follow each other at one place of a page.

    True statements share one mark; each false one becomes a correction, after it.
    """
    stated = [result for result in results if result.claim.verdict]
    parts = [generated("claim", mark(stated, verdicts), searched=False)] if stated else []
    for result in results:
        if not result.claim.verdict:
            parts.append(misconception(result, truths(result.claim.corrected_by), verdicts))
    return "\n\n".join(parts)
