"""The claims ledger: every factual statement the site makes, with the code that decides it.

``LEDGER`` maps a stable ID to a ``Claim``; ``run(claim)`` checks it against whatever Keras is
installed. Pages show claims with ``<!-- claim: ID -->``; the test suite runs every one.

The claims live where the site explains them: a package per section of the site, a module per
page (``lstm_cell/gates.py`` holds the claims of ``docs/gates.md``), each false statement beside
the claim that corrects it.
"""

from glossary.claims import (  # noqa: F401 - registers them
    intuition,
    keras_api,
    layers,
    lstm_cell,
    shapes_and_sizes,
    tasks,
)
from glossary.claims.registry import LEDGER, Claim, Evidence, NotApplicable, Outcome, Result, claim, run

__all__ = ["LEDGER", "Claim", "Evidence", "NotApplicable", "Outcome", "Result", "claim", "run"]
