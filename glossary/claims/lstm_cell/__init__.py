"""The claims of the site's section "The LSTM cell", one module per page."""

from glossary.claims.lstm_cell import (  # noqa: F401 - registers their claims
    cell_state_vs_hidden_state,
    gates,
    step_through,
    vanishing_gradients,
)
