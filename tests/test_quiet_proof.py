"""The proof serves the reading (issue 26): on the built site in Chromium, a page's claim marks and
set-up toggles take little of its height, every claim the page makes is one click from its
evidence, the set-ups where a claim differs are named where it is stated, and a common mistake
is shown after its correction."""

from __future__ import annotations

import re
import statistics

import pytest
from paths import DOCS, relative
from site_build import page_url
from tabs import Watched

from glossary.claims import LEDGER

REFERENCE = {"faq.md", "glossary.md", "corrections.md", "claims.md", "error-messages.md", "compatibility.md"}
"""Pages that are the proof or look-up lists, not reading: the measure is for the others."""
READING_PAGES = [
    page for page in sorted(DOCS.glob("*.md")) if page.name not in REFERENCE and page.parent == DOCS
]
MACHINERY = '[data-generated="claim"], [data-generated="set-up"]'
"""What on a page is there to prove it rather than to explain: claim marks and set-up toggles."""
MEDIAN_SHARE, WORST_SHARE = 0.05, 0.08
"""The issue's target: at most 5% of a reading page's height in the median, 8% on the worst page."""
DESKTOP = {"width": 1366, "height": 800}

SHARES = """(selector) => {
  const article = document.querySelector("article");
  const total = article.getBoundingClientRect().height;
  const parts = [...document.querySelectorAll(selector)].filter((e) => !e.parentElement.closest(selector));
  const machinery = parts.reduce((sum, e) => sum + e.getBoundingClientRect().height, 0);
  const stamp = document.querySelector(".page-stamp");
  const stamped = stamp ? stamp.getBoundingClientRect().height : 0;
  return [machinery / total, (machinery + stamped) / total];
}"""
MARKS = """() => [...document.querySelectorAll("details.claim-mark")].map((mark) => ({
  claims: mark.dataset.claims.split(" "),
  summary: mark.querySelector("summary").textContent,
  links: [...mark.querySelectorAll("a")].map((link) => new URL(link.href).hash),
}))"""


def markers(page) -> list[str]:
    return re.findall(r"^<!-- claim: ([A-Z0-9-]+) -->$", page.read_text(), re.M)


CORRECTIONS = """() => [...document.querySelectorAll(".misconception")].map((correction) => ({
  claims: correction.querySelector("details.claim-mark").dataset.claims,
  text: correction.innerText,
}))"""


@pytest.fixture(scope="module")
def reading(computed_once, browser, site_url) -> dict[str, dict]:
    """Each reading page as Chromium shows it at 1366 by 800: its shares, marks and corrections;
    measured by one worker of the run."""
    return computed_once("reading", lambda: _read(browser, site_url))


def _read(browser, site_url) -> dict[str, dict]:
    tab = Watched(browser)
    tab.page.set_viewport_size(DESKTOP)
    seen = {}
    try:
        for page in READING_PAGES:
            tab.open(site_url + page_url(page))
            share, with_stamp = tab.page.evaluate(SHARES, MACHINERY)
            seen[relative(page)] = {
                "share": share,
                "with stamp": with_stamp,
                "marks": tab.page.evaluate(MARKS),
                "corrections": tab.page.evaluate(CORRECTIONS),
                "problems": list(tab.problems),
            }
            tab.forget()
    finally:
        tab.close()
    return seen


def test_machinery_takes_little_of_a_reading_page(reading):
    """Claim marks and set-up toggles, measured as the height of their boxes, take at most 5% of a
    reading page's height in the median and 8% on the worst page, at 1366 by 800."""
    shares = {page: seen["share"] for page, seen in reading.items()}
    stamped = [seen["with stamp"] for seen in reading.values()]
    worst = max(shares, key=shares.get)
    print(
        f"\nmachinery share: median {statistics.median(shares.values()):.1%}, worst {shares[worst]:.1%}"
        f" ({worst}); with the page's stamp: median {statistics.median(stamped):.1%},"
        f" worst {max(stamped):.1%}"
    )
    assert statistics.median(shares.values()) <= MEDIAN_SHARE
    assert shares[worst] <= WORST_SHARE, worst
    assert not [problem for seen in reading.values() for problem in seen["problems"]]


def expected_caveat(claim_ids: list[str]) -> set[str]:
    """The set-ups a mark must name: where the matrix's records say a claim of it differs."""
    from generators import setups

    runs = setups.recorded()
    return {setups.short(run) for claim_id in claim_ids for run in setups.differing(claim_id, runs)}


@pytest.mark.parametrize("page", [page for page in READING_PAGES if markers(page)], ids=relative)
def test_every_claim_is_one_click_from_its_evidence(reading, page):
    """Every claim marker of the page's source is in a mark whose summary opens onto a link to the
    claim's entry; a mark names each set-up where a claim of it differs, and a false statement is
    shown after the statement that corrects it."""
    seen = reading[relative(page)]
    shown = [claim_id for mark in seen["marks"] for claim_id in mark["claims"]]
    assert sorted(shown) == sorted(markers(page))
    for mark in seen["marks"]:
        assert [f"#claim-{claim_id.lower()}" for claim_id in mark["claims"]] == mark["links"]
        summary = mark["summary"]
        assert re.match(r"^[✓○]Evidence: (checked|\d+ checks|not run here)", summary), summary
        named = set(
            re.findall(r"(?:differs on |, | and )(Keras 2|PyTorch on a GPU|JAX|PyTorch|TensorFlow)", summary)
        )
        own_setup = {"TensorFlow"}  # the build's own set-up: its verdicts are the mark's own
        assert named == expected_caveat(mark["claims"]) - own_setup, summary
    corrections = {correction["claims"]: correction["text"] for correction in seen["corrections"]}
    for claim in (LEDGER[claim_id] for claim_id in markers(page)):
        if claim.verdict:
            continue
        text = corrections[claim.id]
        truth = LEDGER[claim.corrected_by].statement.replace("`", "")
        mistake = claim.statement.replace("`", "")
        assert text.index(truth) < text.index("Often said, and false:") < text.index(mistake), claim.id


def test_a_mark_opens_with_the_keyboard(browser, site_url):
    """Tab reaches a mark's summary; Enter opens it, and its link to the evidence is then the next stop."""
    tab = Watched(browser)
    try:
        page = tab.open(site_url + page_url(DOCS / "return-sequences-and-state.md"))
        first = page.locator("details.claim-mark > summary").first
        first.focus()
        page.keyboard.press("Enter")
        assert page.locator("details.claim-mark").first.evaluate("(mark) => mark.open")
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.getAttribute('href')")
        assert focused and "#claim-" in focused
        assert not tab.problems
    finally:
        tab.close()
