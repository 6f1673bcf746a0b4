"""MkDocs hook: a block that shows one section of a file copies a script that runs.

A page shows a section of a snippet with a ``python`` fence holding only
``--8<-- "snippets/topic/name.py:section"``. The section alone rarely runs: its imports and the
arrays it works on sit above it in the file. This hook puts those lines (the *set-up*) in a
quiet toggle above the block, which names them and opens onto them, and gives the block a
``data-copy`` attribute holding the set-up followed by the section: Material's copy button copies
that attribute instead of the visible text. What the reader copies is therefore the file from its
first line to the end of the section, less the section markers, and runs as a script.
"""

from __future__ import annotations

import re
from pathlib import Path

from generators.copies import copied_script, setup_summary, with_setup

FENCE_OF_ONE_INCLUDE = re.compile(
    r'^```python\n--8<-- "(?P<path>[^":]+):(?P<section>[\w-]+)"\n```$',
    re.M,
)


def on_page_markdown(markdown, page, config, files):
    """Give every block that shows a section of a snippet its set-up box and its complete copy."""
    root = Path(config["config_file_path"]).parent

    def complete(match: re.Match) -> str:
        setup, script = copied_script(root / match["path"], match["section"])
        if not setup:
            return match.group(0)
        return with_setup(setup, match.group(0), script, setup_summary(setup))

    return FENCE_OF_ONE_INCLUDE.sub(complete, markdown)
