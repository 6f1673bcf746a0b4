"""The porting page's map and versions, as the reader gets them, against the converters' own data."""

from __future__ import annotations

import html
import importlib.metadata
import re

import pytest
from generators.port_tables import legend, pinned_versions, table
from packaging.requirements import Requirement
from packaging.version import Version
from paths import DOCS
from site_build import built_file

from glossary.port.layout import LAYOUTS

PAGE = DOCS / "porting.md"


@pytest.fixture(scope="module")
def page_html(built_site):
    return built_file(built_site, PAGE).read_text()


def cells_of(page_html: str) -> list[list[str]]:
    """The text of every row of every table on the page."""
    rows = re.findall(r"<tr>(.*?)</tr>", page_html, re.S)
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[dh]>(.*?)</t[dh]>", row, re.S)
        ]
        for row in rows
    ]


def test_every_layout_is_a_row_of_its_table(page_html):
    """Each layout of glossary.port.layout, the data the converters read, is one row of the map."""
    first_cells = [row[0] for row in cells_of(page_html) if row]
    for layout in LAYOUTS:
        assert first_cells.count(layout.layer) == 1, layout.layer


@pytest.mark.parametrize("kind", ["LSTM", "GRU"])
def test_the_tables_are_rendered_from_the_layouts(page_html, kind):
    rendered = table(kind)
    for line in rendered.splitlines()[4:]:  # the rows, after the legend and the header
        layer = line.split(" | ")[0].strip("| `")
        row = next(row for row in cells_of(page_html) if row and row[0] == layer)
        assert row == [cell.strip().strip("`").replace("\\|", "|") for cell in line.strip("|").split(" | ")]
    text = html.unescape(re.sub(r"<[^>]+>", "", page_html))
    assert legend([layout for layout in LAYOUTS if (layout.reset_after is None) == (kind == "LSTM")]) in text


def test_the_versions_shown_are_the_pins_and_the_ones_tested(page_html):
    """The page shows the extras' pins, and the frameworks installed here, which the converters' tests
    run, are those versions (a local build tag such as torch's +cpu aside)."""
    text = html.unescape(re.sub(r"<[^>]+>", "", page_html))
    for extra, requirements in pinned_versions().items():
        for requirement in requirements:
            assert requirement in text, (extra, requirement)
            pinned = Requirement(requirement)
            installed = Version(importlib.metadata.version(pinned.name))
            assert Version(installed.base_version) in pinned.specifier, (pinned, installed)
