"""One question of the FAQ, its short answer, the page that answers it and the claims behind it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    """A question users ask, its short answer, the page that answers it and the claims behind it."""

    question: str
    answer: str
    """The short answer, in one or two sentences; the page has the long one and the code."""
    page: str
    """Where the topic lives, e.g. ``units-and-weight-shapes.md#what-units-is-not``."""
    claims: tuple[str, ...]
