"""The questions users ask most about recurrent layers in Keras, each tied to its answer.

Every question points to the page section that answers it and to the claims of the ledger that
prove the answer; the site renders them as the Questions and answers page.
"""

from __future__ import annotations

from glossary.questions import core, trackers
from glossary.questions.question import Question

QUESTIONS: tuple[Question, ...] = core.QUESTIONS + trackers.QUESTIONS

__all__ = ["QUESTIONS", "Question"]
