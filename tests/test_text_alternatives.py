"""Every diagram and chart on a built page keeps a text alternative that says what it shows."""

from __future__ import annotations

from html.parser import HTMLParser

from paths import DOCS, PAGES, relative
from site_build import built_file

SAYS_SOMETHING = 20
"""Characters an alternative text needs at least: a sentence, not a file name or "diagram"."""


class Pictures(HTMLParser):
    """The images of a page's article, and its drawings that are not Material's icons."""

    def __init__(self):
        super().__init__()
        self.depth = 0  # inside <article> when positive
        self.pictures: list[tuple[str, str]] = []  # (what it is, its text alternative)
        self._svg: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "article":
            self.depth += 1
        if not self.depth:
            return
        if tag == "img":
            self.pictures.append((attributes.get("src", "?"), attributes.get("alt", "")))
        elif tag == "svg" and self._svg is None:
            self._svg = {"attributes": attributes, "text": []}
        elif self._svg is not None and tag in ("title", "desc"):
            self._svg["in"] = tag

    def handle_data(self, data):
        if self._svg is not None and self._svg.get("in"):
            self._svg["text"].append(data)

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth -= 1
        if self._svg is not None and tag in ("title", "desc"):
            self._svg["in"] = None
        if tag == "svg" and self._svg is not None:
            attributes = self._svg["attributes"]
            if attributes.get("role") == "img":  # a drawing that stands for content, not an icon
                said = attributes.get("aria-label", "") + " ".join(self._svg["text"])
                self.pictures.append((attributes.get("class", "an inline drawing"), said))
            self._svg = None


def test_every_picture_says_what_it_shows(built_site):
    """An image has an ``alt``; a drawing in the page (``role="img"``) a title, description or label."""
    pictures = 0
    for page in PAGES:
        parser = Pictures()
        parser.feed(built_file(built_site, page).read_text())
        for what, said in parser.pictures:
            pictures += 1
            assert len(" ".join(said.split())) >= SAYS_SOMETHING, f"{relative(page)}: {what} says {said!r}"
    diagrams = len(list((DOCS / "assets" / "diagrams").glob("*.svg")))
    assert pictures > diagrams  # each diagram, and the loss chart: none escaped the parser
