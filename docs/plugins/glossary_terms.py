"""MkDocs hook: the term registry on the pages.

``<!-- glossary-terms -->`` and ``<!-- crosswalk -->`` become the glossary and the crosswalk, and
every page gets a tooltip on each use of a term (Markdown abbreviations).
"""

from __future__ import annotations

from generators import terms
from generators.markup import expanded


def on_page_markdown(markdown, page, config, files):
    """Expand the glossary and the crosswalk where a page asks for them; add the terms' tooltips."""
    to_root = "../" * page.file.src_uri.count("/")
    markdown = expanded(markdown, "<!-- glossary-terms -->", lambda: terms.glossary(to_root))
    markdown = expanded(markdown, "<!-- crosswalk -->", lambda: terms.crosswalk(to_root))
    return markdown + "\n\n" + terms.abbreviations()
