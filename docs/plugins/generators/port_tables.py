"""The porting page's map of how each framework stores an LSTM and a GRU, and the versions tested.

One table per layer kind, a row per layout of `glossary.port.layout`: the data every converter of
`glossary.port` reads to reorder, transpose and move Keras's arrays, and which the converters'
tests hold to what each framework computes (tests/test_port_*.py run the framework on converted
weights). A second table gives the versions of those frameworks that the ``onnx``, ``flax``,
``mlx`` and ``torch`` extras of pyproject.toml pin: the versions the test sessions install and
run the converters against.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[3] / "pyproject.toml"
EXTRAS = ("torch", "onnx", "flax", "mlx")
"""The extras of the frameworks the converters are tested with, in the order the page names them."""


SYMBOLS = {"hidden_state": "h", "cell_state": "c"}


def _letters(layout) -> str:
    """The framework's gate blocks, in its order, by its own letters."""
    return " ".join(layout.gate_letters)


def legend(layouts) -> str:
    """What each letter of the gate blocks stands for, over ``layouts``: the Keras gate it is."""
    names = {}
    for layout in layouts:
        for letter, gate in zip(layout.gate_letters, layout.gates, strict=True):
            names.setdefault(gate, [])
            if letter not in names[gate]:
                names[gate].append(letter)
    return "; ".join(f"{' or '.join(letters)}: {gate.replace('_', ' ')}" for gate, letters in names.items())


def _weights(layout) -> str:
    """The shapes of the input's and the recurrent weights, with f features and u units."""
    blocks = f"{len(layout.gates)}u"
    if layout.per_gate:
        return "(f, u), (u, u) for each gate"
    if layout.transposed:
        return f"({blocks}, f), ({blocks}, u): transposed"
    return f"(f, {blocks}), (u, {blocks})"


def _biases(layout) -> str:
    """Which gates get a bias on the input's side and which on the recurrent side."""
    gates = set(layout.gates)
    parts = []
    for side, biased in (("input", layout.input_bias), ("recurrent", layout.recurrent_bias)):
        if biased:
            which = (
                "" if set(biased) == gates else " (" + ", ".join(g.replace("_", " ") for g in biased) + ")"
            )
            parts.append(side + which)
    return " and ".join(parts) if parts else "none"


def _reset(layout) -> str:
    if layout.reset_after is None:
        return ""
    return "after the product (reset_after=True)" if layout.reset_after else "before it (reset_after=False)"


def table(kind: str) -> str:
    """The Markdown table of every layout of ``kind`` (``LSTM`` or ``GRU``), Keras's first.

    Above it, what the letters of the gate blocks stand for.
    """
    from glossary.port.layout import LAYOUTS

    rows = [layout for layout in LAYOUTS if (layout.reset_after is None) == (kind == "LSTM")]
    header = ["Layer", "Gate blocks", "Weights", "Biases", "Final states", "Outputs"]
    if kind == "GRU":
        header.insert(4, "Reset gate acts")
    lines = [
        f"Gate letters: {legend(rows)}. Weights: f features, u units.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + " --- |" * len(header),
    ]
    for layout in rows:
        cells = [
            f"`{layout.layer}`",
            _letters(layout),
            _weights(layout),
            _biases(layout),
            ", ".join(SYMBOLS[state] for state in layout.states),
            layout.output,
        ]
        if kind == "GRU":
            cells.insert(4, _reset(layout))
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)


def pinned_versions() -> dict[str, list[str]]:
    """For each extra of ``EXTRAS``, the requirements pyproject.toml pins it to."""
    extras = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    return {extra: extras[extra] for extra in EXTRAS}


def versions_table() -> str:
    """A Markdown table of ``pinned_versions``."""
    lines = ["| Extra | Pinned to |", "| --- | --- |"]
    for extra, requirements in pinned_versions().items():
        lines.append(f"| `{extra}` | " + ", ".join(f"`{requirement}`" for requirement in requirements) + " |")
    return "\n".join(lines)
