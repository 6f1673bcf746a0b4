"""The claims of the site's section "Layers", one module per page."""

from glossary.claims.layers import gru, simple_rnn, stacked_layers  # noqa: F401 - registers their claims
