"""MkDocs hook: the weights the step-through page (``step-through.md``) computes with.

``<!-- step-through-weights -->`` becomes a JSON script element holding, for every layer the page
offers (LSTM, GRU with ``reset_after`` True and False) and every size of it, the weights a new Keras
layer of that size starts with on one input feature: ``stored_weights`` of the page's claims module,
which its claims run through Keras too. The page's JavaScript runs its port of the step functions on
them; tests/test_step_through.py compares every number the page shows with ``glossary.reference``
and with Keras on the same weights. ``python docs/plugins/scripts/step_through_weights.py`` writes
the stored weights from Keras again.
"""

from __future__ import annotations

from generators.step_through import script_element

MARKER = "<!-- step-through-weights -->"


def on_page_markdown(markdown, page, config, files):
    """Replace the marker with the stored weights."""
    if MARKER not in markdown:
        return markdown
    from glossary.claims.lstm_cell.step_through import stored_weights

    return markdown.replace(MARKER, script_element(stored_weights()))
