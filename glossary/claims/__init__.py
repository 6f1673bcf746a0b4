"""The claims ledger: every factual statement the site makes, with the code that decides it.

``LEDGER`` maps a stable ID to a ``Claim``; ``run(claim)`` checks it against whatever Keras is
installed. Pages show claims with ``<!-- claim: ID -->``; the test suite runs every one.

The claims live where the site explains them: a package per section of the site, a module per
page (``lstm_cell/gates.py`` holds the claims of ``docs/gates.md``), each false statement beside
the claim that corrects it. Every module of a section is found and imported here: a new page's
module needs no list to join.
"""

import importlib
import pkgutil

from glossary.claims.registry import LEDGER, Claim, Evidence, NotApplicable, Outcome, Result, claim, run


def _register_every_page() -> None:
    """Import each page's module of each section, in order of name: importing registers its claims."""
    for section in sorted(pkgutil.iter_modules(__path__), key=lambda found: found.name):
        if section.ispkg:
            package = importlib.import_module(f"{__name__}.{section.name}")
            for page in sorted(pkgutil.iter_modules(package.__path__), key=lambda found: found.name):
                importlib.import_module(f"{package.__name__}.{page.name}")


_register_every_page()

__all__ = ["LEDGER", "Claim", "Evidence", "NotApplicable", "Outcome", "Result", "claim", "run"]
