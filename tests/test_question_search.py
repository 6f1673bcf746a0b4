"""Every question of the FAQ, typed into the site's search, finds the page that answers it among
the first three pages listed (issue 19). The questions are read from the built FAQ page, as a
reader sees them, with its computed numbers filled in."""

from __future__ import annotations

import re
from html import unescape

from paths import DOCS
from site_build import built_file, page_url
from tabs import Watched

from glossary.questions import QUESTIONS

AMONG_THE_FIRST = 3
HEADING = re.compile(r'<h3 id="q(?P<number>\d+)">(?P<text>.*?)<a class="headerlink"', re.S)
RESULT_PAGES = """() => [...document.querySelectorAll(".md-search-result__list > li > a")]
    .map((link) => new URL(link.href).pathname)"""


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
        page = tab.open(site_url)
        page.wait_for_load_state("networkidle")  # the search index loads in a worker after the page
        search = page.locator("input.md-search__input")
        search.click()
        ranks, missed = {}, []
        for question, asked in zip(questions, QUESTIONS, strict=True):
            search.fill("")
            search.press("End")  # Material searches when a key is released; an empty box clears the list
            page.wait_for_selector(".md-search-result__item", state="detached")
            search.fill(question)
            search.press("End")
            page.wait_for_selector(".md-search-result__item")
            listed = list(dict.fromkeys(page.evaluate(RESULT_PAGES)))  # a page once, where it first comes
            answer = "/" + page_url(DOCS / asked.page.partition("#")[0])
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
