"""Every table of the built site, laid out in Chromium: it fits, or it scrolls and says so.

On a laptop's screen (1366 by 800) a table fits the width of its page, or, where it cannot, scrolls
sideways in its box with a cue (a line above the box, and a fading right edge while more lies that
way). A code name in a table cell never breaks inside a word: it wraps, if at all, after a dot, an
underscore, a slash, a hyphen, a comma or a space (``keras.layers.`` then ``LSTM``, never
``keras.layer`` then ``s.LSTM``). On a phone (390 by 844) every column of the widest tables, its
header and every cell, can be brought into view, and a table that scrolls keeps its first column
in view and shows its cue. The layout is docs/assets/stylesheets/extra.css (tables) and
docs/assets/javascripts/scrolling-tables.js.
"""

from __future__ import annotations

import pytest
from axe import violations
from paths import DOCS, PAGES, relative
from site_build import built_file, page_url
from tabs import Watched

LAPTOP = {"width": 1366, "height": 800}
WIDE_TABLE_PAGES = [DOCS / "porting.md", DOCS / "compatibility.md", DOCS / "glossary.md"]
BREAKS_AFTER = "._/-, "
"""The characters after which a code name may wrap; any white space too."""

# Every table of the page in turn, shown (its details opened, its tab chosen) and measured: its box
# and whether it scrolls, the cue of one that does, and every place where a code element inside a
# cell starts a new line with the character before it.
TABLES = """async (breaks) => {
    const frames = () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    const shown = (element) => element.getClientRects().length > 0;
    const results = [];
    const tables = [...document.querySelectorAll("article table")];
    for (const [index, table] of tables.entries()) {
        for (let open = table.closest("details"); open; open = open.parentElement.closest("details")) {
            open.open = true;
        }
        const block = table.closest(".tabbed-block");
        if (block && !shown(table)) {
            const set = block.closest(".tabbed-set");
            const blocks = [...block.parentElement.children];
            set.querySelectorAll(":scope > input")[blocks.indexOf(block)].click();
        }
        await frames();
        const box = table.closest(".md-typeset__scrollwrap");
        const headers = [...table.querySelectorAll("th")].slice(0, 3).map((th) => th.textContent.trim());
        const result = {index, headers: headers.join(" | "), shown: shown(table), boxed: !!box};
        results.push(result);
        if (!result.shown || !box) continue;
        const article = document.querySelector(".md-content__inner").getBoundingClientRect();
        const placed = table.getBoundingClientRect();
        result.scrolls = box.scrollWidth > box.clientWidth + 1;
        result.fits = !result.scrolls && table.scrollWidth <= table.clientWidth + 1
            && placed.left >= article.left - 1 && placed.right <= article.right + 1;
        result.width = Math.round(placed.width);
        result.room = Math.round(article.width);
        result.cue = cueOf(box);
        result.breaks = [];
        for (const code of table.querySelectorAll("td code, th code")) {
            let line = null;
            let before = null;
            const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const node = walker.currentNode;
                for (let i = 0; i < node.length; i++) {
                    const range = document.createRange();
                    range.setStart(node, i);
                    range.setEnd(node, i + 1);
                    const rect = [...range.getClientRects()].find((r) => r.width > 0 || r.height > 0);
                    if (rect) {
                        if (line && rect.top > line.top + line.height / 2
                            && !(before && (/\\s/.test(before) || breaks.includes(before)))) {
                            const text = code.textContent;
                            const at = text.indexOf(node.data) + i;
                            result.breaks.push(`${text.slice(0, at)}⏎${text.slice(at)}`);
                        }
                        line = rect;
                    }
                    before = node.data[i];
                }
            }
        }
    }
    return results;
}"""

