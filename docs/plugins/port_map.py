"""MkDocs hook: the porting page's tables (`generators.port_tables`).

``<!-- port-map: LSTM -->`` and ``<!-- port-map: GRU -->`` become the map of how each framework
stores that layer; ``<!-- port-versions -->`` the framework versions the extras pin.
"""

from __future__ import annotations

import re

from generators.markup import generated
from generators.port_tables import table, versions_table

MARKER = re.compile(r"^<!-- port-map: (?P<kind>LSTM|GRU) -->$", re.M)
VERSIONS_MARKER = "<!-- port-versions -->"


def on_page_markdown(markdown, page, config, files):
    """Replace each marker with its table, rendered from the converters' data and pyproject.toml."""
    markdown = MARKER.sub(lambda match: generated("port-map", table(match["kind"])), markdown)
    if VERSIONS_MARKER in markdown:
        markdown = markdown.replace(VERSIONS_MARKER, generated("port-versions", versions_table()))
    return markdown
