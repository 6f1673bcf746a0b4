"""The three kinds of recurrent layer, each as one record: what every other module knows of them.

The reference and its gradients, the shapes and parameter counts, ``glossary explain`` and
``glossary port`` read their gates, states and abilities from here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LayerKind:
    """One kind of recurrent layer, as Keras lays out its weights."""

    name: str
    """Keras's class: ``LSTM``; its cell is ``LSTMCell``."""
    gates: tuple[str, ...]
    """The blocks of ``units`` columns in every weight array, in Keras's order."""
    letters: str
    """The blocks as the equations write them: ``i, f, c, o``."""
    states: tuple[str, ...]
    """The states it carries from one timestep to the next, as ``return_state`` returns them."""
    ported: bool
    """Whether ``glossary port`` converts it for other frameworks."""

    @property
    def blocks(self) -> int:
        """How many blocks of ``units`` columns each weight array packs."""
        return len(self.gates)


LSTM = LayerKind(
    "LSTM", ("input_gate", "forget_gate", "candidate", "output_gate"), "i, f, c, o",
    ("hidden_state", "cell_state"), ported=True,
)  # fmt: skip
GRU = LayerKind("GRU", ("update_gate", "reset_gate", "candidate"), "z, r, h", ("hidden_state",), ported=True)
SIMPLE_RNN = LayerKind("SimpleRNN", ("one block",), "h", ("hidden_state",), ported=False)

KINDS = {kind.name: kind for kind in (LSTM, GRU, SIMPLE_RNN)}
"""Every kind, by Keras's class name."""
