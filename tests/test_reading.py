"""The page's HTML made lighter (docs/plugins/reading.py): a term's tooltip once per section, and
math kept out of the search index."""

from __future__ import annotations

import re
from collections import Counter

import pytest
import reading
from paths import DOCS, PAGES, relative
from site_build import built_file, page_url
from tabs import Watched

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


def test_a_heading_carries_no_tooltip():
    html = '<h2 id="a">The <abbr title="d">cell state</abbr></h2><p><abbr title="d">cell state</abbr></p>'
    shown = reading.on_page_content(html, page=None, config=None, files=None)
    assert shown == '<h2 id="a">The cell state</h2><p><abbr title="d">cell state</abbr></p>'


def test_a_diagram_links_to_itself():
    html = '<p><img alt="A cell" src="../assets/diagrams/lstm-cell.svg" /></p>'
    shown = reading.on_page_content(html, page=None, config=None, files=None)
    assert shown.startswith('<p><a class="diagram" href="../assets/diagrams/lstm-cell.svg"')
    assert shown.endswith('<img alt="A cell" src="../assets/diagrams/lstm-cell.svg" /></a></p>')


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


def test_a_diagram_keeps_a_readable_width_on_a_phone(browser, site_url):
    """At 390 px a diagram is drawn 600 px wide in a box that scrolls sideways; its link opens it alone."""
    tab = Watched(browser, viewport="phone", is_mobile=True, has_touch=True)
    try:
        page = tab.open(site_url + page_url(DOCS / "gates.md"))
        boxes = page.evaluate(
            """() => [...document.querySelectorAll("article a.diagram")].map((box) => ({
              width: box.querySelector("img").getBoundingClientRect().width,
              scrolls: box.scrollWidth > box.clientWidth,
              opens: box.getAttribute("href") === box.querySelector("img").getAttribute("src"),
            }))"""
        )
        assert boxes and all(box == {"width": 600, "scrolls": True, "opens": True} for box in boxes), boxes
        assert not tab.problems
    finally:
        tab.close()
