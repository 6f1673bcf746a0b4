"""The drawing primitives of the site's diagrams: SVG text written by hand, and its palette.

Not a hook: the figure modules (``figures_cell.py``, ``figures_layers.py``) draw with it, and
``diagrams.py`` writes what they draw. Every figure is a light card (legible on the light and the
dark scheme alike), its numbers written as short fixed text, so a drawing is the same byte for byte
on every run.
"""

from __future__ import annotations

import re
from html import escape

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
MONO = "ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace"
INK = "#1f2430"
MUTED = "#5d6475"
BACKGROUND = "#ffffff"
FRAME = "#d5d9e0"
CELL_FILL = "#f4f6fa"
INPUT = "#1b7a3d"  # x_t
HIDDEN = "#1d5fd1"  # h_t
CELL = "#b45309"  # c_t
WEIGHT = "#7c3aed"  # kernels and biases
BACKWARD = "#a3206a"  # a layer that reads the timesteps last to first
FILL = {INPUT: "#dcf3e3", HIDDEN: "#dde8fc", CELL: "#fdebd3", WEIGHT: "#ece3fd", BACKWARD: "#f9dfee"}
SIGMOID_FILL = "#fff1d6"
TANH_FILL = "#e3f0fb"
SIGMA, TIMES = "\N{GREEK SMALL LETTER SIGMA}", "\N{MULTIPLICATION SIGN}"


# ---------------------------------------------------------------------------------------------
# SVG text, built by hand


