"""The claims of the site's section "Shapes and sizes", one module per page."""
