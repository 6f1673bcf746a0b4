"""The built site in a real headless Chromium, served from 127.0.0.1, as a reader sees it.

Chromium is Debian's (``apt-get install chromium``), driven by Playwright; Playwright never
downloads a browser here. Where ``CI`` is set a missing browser fails the run; elsewhere the
tests skip and say how to install one. The screenshots of every page are taken by the
accessibility audit (``test_accessibility``), in both colour schemes.
"""

from __future__ import annotations

import re

import pytest
from copies import code_blocks
from paths import BUILT_PAGES, DOCS, relative
from site_build import built_file, page_url
from tabs import VIEWPORTS, Watched

REQUESTS_FEWER_THAN = 30  # a page, its styles, scripts, fonts and images: issue 19's bound
SEARCHES = {
    "cell state": "cell-state-vs-hidden-state/",
    "return_state": "return-sequences-and-state/",
    "units": "units-and-weight-shapes/",
}


@pytest.fixture
def watched(browser):
    opened = []

    def open_watched(**options):
        opened.append(Watched(browser, **options))
        return opened[-1]

    yield open_watched
    for item in opened:
        item.close()


# Each check is one round trip to the page, not a locator per element.
MATH = """() => {
    const formulas = document.querySelectorAll(".arithmatex").length;
    const unrendered = document.querySelectorAll(".arithmatex:not(:has(.katex))").length;
    // The article's text without code (which may hold backslashes) and without rendered
    // formulas (KaTeX keeps each formula's TeX in hidden MathML), read from a detached copy.
    const copy = document.querySelector("article").cloneNode(true);
    copy.querySelectorAll("pre, code, .katex").forEach((element) => element.remove());
    return {formulas, unrendered, text: copy.textContent};
}"""
IMAGES = """() => {
    const problems = [];
    const shown = (element) => element.getClientRects().length > 0;
    const sized = (box) => box.width > 0 && box.height > 0;
    for (const image of document.querySelectorAll("article img, article svg:not(.md-icon svg)")) {
        if (shown(image) && !sized(image.getBoundingClientRect())) {
            problems.push(`an empty image: ${image.outerHTML.slice(0, 100)}`);
        }
    }
    for (const diagram of document.querySelectorAll("article img[src*='assets/diagrams/']")) {
        const source = diagram.getAttribute("src");
        const hidden = getComputedStyle(diagram).visibility !== "visible";
        if (!sized(diagram.getBoundingClientRect()) || hidden) problems.push(`${source} is not visible`);
        if (!(diagram.complete && diagram.naturalWidth > 0)) problems.push(`${source} did not load`);
    }
    return problems;
}"""


def assert_math_rendered(page):
    math = page.evaluate(MATH)
    assert math["unrendered"] == 0, f"{math['unrendered']} of {math['formulas']} formulas not rendered"
    for raw in ("\\(", "\\[", "$$", "\\sigma", "\\tanh"):
        assert raw not in math["text"], f"raw TeX {raw!r} is visible"


# The page's code blocks, the set-up boxes opened first, as a reader does to see them (a hidden
# block copies nothing). The calculator's generated code is not in the HTML; its own test copies it.
OPEN_CODE_BLOCKS = """() => {
    document.querySelectorAll("article details").forEach((box) => { box.open = true; });
    const blocks = [...document.querySelectorAll("pre > code")];
    return blocks.filter((code) => !code.closest("[data-figure]")).length;
}"""
# Clicks the copy buttons of the page's code blocks from ``start`` to ``stop`` and reads the
# clipboard after each. The clipboard is emptied first only before a block whose expected copy is
# the one before it (``fresh``): elsewhere a click that copied nothing leaves the previous block's
# text, which differs from what is expected. Twenty blocks a call: a scripted click may write the
# clipboard only within 5 s of the user gesture that Playwright grants each call, and a long
# page's clicks in one call took longer than that on a busy machine.
COPY_BLOCKS = """async ([start, stop, fresh]) => {
    const blocks = [...document.querySelectorAll("pre > code")].filter((c) => !c.closest("[data-figure]"));
    const copied = [];
    for (const [offset, code] of blocks.slice(start, stop).entries()) {
        const button = code.closest(".highlight, pre").querySelector("button[data-md-type='copy']");
        if (!button) { copied.push(null); continue; }
        if (fresh.includes(start + offset)) await navigator.clipboard.writeText("");
        button.click();
        copied.push(await navigator.clipboard.readText());
    }
    return copied;
}"""
BLOCKS_PER_CALL = 20


