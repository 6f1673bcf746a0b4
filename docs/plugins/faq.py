"""MkDocs hook: the FAQ page (``<!-- questions -->``), and on every page the questions it answers."""

from __future__ import annotations

from generators import build_context, faq
from generators.markup import expanded


def on_page_markdown(markdown, page, config, files):
    """List the questions a page answers after its first paragraph; expand the FAQ's list."""
    context = build_context.of(config)
    to_root = "../" * page.file.src_uri.count("/")
    markdown = faq.with_its_questions(markdown, page.file.src_uri)
    return expanded(markdown, "<!-- questions -->", lambda: faq.questions(context, to_root))
