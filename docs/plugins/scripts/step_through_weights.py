"""Write the step-through page's weights from Keras, into the file its claims and its hook read.

Run ``python docs/plugins/scripts/step_through_weights.py`` after changing the sizes the page offers.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> None:
    """Write the page's weights from Keras, into the file its claims and the hook read."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from glossary.versions import quiet_tensorflow

    quiet_tensorflow()
    from glossary.claims.lstm_cell.step_through import WEIGHTS_FILE, initial_weights
    from glossary.files import write_atomically

    write_atomically(Path(str(WEIGHTS_FILE)), json.dumps(initial_weights(), indent=1) + "\n")


if __name__ == "__main__":
    main()
