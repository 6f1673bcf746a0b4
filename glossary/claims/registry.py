"""The machinery of the claims ledger: a claim, its check, and the verdict of running it."""

from __future__ import annotations

import contextlib
import enum
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Evidence:
    """What a check observed: whether the statement holds here, and the numbers that show it."""

    holds: bool
    detail: str

    def __post_init__(self):
        """Make ``holds`` a Python bool: checks often compute NumPy booleans; reports want Python's."""
        object.__setattr__(self, "holds", bool(self.holds))


@dataclass(frozen=True)
class Claim:
    """One factual statement, with the code that decides it against the installed Keras."""

    id: str
    statement: str
    verdict: bool
    """True for what the site states; False for a common statement the check proves wrong."""
    page: str
    """The docs page where the topic lives, e.g. ``gates.md#output-gate``."""
    check: Callable[[], Evidence]
    depends_on: str | None = None
    """The versions or backends the result is known to depend on, if any."""
    corrected_by: str | None = None
    """For a false statement: the ID of the claim that states what is true."""


class Outcome(enum.Enum):
    """What running a claim's check says about the ledger.

    The one reading of a run, shared by the command, the site, the recorded runs and the
    compatibility matrix.
    """

    CONFIRMED = "confirmed"  # a true claim holds
    CONFIRMED_FALSE = "confirmed false"  # a false statement is false, as the ledger says
    SKIPPED = "skipped"  # the check cannot run here (NotApplicable)
    CONTRADICTED = "contradicted"  # the check disagrees with the ledger
    ERROR = "error"  # the check crashed

    @property
    def agrees(self) -> bool:
        """The run agrees with the ledger, or could not decide."""
        return self in (Outcome.CONFIRMED, Outcome.CONFIRMED_FALSE, Outcome.SKIPPED)

    @classmethod
    def of(cls, row: dict) -> Outcome:
        """The outcome a row of a recorded run holds.

        Its JSON form is the row's ``error``, ``skipped``, ``confirmed`` and ``verdict`` fields,
        which every record since the first has.
        """
        if row["error"]:
            return cls.ERROR
        if row["skipped"]:
            return cls.SKIPPED
        if row["confirmed"]:
            return cls.CONFIRMED if row["verdict"] else cls.CONFIRMED_FALSE
        return cls.CONTRADICTED


def opposite(check: Callable[[], Evidence]) -> Evidence:
    """Decide a statement that says the opposite of another claim's, with that claim's evidence.

    The check of a false statement, beside the claim that corrects it.
    """
    evidence = check()
    return Evidence(not evidence.holds, evidence.detail)


class NotApplicable(Exception):  # noqa: N818 - it is a verdict, not an error
    """Raised by a check that cannot run here (a library it compares with is missing, say)."""


def require_torch():
    """PyTorch, for a check that compares with it; the check is skipped where it is not installed."""
    try:
        import torch
    except ImportError:
        raise NotApplicable("PyTorch is not installed") from None
    return torch


@dataclass(frozen=True)
class Result:
    """What running a claim's check gave here."""

    claim: Claim
    evidence: Evidence | None
    """None when the check could not run here; ``skipped`` then says why."""
    seconds: float
    skipped: str = ""

    @property
    def confirmed(self) -> bool:
        """The check found what the ledger says: a true claim holds, a false one does not."""
        return self.evidence is not None and self.evidence.holds == self.claim.verdict


LEDGER: dict[str, Claim] = {}


def claim(
    id: str,
    statement: str,
    *,
    page: str,
    verdict: bool = True,
    depends_on: str | None = None,
    corrected_by: str | None = None,
):
    """Register the decorated function as the check of a claim; the function returns ``Evidence``."""

    def register(check: Callable[[], Evidence]) -> Callable[[], Evidence]:
        if id in LEDGER:
            raise ValueError(f"claim {id} is registered twice")
        LEDGER[id] = Claim(id, statement, verdict, page, check, depends_on, corrected_by)
        return check

    return register


@contextlib.contextmanager
def checking():
    """Where a check runs: Keras's random seed at 0, no gradients recorded, TensorFlow's advice muted.

    The seed makes a check's evidence (initial weights, differences) the same on every run and in
    every order. Checks that train build many small models, and TensorFlow logs a warning about
    "retracing" when it compiles the same training step for each: advice for a training loop, not
    news about the claim.
    """
    from glossary.claims.keras_backend import keras, without_gradients

    keras().utils.set_random_seed(0)
    tensorflow_log = logging.getLogger("tensorflow")
    level = tensorflow_log.level
    tensorflow_log.setLevel(logging.ERROR)
    try:
        with without_gradients():
            yield
    finally:
        tensorflow_log.setLevel(level)


def run(claim: Claim) -> Result:
    """Run one claim's check against whatever Keras is installed."""
    start = time.perf_counter()
    try:
        with checking():
            evidence = claim.check()
    except NotApplicable as reason:
        return Result(claim, None, time.perf_counter() - start, skipped=str(reason))
    return Result(claim, evidence, time.perf_counter() - start)
