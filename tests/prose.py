"""The numbers a reader sees in a built page's prose, and what each one rests on.

Read from the built HTML: the article's text, with image descriptions, outside code blocks (which
``test_copies`` runs). A number there is accounted for in one of three ways:

- **computed**: the build wrote it from code (``docs/plugins/computed_values.py``), inside a
  ``<span class="computed" data-expr="...">``; its expression is evaluated again by the tests;
- **generated**: it stands in an element with a ``data-generated`` source listed in ``COMPUTED``,
  or in the API reference that mkdocstrings draws from the package's code;
- **not a measurement**: the page's front matter lists, under ``numbers:``, a phrase of the page
  that holds it, with the reason (a chosen size, notation, a citation, a version's name).

Anything else is a typed number that nothing checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import yaml

NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?:e-?\d+)?(?![\w])")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
COMPUTED = {
    "claim",
    "correction",
    "claims-ledger",
    "claims-of",
    "questions-answered",
    "stamp",
    "compatibility",
    "release-history",
    "corrections",
    "set-up",
    "ordinal",
    "loss-curve",
    "gradient-norms",
    "error-message",
    "port-map",
    "port-versions",
}
"""``data-generated`` sources whose numbers the build computed: a claim's statement and evidence
(its check decides the one and measures the other), a common mistake with its correction (two
claims' statements), the records of the claims' runs, a block's
set-up (cut from the file it copies), the numbering of a list, an error message a check caught,
the porting map (the converters' layout data, which their tests run) and the pinned versions
(pyproject.toml, which tests/test_port_map.py holds to what is installed and tested)."""
SKIPPED_TAGS = {"pre", "script", "style"}
NAMES = {
    "Keras 2": "the name of a major version (tf-keras today)",
    "Keras 3": "the name of a major version",
    "TensorFlow 2": "the name of a major version",
}
"""Phrases that hold a number on any page without being a measurement: names, with the reason."""


@dataclass
class PageText:
    text: str = ""  # the prose, whitespace collapsed, numbers to account for
    computed: list[tuple[str, str]] = field(default_factory=list)  # (expression, text shown)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.open: list[tuple[str, bool, bool, bool]] = []  # tag, in the article, skipped, computed
        self.parts: list[str] = []
        self.computed: list[tuple[str, str]] = []
        self.value: list[str] | None = None  # the text of the computed value being read

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        inside = (self.open[-1][1] if self.open else False) or tag == "article"
        skipped = (self.open[-1][2] if self.open else False) or (
            tag in SKIPPED_TAGS
            or attributes.get("data-generated") in COMPUTED
            or "doc" in classes  # mkdocstrings: the package's own signatures and docstrings
            or "headerlink" in classes
        )
        computed = inside and not skipped and "computed" in classes
        if computed:
            self.value = [attributes.get("data-expr") or ""]
            self.parts.append(" ")
        if tag == "img" and inside and not skipped:
            self.parts.append(f" {attributes.get('alt') or ''} ")
        if tag not in VOID:
            self.open.append((tag, inside, skipped or computed, computed))

    def handle_endtag(self, tag):
        if tag not in (open_tag for open_tag, *_ in self.open):
            return  # a stray end tag closes nothing
        while self.open:
            closed, _, _, computed = self.open.pop()
            if computed:
                expression, *text = self.value
                self.computed.append((expression, "".join(text)))
                self.value = None
            if closed == tag:
                break

    def handle_data(self, data):
        if self.value is not None:
            self.value.append(data)
        elif self.open and self.open[-1][1] and not self.open[-1][2]:
            self.parts.append(data)


def page_text(html: str) -> PageText:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return PageText(re.sub(r"\s+", " ", "".join(reader.parts)), reader.computed)


def front_matter(markdown: str) -> dict:
    if not markdown.startswith("---\n"):
        return {}
    return yaml.safe_load(markdown[4 : markdown.index("\n---\n", 4)]) or {}


def normalised(phrase: str) -> str:
    return re.sub(r"\s+", " ", phrase.strip())


def unaccounted(text: str, phrases: dict[str, str]) -> list[str]:
    """Each number of ``text`` that no listed phrase covers, with the words around it."""
    covered = []
    for phrase in {**NAMES, **phrases}:
        covered += [(m.start(), m.end()) for m in re.finditer(re.escape(normalised(phrase)), text)]
    found = []
    for number in NUMBER.finditer(text):
        if not any(start <= number.start() and number.end() <= end for start, end in covered):
            found.append(f"{number.group()!r} in …{text[max(0, number.start() - 40) : number.end() + 30]}…")
    return found


def unused(text: str, phrases: dict[str, str]) -> list[str]:
    return [phrase for phrase in phrases if normalised(phrase) not in text]
