"""MkDocs hook: the training page's loss curve, drawn from a real run while the site builds.

``<!-- loss-curve -->`` on a page becomes an SVG chart of the loss per epoch, training and
validation, with the table of its numbers below it. The numbers come from running the page's own
script, ``snippets/tasks/train.py``, during the build: the chart shows what the code on the page
does with the installed Keras, not a picture made once. The script fixes its seeds; another
machine may still round differently, which is why the page states inequalities, not these values.
"""

from __future__ import annotations

import contextlib
import io
import logging
import math
import runpy
from html import escape
from pathlib import Path

from charts import lines_with_legend
from glossary_site import generated
from mkdocs.exceptions import PluginError

MARKER = "<!-- loss-curve -->"
SCRIPT = Path(__file__).resolve().parents[2] / "snippets" / "tasks" / "train.py"

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 150, 16, 44
"""The plot area's margins: room for the loss axis's labels on the left and the legend on the right."""
SERIES = {
    # key in History.history: (label, dash pattern); the two lines differ in dashes, not in colour alone
    "loss": ("training", None),
    "val_loss": ("validation", "7 5"),
}


def losses() -> dict[str, list[float]]:
    """Run the training page's script; its ``History.history``: each loss, one value per epoch."""
    tensorflow_log = logging.getLogger("tensorflow")
    level = tensorflow_log.level
    tensorflow_log.setLevel(logging.ERROR)  # after the claims' models, TensorFlow warns of "retracing"
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            namespace = runpy.run_path(str(SCRIPT), run_name="__main__")
        return {key: [float(value) for value in namespace["history"].history[key]] for key in SERIES}
    except Exception as error:  # the build names the script and what went wrong, in one line
        raise PluginError(f"{SCRIPT.name}: {type(error).__name__}: {error}") from None
    finally:
        tensorflow_log.setLevel(level)


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About ``count`` round values from ``low`` to ``high``: steps of 1, 2 or 5 times a power of ten."""
    rough = (high - low) / count
    power = 10 ** math.floor(math.log10(rough))
    step = min((m * power for m in (1, 2, 5, 10) if m * power >= rough), default=10 * power)
    first = -(-low // step) * step
    return [round(first + k * step, 12) for k in range(int((high - first) / step + 1e-9) + 1)]


def chart(history: dict[str, list[float]]) -> str:
    """The SVG of ``history``: loss against epoch, one line per series, starting the loss axis at 0."""
    epochs = len(history["loss"])
    top_value = max(max(values) for values in history.values())
    ticks = _ticks(0.0, top_value)
    ceiling = max(top_value, ticks[-1])
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(epoch: int) -> float:
        return LEFT + (epoch - 1) / max(epochs - 1, 1) * plot_width

    def y(value: float) -> float:
        return TOP + (1 - value / ceiling) * plot_height

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="loss-curve-title loss-curve-description" class="loss-curve" '
        f'font-family="system-ui, sans-serif" font-size="13" fill="currentColor">',
        '<title id="loss-curve-title">Loss per epoch, training and validation</title>',
        f'<desc id="loss-curve-description">{escape(_summary(history))}</desc>',
    ]
    for tick in ticks:
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_width}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            'stroke="currentColor" stroke-opacity="0.15"/>'
            f'<text x="{LEFT - 8}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick:g}</text>'
        )
    for epoch in range(1, epochs + 1):
        parts.append(
            f'<text x="{x(epoch):.1f}" y="{TOP + plot_height + 18}" text-anchor="middle">{epoch}</text>'
        )
    parts.append(
        f'<text x="{LEFT + plot_width / 2:.1f}" y="{HEIGHT - 6}" text-anchor="middle">epoch</text>'
        f'<text transform="translate(16 {TOP + plot_height / 2:.1f}) rotate(-90)" text-anchor="middle">'
        "loss (mean squared error)</text>"
    )
    drawn = {
        key: (label, [(x(epoch), y(value)) for epoch, value in enumerate(history[key], 1)], dashes)
        for key, (label, dashes) in SERIES.items()
    }
    parts += lines_with_legend(drawn, legend_x=WIDTH - RIGHT + 16, legend_top=TOP + 14)
    parts.append("</svg>")
    return "".join(parts)


def _summary(history: dict[str, list[float]]) -> str:
    return "; ".join(
        f"{label} loss {values[0]:.4f} after epoch 1, {values[-1]:.4f} after epoch {len(values)}"
        for (label, _), values in zip(SERIES.values(), history.values(), strict=True)
    )


def table(history: dict[str, list[float]]) -> str:
    """The numbers of the chart as a Markdown table, one row per epoch."""
    header = "| epoch | " + " | ".join(f"{label} loss" for label, _ in SERIES.values()) + " |"
    rows = [header, "| ---: " * (len(SERIES) + 1) + "|"]
    for epoch, values in enumerate(zip(*history.values(), strict=True), start=1):
        rows.append(f"| {epoch} | " + " | ".join(f"{value:.4f}" for value in values) + " |")
    return "\n".join(rows)


def on_page_markdown(markdown, page, config, files):
    """Replace the marker with the chart and its table, from a run made now."""
    if MARKER not in markdown:
        return markdown
    history = losses()
    figure = (
        f'<figure class="loss-curve" markdown>\n{chart(history)}\n'
        "<figcaption>The loss of each epoch of the run above: on the training windows, the mean "
        "over the epoch's batches while the weights changed; on the windows held out for "
        "validation, after the epoch.</figcaption>\n</figure>\n\n"
        f'??? info "The numbers of the chart"\n\n'
        + "\n".join(f"    {line}" for line in table(history).splitlines())
    )
    return markdown.replace(MARKER, generated("loss-curve", figure))
