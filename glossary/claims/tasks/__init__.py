"""The claims of the site's section "Tasks", one module per page."""

from glossary.claims.tasks import encoder_decoder, inside_the_layer, training  # noqa: F401 - registers them
