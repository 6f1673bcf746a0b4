"""The training page's charts, drawn from a real run of its script.

The loss per epoch, training and validation, and the trained model's forecast for each window held
out for testing, against the reading that really followed it, each with a table of its numbers.
The numbers come from running the page's own script, ``snippets/tasks/train.py``: the charts show
what the code on the page does with the installed Keras. The script fixes its seeds; another
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

from mkdocs.exceptions import PluginError

from generators.charts import dots_with_legend, lines_with_legend

SCRIPT = Path(__file__).resolve().parents[3] / "snippets" / "tasks" / "train.py"

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 150, 16, 44
"""The plot area's margins: room for the loss axis's labels on the left and the legend on the right."""
SERIES = {
    # key in History.history: (label, dash pattern); the two lines differ in dashes, not in colour alone
    "loss": ("training", None),
    "val_loss": ("validation", "7 5"),
}


def run() -> dict:
    """Run the training page's script once; the names it defines (its model, data and results)."""
    tensorflow_log = logging.getLogger("tensorflow")
    level = tensorflow_log.level
    tensorflow_log.setLevel(logging.ERROR)  # after the claims' models, TensorFlow warns of "retracing"
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            return runpy.run_path(str(SCRIPT), run_name="__main__")
    except Exception as error:  # the build names the script and what went wrong, in one line
        raise PluginError(f"{SCRIPT.name}: {type(error).__name__}: {error}") from None
    finally:
        tensorflow_log.setLevel(level)


def losses(namespace: dict | None = None) -> dict[str, list[float]]:
    """The run's ``History.history``: each loss, one value per epoch."""
    namespace = run() if namespace is None else namespace
    return {key: [float(value) for value in namespace["history"].history[key]] for key in SERIES}


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


# ---------------------------------------------------------------------------------------------
# The forecast against the truth, over the windows held out for testing

TABLE_EVERY = 20
"""The table under the forecast chart shows every 20th held-out window, and the last."""
FORECAST_SERIES = {"forecast": ("forecast", None)}
"""The forecast, a solid line; the true readings are dots (``TRUTH``), told apart by shape."""
TRUTH = "true reading"


def forecasts(namespace: dict | None = None) -> dict[str, list]:
    """The run's forecast for each window held out for testing, from ``model.predict`` on the page.

    For each window: the step of the series it forecasts, the reading that followed the window,
    and the model's forecast of it.
    """
    namespace = run() if namespace is None else namespace
    held_out = len(namespace["x_test"])
    steps = namespace["starts"][-held_out:] + namespace["timesteps"]  # each target's place in the series
    return {
        "step": [int(step) for step in steps],
        "truth": [float(value) for value in namespace["y_test"]],
        "forecast": [float(value) for value in namespace["forecast"][:, 0]],
    }


