"""MkDocs hook: every page ends with its stamp and its links to report a problem and to edit it."""

from __future__ import annotations

from generators import build_context
from generators.page_stamp import stamp


def on_post_page(output, page, config):
    """End the page's article with its stamp (`generators.page_stamp`)."""
    context = build_context.of(config)
    if "</article>" not in output or context is None:
        return output
    at = output.rindex("</article>")
    return output[:at] + stamp(context, output, page) + output[at:]
