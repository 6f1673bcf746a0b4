"""The site's diagrams, drawn as SVG from real arrays, and the command that writes them.

Every size a figure shows (how many timesteps, how many cells in a matrix, how many weight lines
between two layers of neurons, the shapes a layer returns) is read from the ``.shape`` or ``.size``
of a NumPy array built with `glossary.shapes.weight_shapes` and run through `glossary.reference`,
and every value a chart plots is one the reference computed, so a drawing cannot disagree with
what it labels. The tests read the labels back and compare them with Keras.

The figures are drawn by ``generators/figures_cell.py`` (one cell and its weights) and
``generators/figures_layers.py`` (whole layers and how they are joined), with the primitives of
``generators/svg_figure.py``.

Run ``python docs/plugins/scripts/diagrams.py`` to write the figures into ``docs/assets/diagrams/``. The
output is the same, byte for byte, on every run.
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:  # run as a file: Python puts this folder on the path, the generators are one up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generators.figures_cell import (
    BATCH,
    FEATURES,
    LSTM_GATES,
    UNITS,
    UNROLLED_TIMESTEPS,
    cell_vs_hidden_state,
    forget_gate_matrices,
    gate_neurons,
    lstm_cell,
    steady_run,
    unrolled_rnn,
)
from generators.figures_layers import (
    FLAGS,
    RETURNS_TIMESTEPS,
    STACK_TIMESTEPS,
    STACK_UNITS,
    TRANSLATION,
    bidirectional,
    encoder_decoder,
    return_sequences_and_state,
    stacked_lstm,
)

from glossary.files import write_atomically

__all__ = [  # the sizes the figures are drawn with, which the tests build in Keras
    "BATCH",
    "FEATURES",
    "FLAGS",
    "LSTM_GATES",
    "RETURNS_TIMESTEPS",
    "STACK_TIMESTEPS",
    "STACK_UNITS",
    "TRANSLATION",
    "UNITS",
    "UNROLLED_TIMESTEPS",
    "steady_run",
]

OUTPUT_DIR = Path(__file__).resolve().parents[2] / "assets" / "diagrams"

FIGURES = {
    "unrolled-rnn.svg": unrolled_rnn,
    "lstm-cell.svg": lstm_cell,
    "forget-gate-matrices.svg": forget_gate_matrices,
    "gate-neurons.svg": gate_neurons,
    "stacked-lstm.svg": stacked_lstm,
    "return-sequences-and-state.svg": return_sequences_and_state,
    "cell-vs-hidden-state.svg": cell_vs_hidden_state,
    "bidirectional.svg": bidirectional,
    "encoder-decoder.svg": encoder_decoder,
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
