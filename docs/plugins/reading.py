r"""MkDocs hook: a page's HTML made lighter to read and to search.

- A glossary term carries its tooltip (an ``<abbr>``, from Markdown's abbreviations) the first
  time each section of a page uses it; its later uses in the section are plain words. Every use
  underlined made a page of dotted lines.
- Math stays out of the search index: a result's snippet showed its TeX source, ``\(h_t\)``.
"""

from __future__ import annotations

import re

SECTION_START = re.compile(r"(?=<h[12][ >])")
"""Where a section of a page begins: its title, or one of its headings of the second level."""
TERM = re.compile(r'<abbr title="(?P<definition>[^"]*)">(?P<words>.*?)</abbr>', re.S)
MATH = re.compile(r'<(?P<tag>span|div) class="arithmatex">')


def on_page_content(html, page, config, files):
    """Each term's tooltip once per section; math marked for the search index to skip."""
    html = "".join(_first_uses(section) for section in SECTION_START.split(html))
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