# What a reader is shown of a box that scrolls: its Tab stop and name, the line above it, and the
# fading edge on the side where more lies. Defined on the page, for TABLES and COLUMNS.
CUE = """() => {
    window.cueOf = (box) => {
        const hint = box.previousElementSibling;
        const style = hint && getComputedStyle(hint);
        const rect = hint && hint.getBoundingClientRect();
        const fade = getComputedStyle(box.firstElementChild, "::after");
        return {
            scrollable: ["auto", "scroll"].includes(getComputedStyle(box).overflowX),
            focusable: box.getAttribute("tabindex") === "0" && box.getAttribute("role") === "region"
                && (box.getAttribute("aria-label") || "").includes("scrolls sideways"),
            hint: !!hint && hint.classList.contains("table-scroll-hint") && rect.width > 0
                && rect.height > 0 && style.visibility === "visible" && Number(style.opacity) > 0.9
                && rect.left >= 0 && rect.right <= document.documentElement.clientWidth
                && box.getBoundingClientRect().top - rect.bottom < 24 ? hint.textContent : null,
            fadeRight: box.hasAttribute("data-more-right") && Number(fade.opacity) > 0.9,
        };
    };
}"""


@pytest.fixture(scope="module")
def laptop(browser):
    tab = Watched(browser)
    tab.page.set_viewport_size(LAPTOP)
    yield tab
    tab.close()


@pytest.fixture
def phone(browser):
    tab = Watched(browser, "phone", is_mobile=True, has_touch=True)
    yield tab
    tab.close()


def measure(tab, url) -> list[dict]:
    page = tab.open(url)
    page.wait_for_load_state("networkidle")
    page.evaluate(CUE)
    return page.evaluate(TABLES, BREAKS_AFTER)


@pytest.fixture(scope="module")
def laptop_tables(computed_once, laptop, built_site, site_url) -> dict[str, list[dict]]:
    """Every table of every built page that has one, measured at 1366 by 800, by one worker of the run."""
    return computed_once("laptop_tables", lambda: _measure_tables(laptop, built_site, site_url))


def _measure_tables(laptop, built_site, site_url) -> dict[str, list[dict]]:
    measured = {}
    for page in PAGES:
        if "<table" in built_file(built_site, page).read_text(encoding="utf-8"):
            measured[relative(page)] = measure(laptop, site_url + page_url(page))
    assert not laptop.problems, laptop.problems
    return measured


def test_the_pages_have_tables_to_measure(laptop_tables):
    """The measurement finds the tables (the pages with wide ones among them), each one shown."""
    for page in WIDE_TABLE_PAGES:
        assert laptop_tables.get(relative(page)), relative(page)
    for page, tables in laptop_tables.items():
        for table in tables:
            assert table["shown"] and table["boxed"], (page, table)


def test_every_table_fits_its_page_or_scrolls_with_a_cue(laptop_tables):
    problems = []
    for page, tables in laptop_tables.items():
        for table in tables:
            if table["fits"]:
                continue
            cue = table["cue"]
            if not (table["scrolls"] and all(cue.values())):
                problems.append(
                    f"{page}, table {table['index']} ({table['headers']}): {table['width']} px wide "
                    f"in {table['room']} px, scrolls: {table['scrolls']}, cue: {cue}"
                )
    assert not problems, "\n".join(problems)


def test_the_wide_tables_fit_on_a_laptop(laptop_tables):
    """The porting map, the compatibility tables and the glossary's cross-walk need no scrolling at
    1366 by 800: their pages give them the width of the table of contents."""
    for page in WIDE_TABLE_PAGES:
        for table in laptop_tables[relative(page)]:
            assert table["fits"], (relative(page), table)


def test_no_code_name_breaks_inside_a_word(laptop_tables):
    problems = [
        f"{page}, table {table['index']} ({table['headers']}): {broken!r}"
        for page, tables in laptop_tables.items()
        for table in tables
        for broken in table["breaks"]
    ]
    assert not problems, "\n".join(problems)


