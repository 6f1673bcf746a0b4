"""MkDocs hook: ``<!-- gradient-norms -->`` becomes the vanishing-gradients page's figure.

The chart and its table (`generators.gradient_chart`) come from gradients computed while the site builds.
"""

from __future__ import annotations

from generators import gradient_chart
from generators.markup import generated

MARKER = "<!-- gradient-norms -->"


def on_page_markdown(markdown, page, config, files):
    """Replace the marker with the chart and its table, from gradients computed now."""
    if MARKER not in markdown:
        return markdown
    figure = gradient_chart.figure(gradient_chart.relative_norms())
    return markdown.replace(MARKER, generated("gradient-norms", figure))
