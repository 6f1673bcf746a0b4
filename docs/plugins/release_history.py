"""MkDocs hook: the page of what changed, release by release, from the release grid's records.

``<!-- release-history -->`` becomes the page, and ``<!-- release-grid-runs -->`` the sentence
saying which releases the grid ran (`generators.release_history`).
"""

from __future__ import annotations

from generators.markup import generated
from generators.release_history import grid_runs_sentence, render

MARKER = "<!-- release-history -->"
GRID_MARKER = "<!-- release-grid-runs -->"


def on_page_markdown(markdown, page, config, files):
    """Expand the release-history page's marker, and the grid's sentence where a page has it."""
    to_root = "../" * page.file.src_uri.count("/")
    if GRID_MARKER in markdown:
        markdown = markdown.replace(GRID_MARKER, generated("release-history", grid_runs_sentence(to_root)))
    if MARKER in markdown:
        markdown = markdown.replace(MARKER, generated("release-history", render(to_root), searched=False))
    return markdown
