"""The claims of the site's section "Tasks", one module per page."""

from glossary.claims.tasks import (  # noqa: F401 - registers their claims
    attention,
    encoder_decoder,
    error_messages,
    inside_the_layer,
    migrating_to_keras_3,
    porting,
    reproducible_runs,
    saving_and_serving,
    serving_a_stream,
    text_input,
    time_series_windows,
    training,
    variants,
)
