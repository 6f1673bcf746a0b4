"""The site's diagrams, drawn as SVG from real arrays.

Every size a figure shows (how many timesteps, how many cells in a matrix, how many weight lines
between two layers of neurons, the shapes of a stack's outputs) is read from the ``.shape`` or
``.size`` of a NumPy array built with `glossary.shapes.weight_shapes` and run through
`glossary.reference`, so a drawing cannot disagree with the shapes it labels. The tests read the
labels back and compare them with Keras.

Run ``python docs/plugins/diagrams.py`` to write the figures into ``docs/assets/diagrams/``. The
output is the same, byte for byte, on every run.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

import numpy as np

from glossary.files import write_atomically
from glossary.reference import LSTM_GATES, lstm
from glossary.shapes import weight_shapes

FEATURES, UNITS, BATCH = 5, 4, 3
"""The running example of the pages: 5 features, 4 units, a batch of 3 sequences."""
UNROLLED_TIMESTEPS = 4
"""How many timesteps the unrolled chain is drawn with."""
STACK_TIMESTEPS = 7
STACK_UNITS = (8, 6, 4)
"""The stack of `docs/stacked-layers.md`: ``LSTM(8)``, ``LSTM(6)``, ``LSTM(4)`` over 7 timesteps."""

OUTPUT_DIR = Path(__file__).resolve().parent.parent / "assets" / "diagrams"

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
FILL = {INPUT: "#dcf3e3", HIDDEN: "#dde8fc", CELL: "#fdebd3", WEIGHT: "#ece3fd"}
SIGMOID_FILL = "#fff1d6"
TANH_FILL = "#e3f0fb"
SIGMA, TIMES = "\N{GREEK SMALL LETTER SIGMA}", "\N{MULTIPLICATION SIGN}"


# ---------------------------------------------------------------------------------------------
# SVG text, built by hand


def _num(value: float) -> str:
    """A coordinate as short, fixed text: 12, 12.5, never 12.500000001."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _tag(name: str, attributes: dict, content: str | None = None) -> str:
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


def _shape(shape: tuple[int, ...], batch_axis: bool = False) -> str:
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
            _tag(
                "rect",
                {"x": x, "y": y, "width": width, "height": height, "rx": radius or None, "fill": fill}
                | {"stroke": stroke, "stroke_width": 1.25}
                | attributes,
            )
        )

    def circle(self, cx, cy, r, fill, stroke=INK, **attributes):
        """Draw a circle."""
        self.add(_tag("circle", {"cx": cx, "cy": cy, "r": r, "fill": fill, "stroke": stroke} | attributes))

    def line(self, x1, y1, x2, y2, color=INK, width=1.75, arrow=False, dashed=False, **attributes):
        """Draw a straight line, with an arrowhead at its end if ``arrow``, dashed if ``dashed``."""
        points = {"x1": x1, "y1": y1, "x2": x2, "y2": y2}
        self.add(_tag("line", points | self._stroke(color, width, arrow, dashed) | attributes))

    def path(self, points, color=INK, width=1.75, arrow=False, dashed=False, **attributes):
        """A line through ``(x, y)`` points; a string item is a path command kept as written (a curve)."""
        commands = []
        for index, point in enumerate(points):
            if isinstance(point, str):
                commands.append(point)
            else:
                commands.append(("M" if index == 0 else "L") + f"{_num(point[0])} {_num(point[1])}")
        style = {"fill": "none"} | self._stroke(color, width, arrow, dashed)
        self.add(_tag("path", {"d": " ".join(commands)} | style | attributes))

    def text(self, x, y, label, size=14, anchor="middle", color=INK, weight=None, family=None, **attributes):
        """Write ``label`` at (``x``, ``y``), anchored by ``anchor``."""
        style = {"x": x, "y": y, "font-size": size, "text-anchor": anchor, "fill": color}
        extra = {"font-weight": weight, "font-family": family} | attributes
        self.add(_tag("text", style | extra, _rich(label, size)))

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
        card = _tag(
            "rect",
            {"x": 0.5, "y": 0.5, "width": self.width - 1, "height": self.height - 1, "rx": 12}
            | {"fill": BACKGROUND, "stroke": FRAME},
        )
        head = [f"<title>{escape(self.title)}</title>", f"<defs>{''.join(markers)}</defs>", card]
        body = "\n".join(["", *head, *self.elements, ""])
        size = {"width": self.width, "height": self.height, "viewBox": f"0 0 {self.width} {self.height}"}
        attributes = {"xmlns": "http://www.w3.org/2000/svg"} | size | {"role": "img", "font-family": FONT}
        return _tag("svg", attributes, body) + "\n"


