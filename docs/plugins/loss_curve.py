"""MkDocs hook: the training page's charts (`generators.training_charts`), from a run made now.

``<!-- loss-curve -->`` becomes the chart of the loss per epoch, ``<!-- forecast-chart -->`` that of
the trained model's forecast; both from one run of the page's script.
"""

from __future__ import annotations

from generators import training_charts
from generators.markup import generated

MARKER = "<!-- loss-curve -->"
FORECAST_MARKER = "<!-- forecast-chart -->"


def on_page_markdown(markdown, page, config, files):
    """Replace the markers with the charts and their tables, from one run of the script made now."""
    if MARKER not in markdown and FORECAST_MARKER not in markdown:
        return markdown
    namespace = training_charts.run()
    if MARKER in markdown:
        figure = training_charts.loss_figure(training_charts.losses(namespace))
        markdown = markdown.replace(MARKER, generated("loss-curve", figure))
    if FORECAST_MARKER in markdown:
        figure = training_charts.forecast_figure(training_charts.forecasts(namespace))
        markdown = markdown.replace(FORECAST_MARKER, generated("loss-curve", figure))
    return markdown
