"""The claims of the site's section "Shapes and sizes", one module per page."""

from glossary.claims.shapes_and_sizes import input_shape, parameter_count, units_and_weight_shapes  # noqa: F401 - registers their claims