# ---------------------------------------------------------------------------------------------
# The arrays the figures are drawn from


def lstm_weights(features: int, units: int) -> list[np.ndarray]:
    """Zero weights of ``LSTM(units)`` on ``features`` inputs, in the shapes Keras gives them."""
    return [np.zeros(shape, "float32") for shape in weight_shapes("LSTM", features, units).values()]


def forget_gate_blocks(features: int = FEATURES, units: int = UNITS) -> dict[str, np.ndarray]:
    """The forget gate's share of each packed weight array: W_f, U_f and b_f."""
    forget = LSTM_GATES.index("forget_gate")
    kernel, recurrent_kernel, bias = lstm_weights(features, units)
    return {
        "W_f": np.split(kernel, 4, axis=1)[forget],  # (features, units)
        "U_f": np.split(recurrent_kernel, 4, axis=1)[forget],  # (units, units)
        "b_f": np.split(bias, 4)[forget],  # (units,)
    }


# ---------------------------------------------------------------------------------------------
# 1. One cell, rolled up and unrolled


def _state_arrows(figure, x1, x2, top, bottom, dashed=False):
    """The cell state (upper) and hidden state (lower) passed from one box to the next."""
    figure.line(x1, top + 16, x2, top + 16, CELL, arrow=True, dashed=dashed, data_role="cell-state")
    figure.line(x1, bottom - 16, x2, bottom - 16, HIDDEN, arrow=True, dashed=dashed, data_role="hidden-state")


def unrolled_rnn() -> str:
    """``unrolled-rnn.svg``: one cell rolled up, and the same cell once per timestep of an output."""
    x = np.zeros((BATCH, UNROLLED_TIMESTEPS, FEATURES), "float32")  # (batch, timesteps, features)
    outputs = lstm(x, *lstm_weights(FEATURES, UNITS), return_sequences=True)  # (batch, timesteps, units)
    timesteps = outputs.shape[1]

    figure = Figure(820, 320, f"An LSTM cell rolled up, and unrolled over {timesteps} timesteps")
    top, bottom = 120, 190

    # Rolled up: one cell whose state loops back into itself.
    figure.text(95, 28, "rolled up", 14, color=MUTED, weight="600")
    figure.rect(50, top, 90, bottom - top, CELL_FILL, radius=8)
    figure.text(95, 160, "LSTM cell", 13)
    figure.line(95, 252, 95, bottom, INPUT, arrow=True)
    figure.text(95, 272, "x_t", 15, color=INPUT)
    figure.line(95, top, 95, 68, HIDDEN, arrow=True)
    figure.text(95, 58, "h_t", 15, color=HIDDEN)
    figure.path([(140, 134), "C212 112 212 198 140 176"], MUTED, arrow=True)
    figure.text(204, 160, "h, c", 13, anchor="start", color=MUTED)

    figure.text(243, 163, "=", 26, color=MUTED)

    # Unrolled: the same cell drawn once per timestep.
    width, gap, left = 72, 44, 330
    boxes = [left + step * (width + gap) for step in range(timesteps)]
    middle = (boxes[0] + boxes[-1] + width) / 2
    figure.text(middle, 28, f"unrolled over {timesteps} timesteps", 14, color=MUTED, weight="600")
    figure.text(283, top + 11, "c_0", 12, color=CELL)
    figure.text(283, bottom - 3, "h_0", 12, color=HIDDEN)
    _state_arrows(figure, 268, boxes[0], top, bottom)
    for step, box in enumerate(boxes, start=1):
        centre = box + width / 2
        figure.rect(box, top, width, bottom - top, CELL_FILL, radius=8, data_role="timestep")
        figure.text(centre, 153, "LSTM cell", 12)
        figure.text(centre, 171, f"t = {step}", 11.5, color=MUTED)
        figure.line(centre, 252, centre, bottom, INPUT, arrow=True)
        figure.text(centre, 272, f"x_{{{step}}}", 15, color=INPUT)
        figure.line(centre, top, centre, 68, HIDDEN, arrow=True)
        figure.text(centre, 58, f"h_{{{step}}}", 15, color=HIDDEN)
        end = box + width + (gap if step < timesteps else 36)
        _state_arrows(figure, box + width, end, top, bottom)
        label_x = box + width + gap / 2 if step < timesteps else box + width + 22
        figure.text(label_x, top + 11, f"c_{{{step}}}", 12, color=CELL)
        figure.text(label_x, bottom - 3, f"h_{{{step}}}", 12, color=HIDDEN)
    figure.text(middle, 303, "the same kernel, recurrent_kernel and bias at every timestep", 13, color=MUTED)
    return figure.svg()


