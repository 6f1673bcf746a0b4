"""Statements found in popular LSTM guides that Keras and NumPy prove wrong.

Each is registered with ``verdict=False``: its check decides the statement as written, and the
ledger expects the check to find it false. ``corrected_by`` names the claim that states what
is true; the Corrections page pairs them.
"""

from __future__ import annotations

from glossary.claims import cell, shapes, states
from glossary.claims._keras import built, keras, sample
from glossary.claims.registry import Evidence, claim


@claim(
    "GUIDE-HIDDEN-IS-NOT-OUTPUT",
    "The hidden state is something other than the LSTM layer's output.",
    verdict=False,
    page="cell-state-vs-hidden-state.md#the-hidden-state-what-the-layer-shows",
    corrected_by="OUTPUT-IS-HIDDEN",
)
def hidden_is_not_output():
    return _opposite(states.output_is_hidden)


@claim(
    "GUIDE-HIDDEN-ONLY-RECENT",
    "The hidden state describes only the most recent timestep, the cell state the history.",
    verdict=False,
    page="cell-state-vs-hidden-state.md#both-states-remember-the-whole-sequence",
    corrected_by="HIDDEN-HAS-HISTORY",
)
def hidden_only_recent():
    return _opposite(states.hidden_has_history)


@claim(
    "GUIDE-WEIGHTS-GROW-WITH-BATCH",
    "When sequences are processed in batches, the weight matrices take the batch size as a dimension.",
    verdict=False,
    page="units-and-weight-shapes.md#the-forget-gate-with-real-dimensions",
    corrected_by="PARAMS-NO-BATCH-TIME",
)
def weights_grow_with_batch():
    shapes = set()
    for batch in (1, 3, 64):
        layer = keras().layers.LSTM(4)
        layer.build((batch, 7, 5))
        shapes.add(tuple(tuple(w.shape) for w in layer.weights))
    return Evidence(len(shapes) > 1, f"weight shapes for batches 1, 3 and 64: {sorted(shapes)}")


@claim(
    "GUIDE-INPUT-WEIGHTS-UNITS-BY-FEATURES",
    "A gate's input weight matrix is `(units, features)`: `(4, 5)` for 5 features and 4 units.",
    verdict=False,
    page="units-and-weight-shapes.md#one-gate-at-a-time",
    corrected_by="WEIGHT-SHAPES",
)
def input_weights_units_by_features():
    from glossary.keras_weights import lstm_gate_weights

    shape = lstm_gate_weights(built(keras().layers.LSTM(4), 5))["forget_gate"].kernel.shape
    return Evidence(shape == (4, 5), f"forget gate kernel in Keras: {shape}")


@claim(
    "GUIDE-BATCH-AS-COLUMNS",
    "With a batch, each timestep's input becomes a matrix with one column per sequence.",
    verdict=False,
    page="units-and-weight-shapes.md#the-forget-gate-with-real-dimensions",
    corrected_by="BATCH-IS-ROWS",
)
def batch_as_columns():
    return _opposite(shapes.batch_is_rows)


@claim(
    "GUIDE-RETURN-STATES",
    "Keras has a `return_states` argument, and it returns the cell state.",
    verdict=False,
    page="return-sequences-and-state.md#it-is-return_state-singular",
    corrected_by="RETURN-STATES-REFUSED",
)
def return_states_exists():
    return _opposite(states.return_states_refused)


@claim(
    "GUIDE-RETURN-STATE-IS-CELL-ONLY",
    "`return_state` adds only the cell state to what the layer returns.",
    verdict=False,
    page="return-sequences-and-state.md#return_state",
    corrected_by="RETURN-STATE-TUPLE",
)
def return_state_is_cell_only():
    result = keras().layers.LSTM(4, return_state=True)(sample())
    return Evidence(len(result) == 2, f"return_state=True returns {len(result)} arrays")


@claim(
    "GUIDE-OUTPUT-GATE-FEEDS-CELL",
    "The output gate's result is written into the cell state.",
    verdict=False,
    page="gates.md#output-gate",
    corrected_by="OUTPUT-GATE-SKIPS-CELL",
)
def output_gate_feeds_cell():
    return _opposite(cell.output_gate_skips_cell)


@claim(
    "GUIDE-SIGMOID-STOPS-VANISHING",
    "Using the sigmoid function prevents vanishing or exploding gradients.",
    verdict=False,
    page="gates.md#two-squashing-functions-two-jobs",
    corrected_by="SIGMOID-SLOPE-QUARTER",
)
def sigmoid_stops_vanishing():
    return _opposite(cell.sigmoid_slope_quarter)


def _opposite(check) -> Evidence:
    """Decide a statement that says the opposite of another claim's, with that claim's evidence."""
    evidence = check()
    return Evidence(not evidence.holds, evidence.detail)
