"""The vanishing-gradients page's figure: how much gradient reaches each timestep.

An SVG chart with one line per layer: the size of the gradient
of ``sum(h_T)`` (a loss that reads only the last hidden state) with respect to each input ``x_t``,
divided by that of the last input, on a log scale, with a table of its numbers. The gradients come
from ``glossary.backprop`` while the site builds (``gradient_per_timestep`` of the page's claims
module, which FORGET-BIAS-ONE-KEEPS-GRADIENT reads too), in float64, on the initial weights of
Keras layers (seed 0); REFERENCE-GRADIENTS-MATCH-KERAS holds that backprop gives Keras's gradients.
"""

from __future__ import annotations

import math
from html import escape

from generators.charts import lines_with_legend

BATCH, TIMESTEPS, FEATURES, UNITS = 16, 100, 8, 32
SHOWN_TIMESTEPS = (1, 10, 25, 50, 75, 90, TIMESTEPS)
"""The rows of the table under the chart."""

WIDTH, HEIGHT = 700, 320
LEFT, RIGHT, TOP, BOTTOM = 64, 210, 16, 44
LAYERS = {
    # the layers of gradient_per_timestep, and how each is drawn: by dashes, not by colour alone
    "LSTM": None,
    "LSTM, forget bias 0": "2 4",
    "GRU": "9 5",
    "SimpleRNN": "12 4 2 4",
}


def relative_norms() -> dict[str, list[float]]:
    """For each layer: |d sum(h_T) / d x_t| / |d sum(h_T) / d x_T|, for t = 1 .. TIMESTEPS."""
    from glossary.claims.lstm_cell.vanishing_gradients import gradient_per_timestep

    computed = gradient_per_timestep(batch=BATCH, timesteps=TIMESTEPS, features=FEATURES, units=UNITS)
    return {name: [float(value) for value in values] for name, values in computed.items()}


def chart(norms: dict[str, list[float]]) -> str:
    """The SVG of ``norms``: one line per layer against the timestep, log scale, 1 at the top."""
    lowest = min(min(values) for values in norms.values())
    decades = max(1, math.ceil(-math.log10(lowest)))
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(timestep: int) -> float:
        return LEFT + (timestep - 1) / (TIMESTEPS - 1) * plot_width

    def y(value: float) -> float:
        return TOP + (-math.log10(value) / decades) * plot_height

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="gradient-norms-title gradient-norms-description" class="gradient-norms" '
        f'font-family="system-ui, sans-serif" font-size="13" fill="currentColor">',
        '<title id="gradient-norms-title">Gradient reaching each timestep, relative to the last</title>',
        f'<desc id="gradient-norms-description">{escape(summary(norms))}</desc>',
    ]
    step = max(1, math.ceil(decades / 6))
    for decade in range(0, decades + 1, step):
        level = TOP + decade / decades * plot_height
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_width}" y1="{level:.1f}" y2="{level:.1f}" '
            'stroke="currentColor" stroke-opacity="0.15"/>'
            f'<text x="{LEFT - 8}" y="{level + 4:.1f}" text-anchor="end">1e-{decade}</text>'
            if decade
            else f'<text x="{LEFT - 8}" y="{level + 4:.1f}" text-anchor="end">1</text>'
        )
    for timestep in (1, *range(TIMESTEPS // 4, TIMESTEPS + 1, TIMESTEPS // 4)):
        parts.append(
            f'<text x="{x(timestep):.1f}" y="{TOP + plot_height + 18}" text-anchor="middle">{timestep}</text>'
        )
    parts.append(
        f'<text x="{LEFT + plot_width / 2:.1f}" y="{HEIGHT - 6}" text-anchor="middle">timestep t</text>'
        f'<text transform="translate(16 {TOP + plot_height / 2:.1f}) rotate(-90)" text-anchor="middle">'
        "gradient at x_t / at the last x</text>"
    )
    drawn = {
        label: (label, [(x(t), y(value)) for t, value in enumerate(norms[label], start=1)], dashes)
        for label, dashes in LAYERS.items()
    }
    parts += lines_with_legend(drawn, legend_x=WIDTH - RIGHT + 16, legend_top=TOP + 14)
    parts.append("</svg>")
    return "".join(parts)


def summary(norms: dict[str, list[float]]) -> str:
    """The chart in words: what reaches the first timestep, relative to the last, for each layer."""
    return f"At the first of {TIMESTEPS} timesteps, relative to the last: " + "; ".join(
        f"{label} {values[0]:.0e}" for label, values in norms.items()
    )


def table(norms: dict[str, list[float]]) -> str:
    """A Markdown table of the chart's numbers at ``SHOWN_TIMESTEPS``."""
    rows = ["| timestep | " + " | ".join(norms) + " |", "| ---: " * (len(norms) + 1) + "|"]
    for timestep in SHOWN_TIMESTEPS:
        rows.append(
            f"| {timestep} | " + " | ".join(f"{values[timestep - 1]:.1e}" for values in norms.values()) + " |"
        )
    return "\n".join(rows)


def figure(norms: dict[str, list[float]]) -> str:
    """The chart of ``norms`` with its caption, and its numbers in a closed box below it."""
    return (
        # markdown="0": the chart's words (GRU, timestep) must not become the glossary's tooltips,
        # which SVG text cannot hold.
        f'<figure class="gradient-norms" markdown="0">\n{chart(norms)}\n'
        "<figcaption>How much of the gradient of a loss on the last hidden state reaches each "
        f"input, relative to the last input, for untrained layers of {UNITS} units on {TIMESTEPS} random "
        "timesteps: computed by this site's NumPy backward pass while the page was built."
        "</figcaption>\n</figure>\n\n"
        '??? info "The numbers of the chart"\n\n'
        + "\n".join(f"    {line}" for line in table(norms).splitlines())
    )