# ---------------------------------------------------------------------------------------------
# 2. Inside the LSTM cell


def lstm_cell() -> str:
    """``lstm-cell.svg``: the four gates of one timestep, the cell state across the top."""
    figure = Figure(830, 420, "Inside an LSTM cell: the forget gate, input gate, candidate and output gate")
    cell_y, bus_y, gate_y = 100, 310, 246
    figure.rect(118, 52, 586, 300, CELL_FILL, stroke=FRAME, radius=14)

    # Inputs on the left, outputs on the right.
    figure.text(16, cell_y + 5, "c_{t-1}", 15, anchor="start", color=CELL)
    figure.text(16, cell_y + 23, "cell state", 12, anchor="start", color=MUTED)
    figure.text(16, bus_y + 5, "h_{t-1}", 15, anchor="start", color=HIDDEN)
    figure.text(16, bus_y + 23, "hidden state", 12, anchor="start", color=MUTED)
    figure.text(732, cell_y + 5, "c_t", 15, anchor="start", color=CELL)
    figure.text(732, cell_y + 23, "cell state", 12, anchor="start", color=MUTED)
    figure.text(732, bus_y + 5, "h_t", 15, anchor="start", color=HIDDEN)
    figure.text(732, bus_y + 23, "hidden state", 12, anchor="start", color=MUTED)
    figure.text(180, 405, "x_t", 15, color=INPUT)

    # The gates read h_{t-1} and x_t, joined on one line along the bottom.
    figure.line(96, bus_y, 560, bus_y, HIDDEN)
    figure.line(180, 388, 180, bus_y, INPUT)
    figure.circle(180, bus_y, 3.5, INK, stroke="none")
    figure.text(330, bus_y + 22, "[h_{t-1}, x_t]: every gate reads both", 12, color=MUTED)

    # The cell state runs straight across the top: multiplied by f_t, then added to.
    figure.line(96, cell_y, 722, cell_y, CELL, width=2.5, arrow=True)
    figure.text(500, cell_y - 10, "cell state", 12, color=MUTED)

    gates = {  # drawn left to right in the order the data flows; Keras packs them as LSTM_GATES
        "forget_gate": (210, SIGMA, "forget gate", "f_t"),
        "input_gate": (320, SIGMA, "input gate", "i_t"),
        "candidate": (430, "tanh", "candidate", "c\N{COMBINING TILDE}_t"),
        "output_gate": (560, SIGMA, "output gate", "o_t"),
    }
    for key in LSTM_GATES:
        centre, function, name, symbol = gates[key]
        fill = TANH_FILL if function == "tanh" else SIGMOID_FILL
        figure.line(centre, bus_y, centre, gate_y + 23, HIDDEN, arrow=True)
        figure.rect(centre - 46, gate_y - 23, 92, 46, fill, radius=6, data_gate=key)
        figure.text(centre, gate_y - 3, function, 16, weight="600")
        figure.text(centre, gate_y + 15, name, 12)
        if key == "output_gate":  # its output turns right, into the last multiplication
            figure.text(621, gate_y - 8, symbol, 14)
        else:
            figure.text(centre + 8, 206, symbol, 14, anchor="start")

    def operation(x, y, sign):
        figure.circle(x, y, 13, "#ffffff")
        figure.text(x, y + 5.5, sign, 17, weight="600")

    # Forget: f_t ⊙ c_{t-1}.
    figure.line(210, gate_y - 23, 210, cell_y + 15, INK, arrow=True)
    operation(210, cell_y, TIMES)
    # Write: i_t ⊙ c̃_t, added to the cell state.
    figure.path([(320, gate_y - 23), (320, 170), (360, 170)], INK, arrow=True)
    figure.path([(430, gate_y - 23), (430, 170), (390, 170)], INK, arrow=True)
    operation(375, 170, TIMES)
    figure.line(375, 157, 375, cell_y + 15, INK, arrow=True)
    operation(375, cell_y, "+")
    # Show: h_t = o_t ⊙ tanh(c_t).
    figure.circle(650, cell_y, 3.5, INK, stroke="none")
    figure.line(650, cell_y, 650, 160, CELL, arrow=True)
    figure.rect(624, 160, 52, 26, TANH_FILL, radius=13)
    figure.text(650, 178, "tanh", 13)
    figure.line(650, 186, 650, gate_y - 15, INK, arrow=True)
    figure.line(606, gate_y, 635, gate_y, INK, arrow=True)
    operation(650, gate_y, TIMES)
    figure.path([(650, gate_y + 13), (650, bus_y), (722, bus_y)], HIDDEN, width=2.5, arrow=True)
    return figure.svg()


