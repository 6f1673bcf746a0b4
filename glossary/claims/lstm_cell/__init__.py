"""The claims of the site's section "The LSTM cell", one module per page."""

from glossary.claims.lstm_cell import cell_state_vs_hidden_state, gates, vanishing_gradients  # noqa: F401 - registers their claims
