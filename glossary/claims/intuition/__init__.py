"""The claims of the site's section "Intuition", one module per page."""

from glossary.claims.intuition import rnn_and_unrolling  # noqa: F401 - registers their claims