# ---------------------------------------------------------------------------------------------
# 3. The forget gate as matrix products


def _matrix(figure, name, array, left, middle, cell, color, meaning):
    """Draw ``array`` as a grid of its own shape, centred on ``middle``; return its right edge."""
    rows, columns = array.shape if array.ndim == 2 else (1, array.shape[0])
    top = middle - rows * cell / 2
    cells = [
        _tag(
            "rect",
            {"x": left + column * cell, "y": top + row * cell, "width": cell, "height": cell}
            | {"fill": FILL[color], "stroke": color, "stroke_width": 1},
        )
        for row in range(rows)
        for column in range(columns)
    ]
    figure.add(_tag("g", {"data-array": name}, "".join(cells)))
    centre = left + columns * cell / 2
    figure.text(centre, 76, name, 16, color=color, weight="600")
    figure.text(centre, 200, _shape(array.shape), 14, family=MONO, data_shape=name)
    figure.text(centre, 218, meaning, 11.5, color=MUTED)
    return left + columns * cell


def forget_gate_matrices() -> str:
    """``forget-gate-matrices.svg``: the forget gate of one timestep as products of real arrays."""
    blocks = forget_gate_blocks()
    x_t = np.zeros((BATCH, blocks["W_f"].shape[0]), "float32")  # (batch, features)
    h_prev = np.zeros((BATCH, blocks["U_f"].shape[0]), "float32")  # (batch, units)
    f_t = 1 / (1 + np.exp(-(x_t @ blocks["W_f"] + h_prev @ blocks["U_f"] + blocks["b_f"])))

    figure = Figure(690, 240, "The forget gate of LSTM(4) on 5 features, for a batch of 3, as matrices")
    middle, cell = 130, 16
    batch, features = x_t.shape
    units = f_t.shape[1]
    figure.text(
        345,
        30,
        f"one timestep, a batch of {batch}: {features} features in, {units} units out",
        14,
        color=MUTED,
    )

    def operator(left, sign, width=34):
        figure.text(left + width / 2, middle + 7, sign, 22, color=INK)
        return left + width

    right = _matrix(figure, "x_t", x_t, 30, middle, cell, INPUT, "batch, features")
    right = operator(right, "@")
    right = _matrix(figure, "W_f", blocks["W_f"], right, middle, cell, WEIGHT, "features, units")
    right = operator(right, "+")
    right = _matrix(figure, "h_{t-1}", h_prev, right, middle, cell, HIDDEN, "batch, units")
    right = operator(right, "@")
    right = _matrix(figure, "U_f", blocks["U_f"], right, middle, cell, WEIGHT, "units, units")
    right = operator(right, "+")
    right = _matrix(figure, "b_f", blocks["b_f"], right, middle, cell, WEIGHT, "units, every row")
    figure.line(right + 10, middle, right + 68, middle, MUTED, arrow=True)
    figure.text(right + 36, middle - 8, SIGMA, 17, weight="600")
    _matrix(figure, "f_t", f_t, right + 78, middle, cell, CELL, "batch, units")
    return figure.svg()


# ---------------------------------------------------------------------------------------------
# 4. One gate as neurons


