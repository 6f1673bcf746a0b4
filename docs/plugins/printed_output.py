"""MkDocs hook: the ``#>`` lines of a code block, which show what the code printed, look like output.

Pygments reads them as comments, and comments are drawn in a muted colour, which would make the
site's evidence its least legible text. Each such comment gets the class ``printed``, which the
site's stylesheet draws in the code's own colour, upright, on a tinted band
(``docs/assets/stylesheets/extra.css``).
What a reader copies is unchanged: only the element's class differs.
"""

from __future__ import annotations

import re

PRINTED = re.compile(r'<span class="c1">(?=#&gt;)')


def on_page_content(html, page, config, files):
    """Mark every comment that starts with ``#>`` as printed output."""
    return PRINTED.sub('<span class="c1 printed">', html)