def _value_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round values covering ``low`` to ``high``, from the one at or below ``low``."""
    ticks = _ticks(0.0, high - low, count)
    step = ticks[1] - ticks[0]
    first = math.floor(low / step) * step
    return [round(first + k * step, 12) for k in range(math.ceil((high - first) / step - 1e-9) + 1)]


def _minus(number: str) -> str:
    """A number as text with a minus sign, not a hyphen: -0.5 reads \N{MINUS SIGN}0.5."""
    return number.replace("-", "\N{MINUS SIGN}")


def forecast_chart(run: dict[str, list]) -> str:
    """The SVG of ``run``: the true readings as dots and the forecast as a line, against the step."""
    steps = run["step"]
    ticks = _value_ticks(min(run["truth"] + run["forecast"]), max(run["truth"] + run["forecast"]))
    low, high = ticks[0], ticks[-1]
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(step: int) -> float:
        return LEFT + (step - steps[0]) / max(steps[-1] - steps[0], 1) * plot_width

    def y(value: float) -> float:
        return TOP + (high - value) / (high - low) * plot_height

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="forecast-chart-title forecast-chart-description" class="forecast-chart" '
        f'font-family="system-ui, sans-serif" font-size="13" fill="currentColor" '
        'style="width: 100%; max-width: 42rem; height: auto">',
        '<title id="forecast-chart-title">Forecast and true reading of each held-out window</title>',
        f'<desc id="forecast-chart-description">{escape(forecast_summary(run))}</desc>',
    ]
    for tick in ticks:
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_width}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            'stroke="currentColor" stroke-opacity="0.15"/>'
            f'<text x="{LEFT - 8}" y="{y(tick) + 4:.1f}" text-anchor="end">{_minus(f"{tick:g}")}</text>'
        )
    for step in _ticks(steps[0], steps[-1], 6):
        if steps[0] <= step <= steps[-1]:
            parts.append(
                f'<text x="{x(step):.1f}" y="{TOP + plot_height + 18}" text-anchor="middle">{step:g}</text>'
            )
    parts.append(
        f'<text x="{LEFT + plot_width / 2:.1f}" y="{HEIGHT - 6}" text-anchor="middle">'
        "step of the series</text>"
        f'<text transform="translate(16 {TOP + plot_height / 2:.1f}) rotate(-90)" text-anchor="middle">'
        "reading</text>"
    )
    legend_x, legend_top = WIDTH - RIGHT + 16, TOP + 14
    parts += dots_with_legend(
        "truth", TRUTH, [(x(step), y(value)) for step, value in zip(steps, run["truth"], strict=True)],
        legend_x=legend_x, legend_y=legend_top + 24,
    )  # fmt: skip
    drawn = {
        key: (label, [(x(step), y(value)) for step, value in zip(steps, run[key], strict=True)], dashes)
        for key, (label, dashes) in FORECAST_SERIES.items()
    }
    parts += lines_with_legend(drawn, legend_x=legend_x, legend_top=legend_top)
    parts.append("</svg>")
    return "".join(parts)


def forecast_summary(run: dict[str, list]) -> str:
    """The forecast chart in words: how many windows, which steps, and how far off the forecasts are."""
    errors = [forecast - truth for forecast, truth in zip(run["forecast"], run["truth"], strict=True)]
    return (
        f"The forecasts for the {len(errors)} windows held out for testing, steps {run['step'][0]} to "
        f"{run['step'][-1]} of the series, follow the wave of the true readings: mean squared error "
        f"{sum(error * error for error in errors) / len(errors):.4f}, largest miss "
        f"{max(abs(error) for error in errors):.4f}"
    )


def forecast_table(run: dict[str, list]) -> str:
    """Every ``TABLE_EVERY``-th row of ``run``, and its last, as a Markdown table."""
    rows = ["| step | true reading | forecast | error |", "| ---: | ---: | ---: | ---: |"]
    shown = sorted({*range(0, len(run["step"]), TABLE_EVERY), len(run["step"]) - 1})
    for index in shown:
        truth, forecast = run["truth"][index], run["forecast"][index]
        rows.append(
            f"| {run['step'][index]} | "
            + " | ".join(_minus(f"{value:.4f}") for value in (truth, forecast, forecast - truth))
            + " |"
        )
    return "\n".join(rows)


def loss_figure(history: dict[str, list[float]]) -> str:
    """The loss chart with its caption, and its numbers in a closed box below it."""
    return (
        f'<figure class="loss-curve" markdown>\n{chart(history)}\n'
        "<figcaption>The loss of each epoch of the run above: on the training windows, the mean "
        "over the epoch's batches while the weights changed; on the windows held out for "
        "validation, after the epoch.</figcaption>\n</figure>\n\n"
        f'??? info "The numbers of the chart"\n\n'
        + "\n".join(f"    {line}" for line in table(history).splitlines())
    )


def forecast_figure(run: dict[str, list]) -> str:
    """The forecast chart with its caption, and some of its numbers in a closed box below it."""
    # markdown="0": the chart's words must not become the glossary's tooltips, which SVG text cannot hold.
    return (
        f'<figure class="forecast-chart" markdown="0" style="width: 100%">\n{forecast_chart(run)}\n'
        "<figcaption>The same run's model on the windows it never trained on: a dot for the reading "
        "that really came next, the line for what <code>predict</code> forecast from the window before "
        "it. The forecast follows the wave; the noise around it is what no forecast can "
        "learn.</figcaption>\n</figure>\n\n"
        '??? info "The numbers of the forecast chart"\n\n'
        + "\n".join(f"    {line}" for line in forecast_table(run).splitlines())
    )
