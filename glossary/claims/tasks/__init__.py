"""The claims of the site's section "Tasks", one module per page."""

from glossary.claims.tasks import inside_the_layer, training  # noqa: F401 - registers their claims
