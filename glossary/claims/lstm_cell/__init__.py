"""The claims of the site's section "The LSTM cell", one module per page."""
