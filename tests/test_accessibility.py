"""Every page of the built site, audited by axe-core in Chromium, in the light and the dark scheme.

The audit (tests/axe.py) checks WCAG 2.0 and 2.1, levels A and AA; a page passes with no
violation that axe rates serious or critical. Each page is audited as it arrives, in the light
scheme, then in the dark one, which the site's toggle switches it to (the colours a reader whose
system prefers dark gets on arrival: a test compares the two); the dark scheme changes only
colours, so there the audit runs the rules that colours decide (contrast, links told apart from
text), and the light scheme runs them all. The colour rules decide each look of text (colour,
background, size, weight) on the first page that shows it, in each scheme
(`axe.site_violations`): a look is one verdict wherever it stands.

With ``--screenshots``, each page's first screen, what a reader sees on arrival, is saved as a
JPEG under ``test-artifacts/screenshots/``, in each scheme (not by default: it slows the
audit by about a seventh). The suite runs the audit; ``-m accessibility`` runs it alone.
"""

from __future__ import annotations

import axe
import pytest
from axe import site_violations
from paths import BUILT_PAGES, ROOT, relative
from site_build import page_url
from tabs import Watched

pytestmark = pytest.mark.accessibility
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"

SCHEMES = {"light": "default", "dark": "slate"}  # what a reader's system prefers: Material's scheme

# The palette toggle's choice, as a reader's click makes it, with transitions off first: axe is
# to read the colours the page ends at (headless Chromium can leave a colour's transition at its
# first value).
SWITCH_TO = """(scheme) => {
    const still = document.createElement("style");
    still.textContent = "*, *::before, *::after { transition: none !important; }";
    document.head.append(still);
    document.querySelector(`input[name="__palette"][data-md-color-scheme="${scheme}"]`).click();
    return document.body.dataset.mdColorScheme;
}"""
# Every element's colours, in document order: what the two ways to the dark scheme must agree on.
COLOURS = """() => [...document.body.querySelectorAll("*")].map((element) => {
    const style = getComputedStyle(element);
    return [style.color, style.backgroundColor, style.borderTopColor].join(" ");
})"""


@pytest.fixture(scope="module")
def reader(browser):
    """A tab for page after page, whose system prefers the light scheme; the looks whose colours
    were audited, by scheme and rule."""
    tab = Watched(browser, color_scheme="light")
    tab.context.add_init_script(script=axe.script())  # in each page as it loads: cheaper than after
    yield tab, {scheme: {} for scheme in SCHEMES}
    tab.close()


def screenshot(page, scheme: str) -> None:
    name = page_url(page).strip("/").replace("/", "-") or "home"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-{scheme}.jpeg", quality=80)


@pytest.mark.parametrize("page", BUILT_PAGES, ids=relative)
def test_no_serious_accessibility_violation(reader, built_site, site_url, page, request):
    tab, looks_seen = reader
    loaded = tab.open(site_url + page_url(page))
    shots = request.config.getoption("screenshots")
    found = []
    try:
        for scheme, material in SCHEMES.items():
            if scheme != "light":
                assert loaded.evaluate(SWITCH_TO, material) == material, scheme
            assert loaded.evaluate("document.body.dataset.mdColorScheme") == material, scheme
            if shots:
                loaded.evaluate("window.scrollTo(0, 0)")
                screenshot(loaded, scheme)
            problems = site_violations(loaded, looks_seen[scheme], colours_only=scheme != "light")
            found += [f"{scheme}: {problem}" for problem in problems]
    finally:
        loaded.evaluate("localStorage.clear()")  # the toggle's choice would carry to the next page
    assert not found, "\n".join(found)


def test_the_toggle_gives_the_colours_of_a_dark_system(browser, site_url):
    """The dark scheme the toggle switches a page to has every colour a reader whose system
    prefers dark gets on arrival."""
    arrived, switched = Watched(browser, color_scheme="dark"), Watched(browser, color_scheme="light")
    try:
        dark = arrived.open(site_url + "gates/")
        assert dark.evaluate("document.body.dataset.mdColorScheme") == "slate"
        toggled = switched.open(site_url + "gates/")
        assert toggled.evaluate(SWITCH_TO, "slate") == "slate"
        assert toggled.evaluate(COLOURS) == dark.evaluate(COLOURS)
    finally:
        arrived.close()
        switched.close()


def test_a_look_is_audited_once_and_a_changed_look_again(browser, site_url):
    """The once-per-look audit decides every look of a page, then none of them again; a text whose
    colour changes is a new look, and a faint one fails."""
    tab = Watched(browser)
    try:
        page = tab.open(site_url + "gates/")
        looks_seen: dict[str, set[str]] = {}
        assert site_violations(page, looks_seen, colours_only=True) == []
        first = {rule: set(keys) for rule, keys in looks_seen.items()}
        assert len(first["color-contrast"]) > 5, first  # body text, headings, code, links, ...
        assert site_violations(page, looks_seen, colours_only=True) == []
        assert looks_seen == first
        page.add_style_tag(content="article p { color: #c8c8c8 !important; }")  # 1.7:1 on white
        found = site_violations(page, looks_seen, colours_only=True)
        assert any(problem.startswith("color-contrast") for problem in found), found
    finally:
        tab.close()
