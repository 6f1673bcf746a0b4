r"""Text from files (a claims record, the matrix's records) as Markdown that shows exactly that text.

A recorded run is a file: its evidence, reasons and versions must not become HTML, links,
emphasis, math, lists or included files on a page. Its lines are joined (a line could start a
list, a rule or a ``--8<--`` include), control characters are written as escapes, HTML is
escaped, and Markdown's marks become character references: a backslash would not do, since a
backslash before a bracket opens math for arithmatex.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from glossary.terminal import printable

MARKDOWN_MARKS = re.compile(r"[\\`*_{}\[\]()#|$!~^=]")


def generated(source: str, markdown: str, *, searched: bool = True) -> str:
    """``markdown`` in an element that says the build wrote it from ``source``.

    The source is a claim's evidence, a record or the registry: the prose-number test reads such
    text as computed, not typed. What is not ``searched`` stays out of the site's search index
    (Material skips an element marked ``data-search-exclude``): the proof behind a page, which a
    reader's words should not find in place of the page's explanation.
    """
    excluded = "" if searched else ' data-search-exclude=""'
    return f'<div data-generated="{source}"{excluded} markdown>\n\n{markdown}\n\n</div>'


def expanded(markdown: str, marker: str, render: Callable[[], str], *, searched: bool = True) -> str:
    """``markdown`` with the line ``<!-- name -->`` replaced by what ``render`` writes, as `generated`.

    ``render`` runs only where the marker is: some run examples or read every claim.
    """
    if marker not in markdown:
        return markdown
    return markdown.replace(marker, generated(marker.strip("<!-> "), render(), searched=searched))


def shown_as_text(value) -> str:
    r"""Text read from a record, as Markdown that shows exactly that text, on one line.

    The text sits in a ``recorded`` span, which the site's KaTeX leaves alone
    (`docs/assets/javascripts/katex-init.js`): the browser turns the references back into ``\(``
    and ``\[``, which KaTeX would read as math.
    """
    return f'<span class="recorded">{escaped(value)}</span>'


def shown_as_code(value) -> str:
    """Text read from a record, in code font, as `shown_as_text` makes it.

    An HTML element, not a Markdown code span: md_in_html reads a ``</div>`` inside a code span
    as the end of the generated ``<div>`` around it, and this element's text holds no ``<``.
    """
    return f"<code>{escaped(value)}</code>"


def escaped(value) -> str:
    """``value`` as one line of escaped text: see `shown_as_text`."""
    text = printable(" ".join(str(value).split()), lines=False)
    return MARKDOWN_MARKS.sub(lambda mark: f"&#{ord(mark[0])};", html.escape(text, quote=False))
