r"""MkDocs hook: a page's HTML made lighter to read and to search.

- A glossary term carries its tooltip (an ``<abbr>``, from Markdown's abbreviations) the first
  time each section of a page uses it outside a heading; its other uses are plain words, not
  a page of dotted underlines.
- Math stays out of the search index, whose snippets would show its TeX source, ``\(h_t\)``.
- A diagram is a link to itself, full size: on a phone, where it is drawn too small to read, it
  opens alone to be zoomed, and it keeps a readable width in a box that scrolls sideways
  (``docs/assets/stylesheets/proof.css``).
"""

from __future__ import annotations

import re

SECTION_START = re.compile(r"(?=<h[12][ >])")
"""Where a section of a page begins: its title, or one of its headings of the second level."""
TERM = re.compile(r'<abbr title="(?P<definition>[^"]*)">(?P<words>.*?)</abbr>', re.S)
MATH = re.compile(r'<(?P<tag>span|div) class="arithmatex">')
HEADING = re.compile(r"<h(?P<level>[1-6])\b.*?</h(?P=level)>", re.S)
DIAGRAM = re.compile(r'<img alt="(?P<alt>[^"]*)" src="(?P<src>[^"]*assets/diagrams/[^"]+\.svg)" ?/?>')


def on_page_content(html, page, config, files):
    """Each term's tooltip once per section; math marked for the search index to skip."""
    html = HEADING.sub(lambda heading: TERM.sub(r"\g<words>", heading[0]), html)
    html = "".join(_first_uses(section) for section in SECTION_START.split(html))
    html = DIAGRAM.sub(
        r'<a class="diagram" href="\g<src>" title="Open the diagram on its own, full size">\g<0></a>', html
    )
    return MATH.sub(r'<\g<tag> class="arithmatex" data-search-exclude="">', html)


def _first_uses(section: str) -> str:
    """``section`` with every use of a term after its first made plain words."""
    seen: set[str] = set()

    def once(use: re.Match) -> str:
        if use["definition"] in seen:
            return use["words"]
        seen.add(use["definition"])
        return use[0]

    return TERM.sub(once, section)
