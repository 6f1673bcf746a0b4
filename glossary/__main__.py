"""``python -m glossary``: the same command as ``glossary`` (see `glossary.cli`)."""

import sys

from glossary.cli import main

sys.exit(main())