def _num(value: float) -> str:
    """A coordinate as short, fixed text: 12, 12.5, never 12.500000001."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def tag(name: str, attributes: dict, content: str | None = None) -> str:
    """One element; ``stroke_width`` becomes ``stroke-width``, ``None`` values are left out."""
    parts = [name]
    for key, value in attributes.items():
        if value is None:
            continue
        text = _num(value) if isinstance(value, int | float) else escape(str(value))
        parts.append(f'{key.replace("_", "-")}="{text}"')
    opening = " ".join(parts)
    return f"<{opening}/>" if content is None else f"<{opening}>{content}</{name}>"


_SUBSCRIPT = re.compile(r"_\{([^}]*)\}|_(\w)(?!\w)")
"""``_{t-1}``, or ``_`` and one character ending a word: ``W_f`` but not ``recurrent_kernel``."""


def _rich(label: str, size: float) -> str:
    """Text with subscripts: ``h_{t-1}`` or ``W_f`` become tspans shifted down and back up.

    A hyphen in a subscript is drawn as a minus sign: ``t-1`` reads t\N{MINUS SIGN}1.
    """
    drop = round(size * 0.3, 1)
    parts, position, lowered = [], 0, False

    def plain(text: str) -> None:
        nonlocal lowered
        if text and lowered:  # back up to the baseline after a subscript
            parts.append(f'<tspan dy="{_num(-drop)}">{escape(text)}</tspan>')
            lowered = False
        elif text:
            parts.append(escape(text))

    for match in _SUBSCRIPT.finditer(label):
        plain(label[position : match.start()])
        subscript = (match.group(1) or match.group(2)).replace("-", "\N{MINUS SIGN}")
        shift = 0 if lowered else drop
        parts.append(f'<tspan dy="{_num(shift)}" font-size="{_num(size * 0.72)}">{escape(subscript)}</tspan>')
        lowered, position = True, match.end()
    plain(label[position:])
    return "".join(parts)


def shape_label(shape: tuple[int, ...], batch_axis: bool = False) -> str:
    """A shape as Python prints it, with axis 0 named ``batch`` where the batch size is free."""
    axes = ["batch" if batch_axis and axis == 0 else str(size) for axis, size in enumerate(shape)]
    return f"({', '.join(axes)}{',' if len(axes) == 1 else ''})"


class Figure:
    """An SVG drawing: a light card with elements added in order, and arrowheads per colour."""

    def __init__(self, width: int, height: int, title: str):
        """Start an empty drawing of ``width`` by ``height`` pixels with an accessible ``title``."""
        self.width, self.height, self.title = width, height, title
        self.elements: list[str] = []
        self.markers: dict[str, str] = {}

    def add(self, element: str) -> None:
        """Append an SVG element, drawn above the ones added before it."""
        self.elements.append(element)

    def rect(self, x, y, width, height, fill, stroke=INK, radius=0, **attributes):
        """Draw a rectangle, rounded by ``radius``."""
        self.add(
            tag(
                "rect",
                {"x": x, "y": y, "width": width, "height": height, "rx": radius or None, "fill": fill}
                | {"stroke": stroke, "stroke_width": 1.25}
                | attributes,
            )
        )

    def circle(self, cx, cy, r, fill, stroke=INK, **attributes):
        """Draw a circle."""
        self.add(tag("circle", {"cx": cx, "cy": cy, "r": r, "fill": fill, "stroke": stroke} | attributes))

    def line(self, x1, y1, x2, y2, color=INK, width=1.75, arrow=False, dashed=False, **attributes):
        """Draw a straight line, with an arrowhead at its end if ``arrow``, dashed if ``dashed``."""
        points = {"x1": x1, "y1": y1, "x2": x2, "y2": y2}
        self.add(tag("line", points | self._stroke(color, width, arrow, dashed) | attributes))

    def path(self, points, color=INK, width=1.75, arrow=False, dashed=False, **attributes):
        """A line through ``(x, y)`` points; a string item is a path command kept as written (a curve)."""
        commands = []
        for index, point in enumerate(points):
            if isinstance(point, str):
                commands.append(point)
            else:
                commands.append(("M" if index == 0 else "L") + f"{_num(point[0])} {_num(point[1])}")
        style = {"fill": "none"} | self._stroke(color, width, arrow, dashed)
        self.add(tag("path", {"d": " ".join(commands)} | style | attributes))

    def text(
        self,
        x,
        y,
        label,
        size=14,
        anchor="middle",
        color=INK,
        weight=None,
        family=None,
        subscripts=True,
        **attributes,
    ):
        """Write ``label`` at (``x``, ``y``), anchored by ``anchor``.

        ``h_t`` is drawn with a subscript unless ``subscripts`` is false: for a Python name such as
        ``state_h``, written as it is typed.
        """
        style = {"x": x, "y": y, "font-size": size, "text-anchor": anchor, "fill": color}
        extra = {"font-weight": weight, "font-family": family} | attributes
        self.add(tag("text", style | extra, _rich(label, size) if subscripts else escape(label)))

    def _stroke(self, color, width, arrow, dashed) -> dict:
        attributes = {"stroke": color, "stroke_width": width, "stroke-dasharray": "5 4" if dashed else None}
        if arrow:
            self.markers.setdefault(color, f"arrow-{color.lstrip('#')}")
            attributes["marker-end"] = f"url(#{self.markers[color]})"
        return attributes

    def svg(self) -> str:
        """The finished drawing as SVG text, its arrowhead markers defined first."""
        markers = [
            f'<marker id="{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
            f'markerHeight="7" markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
            f'<path d="M0 0 L10 5 L0 10 z" fill="{color}"/></marker>'
            for color, name in self.markers.items()
        ]
        card = tag(
            "rect",
            {"x": 0.5, "y": 0.5, "width": self.width - 1, "height": self.height - 1, "rx": 12}
            | {"fill": BACKGROUND, "stroke": FRAME},
        )
        head = [f"<title>{escape(self.title)}</title>", f"<defs>{''.join(markers)}</defs>", card]
        body = "\n".join(["", *head, *self.elements, ""])
        size = {"width": self.width, "height": self.height, "viewBox": f"0 0 {self.width} {self.height}"}
        attributes = {"xmlns": "http://www.w3.org/2000/svg"} | size | {"role": "img", "font-family": FONT}
        return tag("svg", attributes, body) + "\n"
