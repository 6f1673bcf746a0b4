"""The claims ledger: every factual statement the site makes, with the code that decides it.

``LEDGER`` maps a stable ID to a ``Claim``; ``run(claim)`` checks it against whatever Keras is
installed. Pages show claims with ``<!-- claim: ID -->``; the test suite runs every one.
"""

from glossary.claims import cell, guide, keras_api, layers, pytorch, shapes, states  # noqa: F401 - registers them
from glossary.claims.registry import LEDGER, Claim, Evidence, NotApplicable, Outcome, Result, claim, run

__all__ = ["LEDGER", "Claim", "Evidence", "NotApplicable", "Outcome", "Result", "claim", "run"]
