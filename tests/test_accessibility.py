"""Every page of the built site, audited by axe-core in Chromium, in the light and the dark scheme.

The audit (tests/axe.py) checks WCAG 2.0 and 2.1, levels A and AA; a page passes with no
violation that axe rates serious or critical. The dark scheme is the one a reader whose system
prefers it gets on arrival; it changes only colours, so there the audit runs the rules that
colours decide (contrast, links told apart from text), and the light scheme runs them all.

Each page's first screen, what a reader sees on arrival, is saved as a JPEG under
``test-artifacts/screenshots/``, in each scheme. The suite runs the audit; ``-m accessibility``
runs it alone.
"""

from __future__ import annotations

import pytest
from axe import COLOUR_RULES, violations
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
    yield tab, SCHEMES[request.param]
    tab.close()


@pytest.mark.parametrize("page", BUILT_PAGES, ids=relative)
def test_no_serious_accessibility_violation(reader_in_scheme, built_site, site_url, page):
    tab, scheme = reader_in_scheme
    loaded = tab.open(site_url + page_url(page))
    assert loaded.evaluate("document.body.dataset.mdColorScheme") == scheme
    name = page_url(page).strip("/").replace("/", "-") or "home"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    loaded.screenshot(
        path=SCREENSHOTS / f"{name}-{'light' if scheme == 'default' else 'dark'}.jpeg", quality=80
    )
    found = violations(loaded, rules=None if scheme == "default" else COLOUR_RULES)
    assert not found, "\n".join(found)
