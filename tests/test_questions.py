"""Users' questions: each answered where its topic lives, backed by ledger claims, listed on the FAQ."""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from paths import DOCS
from site_build import built_file, page_url

from glossary.claims import LEDGER, Evidence, Result
from glossary.questions import QUESTIONS

FULL_ANSWER = "The full answer, with code"
"""The text of the link from a question's FAQ entry to the page that answers it."""


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.question[:40])
def test_answer_rests_on_claims_of_its_page(question):
    """Every claim a question cites is in the ledger, and one of them lives on the page that answers it."""
    assert question.claims
    assert not [claim_id for claim_id in question.claims if claim_id not in LEDGER]
    page = question.page.partition("#")[0]
    assert (DOCS / page).is_file()
    assert any(LEDGER[claim_id].page.partition("#")[0] == page for claim_id in question.claims)


def test_a_cited_false_claim_is_said_to_be_shown_false_not_checked():
    """Beside a claim the ledger holds false (the belief an answer corrects) the FAQ says "shown
    false", never a bare "checked" that reads as the belief proven; a skipped one is "not checked"."""
    from fakes import fake_claim, fake_context
    from generators.faq import proof_state

    true, false, skipped = fake_claim("A"), fake_claim("B", verdict=False, holds=False), fake_claim("C")
    context = fake_context(
        Result(true, Evidence(True, ""), 0.0),
        Result(false, Evidence(False, ""), 0.0),
        Result(skipped, None, 0.0, "no GPU"),
    )
    assert proof_state(context, "A") == "checked"
    assert proof_state(context, "B") == "shown false, as the answer says"
    assert proof_state(context, "C") == "not checked in this build"
    cited_false = [
        claim_id for question in QUESTIONS for claim_id in question.claims if not LEDGER[claim_id].verdict
    ]
    assert "LSTM-NO-VANISHING" in cited_false


class Outline(HTMLParser):
    """A built page as the events these tests read, in document order.

    ``("heading", level, id)`` for each ``h1``-``h6``; ``("claims", {IDs})`` for each claim mark;
    ``("link", href, text)`` for each link, with its text.
    """

    def __init__(self):
        super().__init__()
        self.events: list[tuple] = []
        self._link: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.events.append(("heading", int(tag[1]), attributes.get("id")))
        elif "claim-mark" in (attributes.get("class") or "").split():
            self.events.append(("claims", frozenset((attributes.get("data-claims") or "").split())))
        elif tag == "a" and attributes.get("href") is not None:
            self._link = (attributes["href"], [])

    def handle_data(self, data):
        if self._link is not None:
            self._link[1].append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._link is not None:
            href, text = self._link
            self.events.append(("link", href, "".join(text).strip()))
            self._link = None


@cache  # a built page is read once: the FAQ page alone is parsed for each of its questions
def outline(path: Path) -> tuple[tuple, ...]:
    reader = Outline()
    reader.feed(path.read_text())
    return tuple(reader.events)


def section(events: tuple[tuple, ...], anchor: str | None) -> tuple[tuple, ...]:
    """The events of the section that ``anchor`` names: from its heading to the next heading of the
    same level or higher. The whole page when ``anchor`` is None; empty when no heading has that id."""
    if anchor is None:
        return events
    for start, event in enumerate(events):
        if event[0] == "heading" and event[2] == anchor:
            level = event[1]
            end = next(
                (
                    index
                    for index in range(start + 1, len(events))
                    if events[index][0] == "heading" and events[index][1] <= level
                ),
                len(events),
            )
            return events[start:end]
    return ()


def full_answer_hrefs(faq: tuple[tuple, ...], number: int) -> list[str]:
    """The hrefs of the full-answer links in question ``number``'s FAQ entry (``h3#qN`` to the next)."""
    return [
        event[1] for event in section(faq, f"q{number}") if event[0] == "link" and event[2] == FULL_ANSWER
    ]


def answer_section(site: Path, number: int, question) -> tuple[str, tuple[tuple, ...]]:
    """Where question ``number``'s FAQ entry in the built ``site`` links, and the events of that section.

    Raises AssertionError where the entry does not link once, to the page and section of
    ``question.page``, or where the built page has no heading with that section's id.
    """
    faq_url = page_url(DOCS / "faq.md")
    hrefs = full_answer_hrefs(outline(built_file(site, DOCS / "faq.md")), number)
    assert len(hrefs) == 1, f"q{number}: {len(hrefs)} links '{FULL_ANSWER}'"
    page, _, anchor = question.page.partition("#")
    expected = page_url(DOCS / page) + (f"#{anchor}" if anchor else "")
    target = urljoin(f"/{faq_url}", hrefs[0]).removeprefix("/")
    assert target == expected, f"q{number} links {target}; its answer is {expected}"
    parts = urlsplit(target)
    answer = section(outline(site / parts.path / "index.html"), parts.fragment or None)
    assert answer, f"q{number}: {parts.path} has no heading #{parts.fragment}"
    return target, answer


def claims_shown(events: tuple[tuple, ...]) -> set[str]:
    """The claims a stretch of a built page shows: its claim marks, and links to a claim's evidence
    (an error message's box links the claim that printed it)."""
    shown = set()
    for event in events:
        if event[0] == "claims":
            shown |= event[1]
        elif event[0] == "link" and urlsplit(event[1]).fragment.startswith("claim-"):
            shown.add(urlsplit(event[1]).fragment.removeprefix("claim-").upper())
    return shown


NUMBERED = [
    pytest.param(number, question, id=f"q{number} {question.question[:40]}")
    for number, question in enumerate(QUESTIONS, start=1)
]
"""Each question with its number on the FAQ page."""


def test_every_question_is_on_the_faq_page(built_site):
    """The built FAQ page shows each question, numbered, in a section of its own."""
    faq = outline(built_file(built_site, DOCS / "faq.md"))
    numbered = [event[2] for event in faq if event[0] == "heading" and re.fullmatch(r"q\d+", event[2] or "")]
    assert numbered == [f"q{number}" for number in range(1, len(QUESTIONS) + 1)]


@pytest.mark.parametrize(("number", "question"), NUMBERED)
def test_faq_entry_links_to_its_answer_section(built_site, number, question):
    """Each question's FAQ entry links once to its answer's page and section, which the page has."""
    answer_section(built_site, number, question)


@pytest.mark.parametrize(("number", "question"), NUMBERED)
def test_answer_section_shows_a_claim_of_its_question(built_site, number, question):
    """The section a question's FAQ entry links to shows at least one of the claims the question cites."""
    target, answer = answer_section(built_site, number, question)
    assert claims_shown(answer) & set(question.claims), f"{target} shows none of {question.claims}"
