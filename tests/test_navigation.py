"""The site's shape (issue 26): tabs of even weight, each page once, labels that are the pages'
titles, and a home page that starts from what the reader came to do."""

from __future__ import annotations

import re

import pytest
from generators import navigation
from mkdocs.config import load_config
from paths import DOCS, ROOT
from site_build import built_file

NAV = load_config(str(ROOT / "mkdocs.yml"))["nav"]
PAGES = navigation.pages(NAV)
HOME = "index.md"


def title_of(source: str) -> str:
    """A page's title as its first heading gives it, code marks removed, front matter skipped."""
    text = (DOCS / source).read_text()
    if text.startswith("---\n"):
        text = text[text.index("\n---\n", 4) + 5 :]
    return re.search(r"^# (.+)$", text, re.M)[1].replace("`", "").strip()


def test_every_page_is_listed_once():
    """Every page of docs/ (but the ledger's entries, listed from the ledger) is in the navigation once."""
    listed = [page.source for page in PAGES]
    assert len(listed) == len(set(listed))
    pages = {path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md")}
    assert set(listed) == {page for page in pages if not page.startswith("claims/")}


@pytest.mark.parametrize("page", [page for page in PAGES if page.source != HOME], ids=lambda p: p.source)
def test_a_label_is_its_pages_title(page):
    assert page.title == title_of(page.source)


def test_the_tabs_are_of_even_weight():
    """Learn, Layers, How-to and Reference each hold between two thirds and one and a half times
    the pages of the others; the home page stands alone."""
    tabs: dict[str, int] = {}
    for page in PAGES:
        if page.source != HOME:
            tabs[page.sections[0]] = tabs.get(page.sections[0], 0) + 1
    assert list(tabs) == ["Learn", "Layers", "How-to", "Reference"]
    assert max(tabs.values()) <= 1.5 * min(tabs.values()), tabs


def test_one_topic_sits_in_one_section():
    """Pages on one topic share a section: moving weights out of Keras, by hand or by command."""
    sections = {page.source: page.sections for page in PAGES}
    assert sections["pytorch.md"] == sections["porting.md"]
    assert sections["time-series-windows.md"] == sections["training.md"]


TASKS = {
    "forecast": ["time-series-windows.md", "training.md"],
    "classify text": ["text-input.md"],
    "translate": ["encoder-decoder.md"],
    "port": ["porting.md"],
    "deploy": ["saving-and-serving.md"],
    "fix an error": ["error-messages.md"],
    "use in CI": ["cli.md"],
    "how the site checks itself": ["proof.md"],
}


def test_the_home_page_starts_from_the_readers_goal(built_site):
    """The home page links each task a reader comes with, and leaves the proof to its own page."""
    home = built_file(built_site, DOCS / HOME).read_text()
    article = home[home.index("<article") : home.index("</article>")]
    for task, targets in TASKS.items():
        for target in targets:
            address = target.removesuffix(".md") + "/"
            assert f'href="{address}"' in article, f"the home page does not lead to {task} ({target})"
    text = re.sub(r"<[^>]+>", " ", article)
    assert "test suite" not in text and "ledger" not in text