def assert_images_shown(page, viewport):
    problems = page.evaluate(IMAGES)
    assert not problems, f"at {viewport} size: {problems}"


@pytest.fixture(scope="module")
def reader(browser):
    """One tab that opens page after page, as a reader following links does. A fresh tab for each
    page cost about 40% more: a new renderer process, and every script and style compiled again."""
    tab = Watched(browser, permissions=["clipboard-read", "clipboard-write"])
    yield tab
    tab.close()


@pytest.mark.parametrize("page", BUILT_PAGES, ids=relative)
def test_page_in_chromium(reader, built_site, site_url, page):
    """The page loads from 127.0.0.1 alone, with no error or failed request, math rendered and
    diagrams shown, at desktop size and then resized to a phone's; each copy button copies what
    ``copies.code_blocks`` reads from the HTML, which ``test_copies`` runs."""
    reader.forget()
    reader.page.set_viewport_size(VIEWPORTS["desktop"])
    loaded = reader.open(site_url + page_url(page))
    # A page of the ledger holds what its page states, in its words; some use no term at all.
    explains = not page.is_relative_to(DOCS / "claims")
    # One load for both sizes: a load is the costliest step, and the page's CSS and Material's
    # scripts follow a resize as they follow the size at load.
    assert len(reader.requests) < REQUESTS_FEWER_THAN, reader.requests
    for viewport, size in VIEWPORTS.items():
        loaded.set_viewport_size(size)
        assert not reader.outside_requests(), viewport
        assert not reader.problems, viewport
        assert_math_rendered(loaded)
        if explains:
            assert loaded.locator("article abbr[title]").count() > 0, "no glossary tooltip on the page"
        assert_images_shown(loaded, viewport)
    expected = [block.copied for block in code_blocks(built_file(built_site, page).read_text())]
    count = loaded.evaluate(OPEN_CODE_BLOCKS)
    copied = []
    # The clipboard starts empty for the first block and for one that repeats the block before it.
    fresh = [0] + [i for i in range(1, len(expected)) if expected[i] == expected[i - 1]]
    for start in range(0, count, BLOCKS_PER_CALL):
        copied += loaded.evaluate(COPY_BLOCKS, [start, start + BLOCKS_PER_CALL, fresh])
    assert copied == expected


def test_math_renders_after_instant_navigation(watched, site_url):
    """Following the site's own links (Material's instant navigation) still renders every formula."""
    tab = watched()
    start = tab.open(site_url)
    start.locator("article a[href$='gates/']").first.click()  # the home page's path of lessons
    start.wait_for_url("**/gates/")
    start.wait_for_load_state("networkidle")
    start.locator(".arithmatex .katex").first.wait_for()
    assert_math_rendered(start)
    start.locator("article a[href*='parameter-count/']").first.click()
    start.wait_for_url("**/parameter-count/**")
    start.locator(".arithmatex .katex").first.wait_for()
    assert_math_rendered(start)
    assert not tab.outside_requests()
    assert not tab.problems


def test_missing_page_shows_the_404_page(watched, site_url):
    """A path that does not exist answers 404 with the site's own page, styled and local."""
    tab = watched()
    response = tab.page.goto(site_url + "no-such-term/")
    assert response.status == 404
    tab.page.wait_for_load_state("networkidle")
    assert "404" in tab.page.locator("article").inner_text()
    assert not tab.outside_requests()


@pytest.fixture(scope="module")
def search_box(browser, site_url):
    """The site's search field on the home page, its index loaded; the searches share it."""
    tab = Watched(browser)
    page = tab.open(site_url)
    page.wait_for_load_state("networkidle")  # the search index loads in a worker after the page
    search = page.locator("input.md-search__input")
    search.click()
    yield tab, search
    tab.close()


@pytest.mark.parametrize("query, expected", SEARCHES.items())
def test_search_finds_the_right_page_first(search_box, query, expected):
    """Typing a term into the site's search lists the page that defines it first."""
    from playwright.sync_api import expect

    tab, search = search_box
    search.fill("")
    search.press_sequentially(query, delay=20)  # Material searches on key presses, as a reader types
    first = tab.page.locator(".md-search-result__item a").first
    # Results refresh on every key press: wait (up to 5 s) for those of the whole query.
    expect(first).to_have_attribute("href", re.compile(rf"/{re.escape(expected)}([?#].*)?$"))
    assert not tab.outside_requests()
    assert not tab.problems
