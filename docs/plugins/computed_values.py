"""MkDocs hook: numbers in a page's prose that code computes while the site builds.

A page writes ``{{ params("LSTM(4)", features=5) }}`` where its text states a measured value; the
build writes the value the expression gives (`generators.computed`) into the page as
``<span class="computed" data-expr="...">160</span>``, and the tests evaluate every ``data-expr``
of the built pages again. ``{{ `expr` }}`` writes the value in code font. Numbers that are not
measurements are listed in the page's front matter instead; see ``tests/test_prose_numbers.py``.
"""

from __future__ import annotations

import re

from generators.computed import VALUE, render

FENCE = re.compile(r"^ *(```|~~~)")


def on_page_markdown(markdown, page, config, files):
    """Write every ``{{ expr }}`` outside code blocks as the value the installed Keras gives."""
    lines, in_fence = markdown.split("\n"), False
    for number, line in enumerate(lines):
        if FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence:  # code blocks keep their braces
            lines[number] = VALUE.sub(render, line)
    return "\n".join(lines)
