"""The claims of the site's section "Intuition", one module per page."""
