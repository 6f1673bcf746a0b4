"""A reader who pastes an error message into the site's search lands on its entry first.

Each message on the error-messages page is the evidence of a claim, printed by the installed Keras
while the site was built. The test copies it from the page as a reader selects it, pastes it into
Material's search box in Chromium, and checks that the first result is the entry that explains it.
"""

from __future__ import annotations

import re

import pytest
from paths import DOCS
from tabs import Watched

PAGE = DOCS / "error-messages.md"
ENTRY = re.compile(r"^### .*?$(?P<body>.*?)(?=^##|\Z)", re.M | re.S)
MESSAGE = re.compile(r"<!-- error-message: (?P<id>[A-Z0-9-]+) -->")
MESSAGES = [m["id"] for entry in ENTRY.finditer(PAGE.read_text()) for m in MESSAGE.finditer(entry["body"])]
# Each message's text and the anchor of the entry that shows it, read in the page as shown.
SHOWN = """(claimId) => {
    const link = document.querySelector(`article a[href$="#claim-${claimId.toLowerCase()}"]`);
    const block = link.closest("[data-generated='error-message']").querySelector("pre.error-message code");
    let heading = block.closest("[data-generated]");
    while (heading && heading.tagName !== "H3") heading = heading.previousElementSibling;
    return [block.innerText, heading.id];
}"""


def test_every_entry_shows_a_message():
    assert len(MESSAGES) >= 15, "the page lists fewer messages than it did"


@pytest.fixture(scope="module")
def error_page(browser, site_url):
    tab = Watched(browser, permissions=["clipboard-read", "clipboard-write"])
    page = tab.open(site_url + "error-messages/")
    page.wait_for_load_state("networkidle")  # the search index loads in a worker after the page
    yield tab
    tab.close()


@pytest.mark.parametrize("claim_id", MESSAGES)
def test_a_pasted_message_finds_its_entry_first(error_page, site_url, claim_id):
    """The message, pasted whole (its lines joined, as a search box takes them), lists its entry first."""
    from playwright.sync_api import expect

    page = error_page.page
    message, anchor = page.evaluate(SHOWN, claim_id)
    assert message.strip() and anchor
    page.evaluate("(text) => navigator.clipboard.writeText(text)", message)
    search = page.locator("input.md-search__input")
    search.click()
    search.fill("")
    search.press("Control+V")
    # The box keeps the message as pasted; docs/assets/javascripts/search-query.js turns what
    # Material would read as query syntax into spaces on the query's way to the search.
    assert search.input_value().split() == message.split()
    # Material lists a page, then its sections that match, best first: the page is the first result,
    # and the entry its first section. Results follow every change of the query: wait (up to 5 s)
    # for those of the whole message.
    first_page = page.locator(".md-search-result__item").first
    expect(first_page.locator("a").first).to_have_attribute(
        "href", re.compile(r"/error-messages/(\?[^#]*)?$")
    )
    first_section = first_page.locator("a[href*='#']").first
    expect(first_section).to_have_attribute(
        "href", re.compile(rf"/error-messages/[^#]*#{re.escape(anchor)}$")
    )
    page.keyboard.press("Escape")
    assert not error_page.outside_requests()
    assert not error_page.problems
