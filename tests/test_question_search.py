"""Every question of the FAQ, typed into the site's search, finds the page that answers it among
the first three pages listed (issue 19). The questions are read from the built FAQ page, as a
reader sees them, with its computed numbers filled in."""

from __future__ import annotations

import re
from html import unescape

from paths import DOCS
from site_build import built_file
from site_search import SearchBox, address
from tabs import Watched

from glossary.questions import QUESTIONS

AMONG_THE_FIRST = 3
HEADING = re.compile(r'<h3 id="q(?P<number>\d+)">(?P<text>.*?)<a class="headerlink"', re.S)


def shown_questions(built_site) -> list[str]:
    """The FAQ's questions as its page shows them, in order."""
    faq = built_file(built_site, DOCS / "faq.md").read_text()
    shown = {int(m["number"]): unescape(re.sub(r"<[^>]+>", "", m["text"])) for m in HEADING.finditer(faq)}
    return [re.sub(r"^\d+\.\s*", "", shown[number]).strip() for number in sorted(shown)]


def test_every_question_finds_its_page_among_the_first_three(browser, built_site, site_url):
    questions = shown_questions(built_site)
    assert len(questions) == len(QUESTIONS)
    tab = Watched(browser)
    try:
        box = SearchBox(tab.open(site_url))
        ranks, missed = {}, []
        for question, asked in zip(questions, QUESTIONS, strict=True):
            listed = box.pages_for(question)
            answer = address(asked.page)
            ranks[question] = listed.index(answer) + 1 if answer in listed else None
            if ranks[question] is None or ranks[question] > AMONG_THE_FIRST:
                missed.append(
                    f"{question!r}: {answer} is {ranks[question] or 'not listed'}; first {listed[:3]}"
                )
        assert not missed, "\n".join(missed)
        assert not tab.problems
    finally:
        tab.close()
    print(f"\nranks of the answering pages: {sorted(ranks.values())}")
