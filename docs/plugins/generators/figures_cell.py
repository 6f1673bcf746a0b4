"""The diagrams of one LSTM cell and its weights, drawn as SVG from real arrays.

Every size a figure shows (how many timesteps, how many cells in a matrix, how many weight lines
between two layers of neurons) is read from the ``.shape`` or ``.size`` of a NumPy array built with
`glossary.shapes.weight_shapes` and run through `glossary.reference`, and every value a chart plots
is one the reference computed, so a drawing cannot disagree with what it labels. ``diagrams.py``
writes them; ``tests/test_diagrams.py`` reads the labels back and compares them with Keras.
"""

from __future__ import annotations

import contextlib
import io
import math
import runpy
from pathlib import Path

import numpy as np

from generators.svg_figure import (
    CELL,
    CELL_FILL,
    FILL,
    FRAME,
    HIDDEN,
    INK,
    INPUT,
    MONO,
    MUTED,
    SIGMA,
    SIGMOID_FILL,
    TANH_FILL,
    TIMES,
    WEIGHT,
    Figure,
    shape_label,
    tag,
)
from glossary.reference import LSTM_GATES, lstm, lstm_step
from glossary.shapes import weight_shapes

FEATURES, UNITS, BATCH = 5, 4, 3
"""The running example of the pages: 5 features, 4 units, a batch of 3 sequences."""
UNROLLED_TIMESTEPS = 4
"""How many timesteps the unrolled chain is drawn with."""


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
        tag(
            "rect",
            {"x": left + column * cell, "y": top + row * cell, "width": cell, "height": cell}
            | {"fill": FILL[color], "stroke": color, "stroke_width": 1},
        )
        for row in range(rows)
        for column in range(columns)
    ]
    figure.add(tag("g", {"data-array": name}, "".join(cells)))
    centre = left + columns * cell / 2
    figure.text(centre, 76, name, 16, color=color, weight="600")
    figure.text(centre, 200, shape_label(array.shape), 14, family=MONO, data_shape=name)
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
# 5. The cell state and the hidden state of one unit, step by step

STEADY_RUN = Path(__file__).resolve().parents[3] / "snippets" / "states" / "bounded_hidden_state.py"
"""The run of `docs/cell-state-vs-hidden-state.md` that the chart draws: one unit, gates held open."""


def steady_run() -> dict[str, np.ndarray]:
    """The page's run, step by step: its input and weights, and c_t and h_t for t = 0 .. timesteps.

    The weights and the input are the snippet's own (it is run, its printing kept quiet); each step
    is `glossary.reference.lstm_step`, from the zero states Keras starts from.
    """
    with contextlib.redirect_stdout(io.StringIO()):
        run = runpy.run_path(str(STEADY_RUN))
    x, weights = run["x"], [run["kernel"], run["recurrent_kernel"], run["bias"]]
    hidden = cell = np.zeros((x.shape[0], weights[1].shape[0]), "float32")
    hiddens, cells = [hidden], [cell]
    for step in range(x.shape[1]):
        hidden, cell = lstm_step(x[:, step], hidden, cell, *weights)
        hiddens.append(hidden)
        cells.append(cell)
    return {"x": x, "weights": weights, "h": np.stack(hiddens, axis=1), "c": np.stack(cells, axis=1)}


def cell_vs_hidden_state() -> str:
    """``cell-vs-hidden-state.svg``: one unit's c_t climbing while h_t = o_t tanh(c_t) stays under 1."""
    run = steady_run()
    c, h = run["c"][0, :, 0], run["h"][0, :, 0]  # one sequence, one unit: t = 0 .. timesteps
    timesteps = len(c) - 1
    figure = Figure(
        680, 370, f"The cell state and the hidden state of one LSTM unit over {timesteps} timesteps"
    )
    left, right, top, bottom = 56, 520, 46, 314
    high = 2 * math.ceil(max(c.max(), 1) / 2)  # the axis ends at an even whole number
    low = -2

    def x_at(step: float) -> float:
        return left + step / timesteps * (right - left)

    def y_at(value: float) -> float:
        return bottom - (value - low) / (high - low) * (bottom - top)

    figure.text(
        20, 26, f"One LSTM unit, {timesteps} timesteps of a steady input", 14, anchor="start", weight="600"
    )
    # The band that h_t can never leave, with the default activation.
    figure.rect(
        left, y_at(1), right - left, y_at(-1) - y_at(1), FILL[HIDDEN], stroke="none", data_role="tanh-band"
    )
    figure.text(
        left + 8,
        y_at(-1) - 7,
        "h_t always stays in this band, between \N{MINUS SIGN}1 and 1",
        12,
        anchor="start",
        color=HIDDEN,
    )
    for value in range(low, high + 1, 2):
        figure.line(left, y_at(value), right, y_at(value), FRAME, 1)
        figure.text(
            left - 8,
            y_at(value) + 4.5,
            f"{value}".replace("-", "\N{MINUS SIGN}"),
            12,
            anchor="end",
            color=MUTED,
        )
    for step in range(timesteps + 1):
        figure.text(x_at(step), bottom + 20, str(step), 12, color=MUTED)
    figure.text(
        (left + right) / 2,
        bottom + 44,
        "timestep t (0: the zero states the layer starts from)",
        12.5,
        color=MUTED,
    )

    # The two series: told apart by line (solid, dashed), marker (circle, square) and label, not colour alone.
    figure.path([(x_at(t), y_at(value)) for t, value in enumerate(c)], CELL, 2.5, data_series="c")
    figure.path(
        [(x_at(t), y_at(value)) for t, value in enumerate(h)], HIDDEN, 2.5, dashed=True, data_series="h"
    )
    for step, (c_t, h_t) in enumerate(zip(c, h, strict=True)):
        figure.circle(
            x_at(step),
            y_at(c_t),
            4,
            CELL,
            "#ffffff",
            data_series="c",
            data_step=step,
            data_value=f"{c_t:.4f}",
        )
        figure.rect(
            x_at(step) - 3.5,
            y_at(h_t) - 3.5,
            7,
            7,
            HIDDEN,
            "#ffffff",
            data_series="h",
            data_step=step,
            data_value=f"{h_t:.4f}",
        )

    label_x = right + 14
    figure.text(label_x, y_at(c[-1]) - 4, "c_t, cell state", 13.5, anchor="start", color=CELL, weight="600")
    figure.text(
        label_x,
        y_at(c[-1]) + 14,
        f"{c[-1]:.3f} at t = {timesteps}",
        12.5,
        anchor="start",
        color=CELL,
        data_label="c",
    )
    figure.text(
        label_x, y_at(h[-1]) - 4, "h_t, hidden state", 13.5, anchor="start", color=HIDDEN, weight="600"
    )
    figure.text(
        label_x,
        y_at(h[-1]) + 14,
        f"{h[-1]:.3f} at t = {timesteps}",
        12.5,
        anchor="start",
        color=HIDDEN,
        data_label="h",
    )
    middle = timesteps // 2
    figure.text(
        x_at(middle) + 18,
        y_at(c[middle - 1]) + 4,
        "c_t = f_t\N{MIDDLE DOT}c_{t-1} + i_t\N{MIDDLE DOT}c\N{COMBINING TILDE}_t: kept, then added to",
        12.5,
        anchor="start",
        color=CELL,
    )
    figure.text(
        x_at(middle),
        y_at(1) - 10,
        "h_t = o_t\N{MIDDLE DOT}tanh(c_t): squashed under 1",
        12.5,
        anchor="middle",
        color=HIDDEN,
    )
    return figure.svg()
