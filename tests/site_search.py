"""The site's search box in Chromium, typed into as a reader types: the pages it lists, in order."""

from __future__ import annotations

from paths import DOCS
from site_build import page_url

RESULT_PAGES = """() => [...document.querySelectorAll(".md-search-result__list > li > a")]
    .map((link) => new URL(link.href).pathname)"""
SEARCHED = """() => !/Type to start|Initializing/.test(
    document.querySelector(".md-search-result__meta").innerText)"""


class SearchBox:
    """Material's search field on a loaded page of the site, its index ready."""

    def __init__(self, page):
        self.page = page
        page.wait_for_load_state("networkidle")  # the search index loads in a worker after the page
        self.field = page.locator("input.md-search__input")
        self.field.click()

    def pages_for(self, query: str) -> list[str]:
        """The pages listed for ``query``, each once, where it first comes."""
        self.field.fill("")
        self.field.press("End")  # Material searches when a key is released; an empty box clears the list
        self.page.wait_for_function("() => !document.querySelector('.md-search-result__item')")
        self.field.fill(query)
        self.field.press("End")
        self.page.wait_for_function(SEARCHED)  # the count of matches, "No matching documents" included
        return list(dict.fromkeys(self.page.evaluate(RESULT_PAGES)))


def address(source: str) -> str:
    """The path a docs/ page is listed under in the results: ``gates.md`` is ``/gates/``."""
    return "/" + page_url(DOCS / source.partition("#")[0])
