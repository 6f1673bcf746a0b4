"""The FAQ (`glossary.questions`) on the site: the FAQ page, and on each page the questions it answers."""

from __future__ import annotations

import re

from mkdocs.exceptions import PluginError

from generators.build_context import BuildContext
from generators.markup import generated

INTRODUCTION = re.compile(r"\A(?P<intro>\s*# .+\n\n(?:.+\n)+)")
"""A page's title and first paragraph."""


def with_its_questions(markdown: str, source: str) -> str:
    """``markdown`` with the FAQ's questions that the page answers, listed after its first paragraph.

    Each links to the part of the page that answers it. A reader who arrives with a question sees
    that it is answered here, and where. The site's search finds the page by the question's words:
    Material ranks a page's introduction above its sections, so the list belongs there.
    """
    from glossary.questions import QUESTIONS

    answered = [question for question in QUESTIONS if question.page.partition("#")[0] == source]
    if not answered:
        return markdown
    introduction = INTRODUCTION.match(markdown)
    if introduction is None:
        raise PluginError(f"{source}: no first paragraph to put the questions it answers after")
    links = [
        f"    - [{question.question}](#{question.page.partition('#')[2]})"
        if "#" in question.page
        else f"    - {question.question} (the whole page answers it)"
        for question in answered
    ]
    box = '!!! question "Questions this page answers"\n\n' + "\n".join(links)
    listed = generated("questions-answered", box)
    return introduction["intro"] + "\n" + listed + "\n\n" + markdown[introduction.end() :]


def proof_state(context: BuildContext, claim_id: str) -> str:
    """What a cited claim's run says beside its ID.

    A claim the ledger holds false states the belief an answer corrects: "checked" alone would read
    as the belief proven, so it says that the check showed it false.
    """
    result = context.result(claim_id)
    if result.skipped:
        return "not checked in this build"
    return "checked" if result.claim.verdict else "shown false, as the answer says"


def questions(context: BuildContext, to_root: str) -> str:
    """Every question, numbered, with its short answer, its page and the claims that prove it."""
    from glossary.questions import QUESTIONS

    entries = []
    for number, question in enumerate(QUESTIONS, start=1):
        checks = [
            f"{context.link(claim_id, to_root)} ({proof_state(context, claim_id)})"
            for claim_id in question.claims
        ]
        entries.append(
            f'### <span data-generated="ordinal">{number}.</span> {question.question} {{#q{number}}}\n\n'
            f"{question.answer}\n\n"
            f"[The full answer, with code]({to_root}{question.page}) · Proven by: {', '.join(checks)}\n"
        )
    return context.origin_sentence() + "\n\n" + "\n".join(entries)
