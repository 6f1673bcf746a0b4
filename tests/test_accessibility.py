"""Every page of the built site, audited by axe-core in Chromium, in the light and the dark scheme.

The audit (tests/axe.py) checks WCAG 2.0 and 2.1, levels A and AA; a page passes with no
violation that axe rates serious or critical. The dark scheme is the one a reader whose system
prefers it gets on arrival; it changes only colours, so there the audit runs the rules that
colours decide (contrast, links told apart from text), and the light scheme runs them all. The
colour rules decide each look of text (colour, background, size, weight) on the first page that
shows it, in each scheme (`axe.site_violations`): a look is one verdict wherever it stands.

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


@pytest.fixture(scope="module", params=SCHEMES)
def reader_in_scheme(request, browser):
    """A tab whose system prefers the light or the dark scheme, for page after page."""
    tab = Watched(browser, color_scheme=request.param)
    tab.context.add_init_script(script=axe.script())  # in each page as it loads: cheaper than after
    yield tab, SCHEMES[request.param], {}  # the looks whose colours were audited, by rule
    tab.close()


@pytest.mark.parametrize("page", BUILT_PAGES, ids=relative)
def test_no_serious_accessibility_violation(reader_in_scheme, built_site, site_url, page, request):
    tab, scheme, looks_seen = reader_in_scheme
    loaded = tab.open(site_url + page_url(page))
    assert loaded.evaluate("document.body.dataset.mdColorScheme") == scheme
    if request.config.getoption("screenshots"):
        name = page_url(page).strip("/").replace("/", "-") or "home"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        loaded.screenshot(
            path=SCREENSHOTS / f"{name}-{'light' if scheme == 'default' else 'dark'}.jpeg", quality=80
        )
    found = site_violations(loaded, looks_seen, colours_only=scheme != "default")
    assert not found, "\n".join(found)


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
