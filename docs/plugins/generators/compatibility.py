"""The compatibility page's tables: each recorded set-up's counts, and the claims whose verdicts differ."""

from __future__ import annotations

from generators import setups
from generators.build_context import BuildContext
from generators.markup import shown_as_text
from glossary.claims import Outcome


def outcome_cell(outcome: Outcome | None) -> str:
    """A set-up's outcome for one claim, as its cell in the table."""
    if outcome is None:
        return "not run"
    marks = {Outcome.CONFIRMED: "✓", Outcome.CONFIRMED_FALSE: "✓", Outcome.CONTRADICTED: "✗"}
    return marks.get(outcome, outcome.value)


def compatibility(context: BuildContext, to_root: str) -> str:
    """One row per recorded set-up (its versions and counts), then every claim that does not hold on all."""
    runs = setups.recorded()
    header = ["| Run | Keras | Backend | Libraries | Confirmed | Skipped | Differs |", "| --- " * 7 + "|"]
    for run in runs:
        versions = dict(run.versions)
        keras_version, backend = versions.pop("Keras"), versions.pop("backend")
        libraries = shown_as_text(", ".join(f"{library} {number}" for library, number in versions.items()))
        keras_version, backend = shown_as_text(keras_version), shown_as_text(backend)
        outcomes = [setups.outcome(run, claim_id) for claim_id in context.results]
        confirmed = sum(outcome in (Outcome.CONFIRMED, Outcome.CONFIRMED_FALSE) for outcome in outcomes)
        skipped = outcomes.count(Outcome.SKIPPED)
        differs = sum(outcome is not None and not outcome.agrees for outcome in outcomes)
        header.append(
            f"| `{run.name}` | {keras_version} | {backend} | {libraries} | {confirmed} "
            f"| {skipped} | {differs} |"
        )
    names = [run.name for run in runs]
    table = [
        "| Claim | " + " | ".join(f"`{name}`" for name in names) + " | Depends on |",
        "| --- " * (len(names) + 2) + "|",
    ]
    same = 0
    for result in context.results.values():
        claim_id, claim = result.claim.id, result.claim
        cells = [outcome_cell(setups.outcome(run, claim_id)) for run in runs]
        if all(cell in ("✓", "skipped", "not run") for cell in cells):
            same += 1
            continue
        table.append(
            f"| {context.link(claim_id, to_root)} | " + " | ".join(cells) + f" | {claim.depends_on or ''} |"
        )
    return (
        "\n".join(header)
        + f"\n\n{same} claims hold wherever they could run. The others:\n\n"
        + "\n".join(table)
    )