# On a phone, for each column of a table: is it brought into view by scrolling its box (its left
# edge just right of the first column, which stays in view, then its right edge at the box's right),
# and does every cell of it, the header included, lie inside what the box and the screen show then?
COLUMNS = """async (index) => {
    const frames = () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    const table = document.querySelectorAll("article table")[index];
    const box = table.closest(".md-typeset__scrollwrap");
    const rows = [...table.rows];
    const corner = rows[0].cells[0];
    const says = (cell) => `"${cell.textContent.trim().slice(0, 30)}"`;
    const problems = [];
    box.scrollLeft = 0;
    box.scrollIntoView({block: "center"});
    await frames();
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    const cue = scrolls ? cueOf(box) : null;
    if (scrolls && !(cue.scrollable && cue.focusable && cue.hint && cue.fadeRight)) {
        problems.push(`no cue: ${JSON.stringify(cue)}`);
    }
    // What the box shows of a column other than the first: right of the first if that one stays.
    const seen = (column) => {
        const frame = box.getBoundingClientRect();
        const left = column > 0 && scrolls ? corner.getBoundingClientRect().right : frame.left;
        return {left: Math.max(0, left), right: Math.min(document.documentElement.clientWidth, frame.right)};
    };
    for (let column = 0; column < rows[0].cells.length; column++) {
        const cells = rows.map((row) => row.cells[column]).filter(Boolean);
        for (const edge of ["left", "right"]) {
            const header = cells[0].getBoundingClientRect();
            box.scrollLeft += header[edge] - seen(column)[edge];
            await frames();
            const view = seen(column);
            for (const cell of cells) {
                const x = cell.getBoundingClientRect()[edge];
                if (x < view.left - 1 || x > view.right + 1) {
                    problems.push(`column ${column + 1}: the ${edge} edge of ${says(cell)} is out of view`);
                }
                if (cell.scrollWidth > cell.clientWidth + 1) {
                    problems.push(`column ${column + 1}: ${says(cell)} is cut off inside its cell`);
                }
            }
        }
    }
    if (scrolls) {
        box.scrollLeft = box.scrollWidth;
        await frames();
        const frame = box.getBoundingClientRect();
        for (const row of rows) {
            const rect = row.cells[0].getBoundingClientRect();
            if (Math.abs(rect.left - frame.left) > 1 || rect.right > frame.right) {
                problems.push(`at the table's end the first column is out of view: ${says(row.cells[0])}`);
            }
        }
        if (box.hasAttribute("data-more-right")) problems.push("at the table's end, its edge still fades");
    }
    return {scrolls, problems};
}"""


@pytest.mark.parametrize("page", WIDE_TABLE_PAGES, ids=relative)
def test_every_column_can_be_read_on_a_phone(phone, site_url, page):
    loaded = phone.open(site_url + page_url(page))
    loaded.wait_for_load_state("networkidle")
    loaded.evaluate(CUE)
    assert loaded.evaluate("window.innerWidth") == 390
    count = loaded.locator("article table").count()
    assert count
    problems = []
    for index in range(count):
        result = loaded.evaluate(COLUMNS, index)
        problems += [f"table {index}: {problem}" for problem in result["problems"]]
    assert loaded.evaluate("document.documentElement.scrollWidth") <= 390, "the page scrolls sideways"
    assert not problems, "\n".join(problems)
    assert not phone.problems


# The tables, their boxes and the lines above them only: on a phone the page's other parts (its
# code blocks) are tests/test_accessibility.py's concern, at its own size.
TABLE_PARTS = [".md-typeset__scrollwrap", ".table-scroll-hint"]


@pytest.mark.accessibility
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page", WIDE_TABLE_PAGES, ids=relative)
def test_tables_that_scroll_pass_the_audit_on_a_phone(browser, site_url, page, scheme):
    """Where these tables scroll: their boxes (Tab stops with a name), the line above each and the
    sticky first column, in both schemes. `nox -s accessibility` runs it with the page audit."""
    tab = Watched(browser, "phone", is_mobile=True, has_touch=True, color_scheme=scheme)
    try:
        loaded = tab.open(site_url + page_url(page))
        loaded.wait_for_load_state("networkidle")
        assert loaded.locator(".md-typeset__scrollwrap[role=region]").count()
        loaded.locator(".table-scroll-hint").first.wait_for()
        found = violations(loaded, TABLE_PARTS)
        assert not found, "\n".join(found)
    finally:
        tab.close()