def gate_neurons() -> str:
    """``gate-neurons.svg``: the forget gate as neurons, one line per weight, one box per bias."""
    blocks = forget_gate_blocks()
    features, units = blocks["W_f"].shape
    figure = Figure(820, 420, "The forget gate as neurons: every input connected to every unit")

    inputs_x, neurons_x = 170, 450
    x_nodes = [70 + 36 * row for row in range(features)]
    h_nodes = [x_nodes[-1] + 60 + 36 * row for row in range(blocks["U_f"].shape[0])]
    centre = (x_nodes[0] + h_nodes[-1]) / 2
    neurons = [centre + 58 * (row - (units - 1) / 2) for row in range(units)]

    # One line per weight: kernel[row, unit] joins input `row` to neuron `unit`.
    for row, unit in np.ndindex(blocks["W_f"].shape):
        figure.line(inputs_x, x_nodes[row], neurons_x, neurons[unit], INPUT, 1.1, data_role="kernel-weight")
    for row, unit in np.ndindex(blocks["U_f"].shape):
        figure.line(
            inputs_x,
            h_nodes[row],
            neurons_x,
            neurons[unit],
            HIDDEN,
            1.1,
            dashed=True,
            data_role="recurrent-weight",
        )

    for nodes, color in ((x_nodes, INPUT), (h_nodes, HIDDEN)):
        for index, y in enumerate(nodes):
            figure.circle(inputs_x, y, 13, FILL[color], color)
            figure.text(inputs_x, y + 4.5, str(index), 12)
    x_middle, h_middle = (x_nodes[0] + x_nodes[-1]) / 2, (h_nodes[0] + h_nodes[-1]) / 2
    figure.text(140, x_middle, "x_t", 16, anchor="end", color=INPUT, weight="600")
    figure.text(140, x_middle + 20, f"{features} features", 12, anchor="end")
    figure.text(140, h_middle, "h_{t-1}", 16, anchor="end", color=HIDDEN, weight="600")
    figure.text(140, h_middle + 20, f"{units} units", 12, anchor="end")

    figure.text(neurons_x, neurons[0] - 48, f"{units} neurons, one per unit", 13, weight="600")
    for y in neurons:
        figure.line(neurons_x + 17, y, neurons_x + 80, y, CELL, arrow=True)
        figure.line(neurons_x + 26, y - 18, neurons_x + 12, y - 11, WEIGHT, 1.25)
        figure.rect(neurons_x + 22, y - 36, 18, 18, FILL[WEIGHT], WEIGHT, radius=3, data_role="bias")
        figure.text(neurons_x + 31, y - 22.5, "b", 11, color=WEIGHT)
        figure.circle(neurons_x, y, 17, SIGMOID_FILL)
        figure.text(neurons_x, y + 6, SIGMA, 16, weight="600")
    figure.text(neurons_x + 92, centre, "f_t", 16, anchor="start", color=CELL, weight="600")
    figure.text(neurons_x + 92, centre + 20, f"{units} values", 12, anchor="start")

    kernel, recurrent, bias = (blocks[name].size for name in ("W_f", "U_f", "b_f"))
    counts = (
        ("kernel", f"W_f: {kernel} weights", f"{features} {TIMES} {units}, solid lines", INPUT),
        ("recurrent", f"U_f: {recurrent} weights", f"{units} {TIMES} {units}, dashed lines", HIDDEN),
        ("bias", f"b_f: {bias} biases", "one per neuron", WEIGHT),
    )
    left, y = 625, 150
    for role, count, detail, color in counts:
        figure.text(left, y, count, 14, anchor="start", color=color, weight="600", data_count=role)
        figure.text(left, y + 18, detail, 11.5, anchor="start", color=MUTED)
        y += 50
    figure.line(left, y - 16, left + 160, y - 16, FRAME, 1)
    total = kernel + recurrent + bias
    figure.text(left, y + 6, f"{total} parameters", 15, anchor="start", weight="600", data_count="total")
    figure.text(left, y + 24, "in this one gate", 11.5, anchor="start", color=MUTED)
    return figure.svg()


# ---------------------------------------------------------------------------------------------
# 5. A stack of LSTM layers


