"""The claims of the ledger as test items of a team's own pytest suite.

Installed with the package (its ``pytest11`` entry point), the plugin does nothing until asked:
``pytest --glossary-claims`` adds one item per claim, named by its ID, so ``-k`` selects them by ID
or by words of the ID. Each item is judged as ``glossary check`` judges a claim: by the site's
record of the set-up it runs on, or by ``--glossary-baseline FILE`` (an earlier
``glossary check --output``). A known difference passes, a check that cannot run here is skipped,
and an outcome unlike the expected one fails with the recorded and the measured outcome and the evidence.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary.terminal import printable


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--glossary-claims`` and ``--glossary-baseline FILE``."""
    group = parser.getgroup("glossary", "the LSTM Glossary's claims")
    group.addoption(
        "--glossary-claims", action="store_true", help="run the LSTM Glossary's claims as test items"
    )
    group.addoption(
        "--glossary-baseline",
        metavar="FILE",
        help="judge the claims by an earlier `glossary check --output` instead of the site's record",
    )


class ClaimMismatchError(Exception):
    """A claim's outcome is not the one expected on this set-up."""


class ClaimItem(pytest.Item):
    """One claim of the ledger, run and judged as ``glossary check`` runs and judges it."""

    def __init__(self, *, claim, **options):
        """An item for ``claim``; ``options`` are what ``from_parent`` passes (its name and parent)."""
        super().__init__(**options)
        self.claim = claim

    def runtest(self) -> None:
        """Run the claim's check and judge its outcome; a mismatch raises, a skipped check skips."""
        from glossary.claims import Outcome, record, setups
        from glossary.versions import quiet_tensorflow

        quiet_tensorflow()
        expected, against = _expectation(self.config)
        row = record.row(self.claim)
        if Outcome.of(row) is Outcome.SKIPPED:
            pytest.skip(row["skipped"])
        judgement = setups.judge([row], expected, against)
        self.user_properties.append(("judged", against))
        if judgement.unexpected:
            _, outcome = judgement.unexpected[0]
            found = row["error"] or row["detail"]
            measured = Outcome.of(row).value
            raise ClaimMismatchError(
                f"{self.claim.id}: {self.claim.statement}\n"
                f"expected {outcome.value} on this set-up ({against}), found {measured}: {found}\n"
                f"explained on: {self.claim.page}"
            )
        if judgement.known:
            self.user_properties.append(("known difference", row["detail"]))

    def repr_failure(self, excinfo, style=None):
        """A mismatch as the statement, the expected and measured outcomes and the evidence: no traceback."""
        if isinstance(excinfo.value, ClaimMismatchError):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        """Where the claim is explained, shown in pytest's verbose lines."""
        return self.claim.page, None, f"claim {self.claim.id}"


EXPECTATION = pytest.StashKey[tuple]()
"""What this run's claims are judged by, and how it was chosen, kept in the config's stash."""


def pytest_configure(config: pytest.Config) -> None:
    """Read a baseline before anything runs: a file that is not one stops the run with one line."""
    baseline = config.getoption("glossary_baseline")
    if not (config.getoption("glossary_claims") and baseline):
        return
    from glossary.claims import record, setups

    path = Path(baseline)
    try:
        earlier = setups.from_document(path.stem, record.read(path))
    except record.UnusableRecordError as error:
        raise pytest.UsageError(f"--glossary-baseline: {error}") from None
    config.stash[EXPECTATION] = earlier, printable(f"judged by the baseline {path}", lines=False)


def _expectation(config: pytest.Config) -> tuple:
    """The baseline's expectation, or the site's record of the set-up found at the first claim."""
    if EXPECTATION not in config.stash:
        from glossary.claims import record, setups

        config.stash[EXPECTATION] = setups.for_versions(
            record.installed_versions(), setups.recorded(), setups.releases()
        )
    return config.stash[EXPECTATION]


@pytest.hookimpl(tryfirst=True)  # before -k and -m deselect: the claims can be selected by ID
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list) -> None:
    """With ``--glossary-claims``, add one item per claim of the ledger, named by its ID."""
    if not config.getoption("glossary_claims"):
        return
    from glossary.claims import LEDGER

    items.extend(
        ClaimItem.from_parent(session, name=claim_id, claim=claim) for claim_id, claim in LEDGER.items()
    )
