"""The claims of the site's section "Keras API behaviour", one module per page."""

from glossary.claims.keras_api import (  # noqa: F401 - registers their claims
    bidirectional,
    cudnn,
    dense_after_lstm,
    dropout,
    go_backwards,
    masking,
    pytorch,
    return_sequences_and_state,
    stateful,
    unit_forget_bias,
)
