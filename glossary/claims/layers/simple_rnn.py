"""Claims of the page "SimpleRNN" (``docs/simple-rnn.md``)."""

from __future__ import annotations

from glossary.claims.registry import Evidence, claim
from glossary.claims.samples import reference_difference


@claim(
    "SIMPLERNN-REFERENCE",
    "A SimpleRNN is one equation, `h_t = tanh(x_t W + h_{t-1} U + b)`: `glossary.reference.simple_rnn` "
    "gives Keras's numbers to 1e-5, with random biases.",
    page="simple-rnn.md#one-equation",
)
def simple_rnn_reference():
    difference = reference_difference("SimpleRNN")
    return Evidence(difference < 1e-5, f"largest difference {difference:.1e}")
