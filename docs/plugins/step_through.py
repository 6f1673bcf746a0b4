"""MkDocs hook: the weights the step-through page (``step-through.md``) computes with.

``<!-- step-through-weights -->`` becomes a JSON script element holding, for every layer the page
offers (LSTM, GRU with ``reset_after`` True and False) and every size of it, the weights a new Keras
layer of that size starts with on one input feature: ``stored_weights`` of the page's claims module,
which its claims run through Keras too. The page's JavaScript runs its port of the step functions on
them; tests/test_step_through.py compares every number the page shows with ``glossary.reference``
and with Keras on the same weights.

``python docs/plugins/step_through.py`` writes the stored weights from Keras again.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

MARKER = "<!-- step-through-weights -->"


def script_element(weights: dict) -> str:
    """``weights`` as a JSON script element, which the page's JavaScript reads.

    The JSON holds numbers and names only: nothing a browser could take for the end of the element.
    """
    return f'<script type="application/json" data-step-through-weights>{json.dumps(weights)}</script>'


def on_page_markdown(markdown, page, config, files):
    """Replace the marker with the stored weights."""
    if MARKER not in markdown:
        return markdown
    from glossary.claims.lstm_cell.step_through import stored_weights

    return markdown.replace(MARKER, script_element(stored_weights()))


def main() -> None:
    """Write the page's weights from Keras, into the file its claims and this hook read."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from glossary.versions import quiet_tensorflow

    quiet_tensorflow()
    from glossary.claims.lstm_cell.step_through import WEIGHTS_FILE, initial_weights
    from glossary.files import write_atomically

    write_atomically(Path(str(WEIGHTS_FILE)), json.dumps(initial_weights(), indent=1) + "\n")


if __name__ == "__main__":
    main()
