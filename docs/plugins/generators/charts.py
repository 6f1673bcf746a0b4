"""What the site's build-time charts (``loss_curve.py``, ``gradient_norms.py``) draw alike.

Not a hook: the two hooks import it. Each series is a line told apart by its dashes, or a row of
dots, not by colour alone, in ``currentColor`` (legible in both schemes), with its label in a legend.
"""

from __future__ import annotations

from html import escape


def lines_with_legend(
    series: dict[str, tuple[str, list[tuple[float, float]], str | None]], legend_x: float, legend_top: float
) -> list[str]:
    """SVG elements for ``series``: key -> (label, points, dash pattern or None), and the legend."""
    parts = []
    for row, (key, (label, points, dashes)) in enumerate(series.items()):
        drawn = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        dash = f' stroke-dasharray="{dashes}"' if dashes else ""
        parts.append(
            f'<polyline data-series="{escape(key)}" points="{drawn}" fill="none" stroke="currentColor" '
            f'stroke-width="2.5"{dash}/>'
        )
        legend_y = legend_top + 24 * row
        parts.append(
            f'<line x1="{legend_x}" x2="{legend_x + 36}" y1="{legend_y - 4}" y2="{legend_y - 4}" '
            f'stroke="currentColor" stroke-width="2.5"{dash}/>'
            f'<text x="{legend_x + 44}" y="{legend_y}">{escape(label)}</text>'
        )
    return parts


def dots_with_legend(
    key: str,
    label: str,
    points: list[tuple[float, float]],
    legend_x: float,
    legend_y: float,
    radius: float = 2,
) -> list[str]:
    """SVG elements for one series drawn as a dot per point (a group marked ``key``), and its legend."""
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}"/>' for x, y in points)
    return [
        f'<g data-series="{escape(key)}" fill="currentColor" fill-opacity="0.55">{dots}</g>',
        f'<circle cx="{legend_x + 18}" cy="{legend_y - 4}" r="{radius + 1}" fill="currentColor" '
        'fill-opacity="0.55"/>'
        f'<text x="{legend_x + 44}" y="{legend_y}">{escape(label)}</text>',
    ]
