"""The page's HTML made lighter (docs/plugins/reading.py): a term's tooltip once per section, and
math kept out of the search index."""

from __future__ import annotations

import re
from collections import Counter

import pytest
import reading
from paths import PAGES, relative
from site_build import built_file

TERM = re.compile(r'<abbr title="(?P<definition>[^"]*)">')


def test_a_term_keeps_its_tooltip_once_per_section():
    html = (
        '<h1 id="t">T</h1><p><abbr title="d">unit</abbr> and <abbr title="d">unit</abbr></p>'
        '<h2 id="a">A</h2><p><abbr title="d">units</abbr>, <abbr title="e">gate</abbr>, '
        '<abbr title="d">unit</abbr></p>'
    )
    shown = reading.on_page_content(html, page=None, config=None, files=None)
    assert shown == (
        '<h1 id="t">T</h1><p><abbr title="d">unit</abbr> and unit</p>'
        '<h2 id="a">A</h2><p><abbr title="d">units</abbr>, <abbr title="e">gate</abbr>, unit</p>'
    )


def test_math_is_marked_for_the_index_to_skip():
    html = '<p><span class="arithmatex">\\(h_t\\)</span></p><div class="arithmatex">\\[x\\]</div>'
    shown = reading.on_page_content(html, page=None, config=None, files=None)
    assert shown.count('data-search-exclude=""') == 2


@pytest.mark.parametrize("page", PAGES, ids=relative)
def test_no_section_of_a_built_page_repeats_a_tooltip(built_site, page):
    article = built_file(built_site, page).read_text()
    for section in re.split(r"(?=<h[12][ >])", article):
        repeated = [term for term, uses in Counter(TERM.findall(section)).items() if uses > 1]
        assert not repeated, f"{relative(page)} repeats the tooltip of {repeated[:3]}"
