"""The claims of the site's section "Keras API behaviour", one module per page."""
