"""The claims of the site's section "Tasks", one module per page."""
