"""The claims of the site's section "Layers", one module per page."""