def stacked_lstm() -> str:
    """``stacked-lstm.svg``: the stack of the Stacked LSTMs page, its output shapes computed."""
    x = np.zeros((BATCH, STACK_TIMESTEPS, FEATURES), "float32")  # (batch, timesteps, features)
    layers = []  # (units, return_sequences, output), bottom layer first
    sequence = x
    for index, units in enumerate(STACK_UNITS):
        return_sequences = index < len(STACK_UNITS) - 1
        output = lstm(sequence, *lstm_weights(sequence.shape[-1], units), return_sequences=return_sequences)
        layers.append((units, return_sequences, output))
        sequence = output

    timesteps = x.shape[1]
    shown = list(range(1, timesteps + 1)) if timesteps <= 4 else [1, 2, 3, None, timesteps]
    figure = Figure(850, 430, f"A stack of {len(layers)} LSTM layers unrolled over {timesteps} timesteps")

    width, height, gap, gap_skip = 64, 46, 40, 30
    columns, left = [], 60
    for step in shown:
        columns.append((step, left))
        left += (width if step is not None else gap_skip) + gap
    right_edge = columns[-1][1] + width
    row_tops = [300 - 100 * level for level in range(len(layers))]  # bottom layer lowest

    figure.line(20, 22, 44, 22, CELL, arrow=True)
    figure.text(50, 26, "cell state (stays inside its layer)", 12, anchor="start", color=MUTED)
    figure.line(262, 22, 286, 22, HIDDEN, arrow=True)
    figure.text(292, 26, "hidden state", 12, anchor="start", color=MUTED)

    for level, ((units, return_sequences, output), top) in enumerate(zip(layers, row_tops, strict=True)):
        bottom = top + height
        for position, (step, box) in enumerate(columns):
            if step is None:
                figure.text(box + gap_skip / 2, top + height / 2 + 5, "…", 18, color=MUTED)
                continue
            centre = box + width / 2
            figure.rect(box, top, width, height, CELL_FILL, radius=7, data_role=f"layer-{level + 1}")
            figure.text(centre, top + 28, f"LSTM({units})", 12)
            below = bottom + 54
            if level == 0:
                figure.line(centre, below, centre, bottom, INPUT, arrow=True)
                figure.text(centre, below + 18, f"x_{{{step}}}", 14, color=INPUT)
            else:
                figure.line(centre, below, centre, bottom, HIDDEN, arrow=True)
            if position < len(columns) - 1:
                skipping = columns[position + 1][0] is None or step is None
                end = columns[position + 1][1] if not skipping else box + width + gap
                dashed = columns[position + 1][0] is None
                figure.line(box + width, top + 13, end, top + 13, CELL, 1.5, arrow=True, dashed=dashed)
                figure.line(
                    box + width, bottom - 13, end, bottom - 13, HIDDEN, 1.5, arrow=True, dashed=dashed
                )
        # The skipped column: the states come out of it into the last box.
        skipped = [box for step, box in columns if step is None]
        for box in skipped:
            end = box + gap_skip + gap
            figure.line(box + gap_skip, top + 13, end, top + 13, CELL, 1.5, arrow=True, dashed=True)
            figure.line(box + gap_skip, bottom - 13, end, bottom - 13, HIDDEN, 1.5, arrow=True, dashed=True)

        flag = ", return_sequences=True" if return_sequences else ""
        figure.text(right_edge + 34, top + 18, f"LSTM({units}{flag})", 13, anchor="start", family=MONO)
        figure.text(right_edge + 34, top + 38, "→ ", 13, anchor="start", color=MUTED)
        figure.text(
            right_edge + 56, top + 38, _shape(output.shape, batch_axis=True), 13, anchor="start",
            family=MONO, data_shape=f"layer-{level + 1}",
        )  # fmt: skip

    last_centre = columns[-1][1] + width / 2
    top = row_tops[-1]
    figure.line(last_centre, top, last_centre, top - 40, HIDDEN, arrow=True)
    figure.text(last_centre, top - 48, f"h_{{{timesteps}}} only", 14, color=HIDDEN)
    figure.text(right_edge + 34, row_tops[0] + 120, "input → ", 13, anchor="start", color=MUTED)
    figure.text(
        right_edge + 90, row_tops[0] + 120, _shape(x.shape, batch_axis=True), 13, anchor="start",
        family=MONO, data_shape="input",
    )  # fmt: skip
    return figure.svg()


# ---------------------------------------------------------------------------------------------

FIGURES = {
    "unrolled-rnn.svg": unrolled_rnn,
    "lstm-cell.svg": lstm_cell,
    "forget-gate-matrices.svg": forget_gate_matrices,
    "gate-neurons.svg": gate_neurons,
    "stacked-lstm.svg": stacked_lstm,
}
"""The file name of every figure, and the function that draws it."""


def render_all() -> dict[str, str]:
    """Every figure, ``{filename: svg_text}``, drawn in memory."""
    return {name: draw() for name, draw in FIGURES.items()}


def main(directory: Path = OUTPUT_DIR) -> None:
    """Write every figure into ``directory`` (by default ``docs/assets/diagrams/``)."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, svg in render_all().items():
        write_atomically(directory / name, svg)
        print(directory / name)


if __name__ == "__main__":
    main()
