"""Every number in a built page's prose is computed, generated from a run, or marked as not a measurement.

See ``prose.py`` for the three ways. The mutation tests change numbers as a careless edit would
and show that these checks notice each change.
"""

from __future__ import annotations

import re

import pytest
from copies import code_blocks
from generators.computed import evaluate
from paths import PAGES, relative
from prose import NAMES, NUMBER, front_matter, page_text, unaccounted, unused
from site_build import built_file

REASONS = {
    "chosen": "a size or value the page picked for its example",
    "definition": "what a term, range, formula or setting is, not what Keras measured",
    "notation": "part of how the equations are written",
    "citation": "a year or version of a work named",
    "printed": "printed by a block of the page: the test finds each number in its output",
    "claim": "stated by a claim the page shows: the test finds the claim on the page",
}
"""The kinds of reason a phrase marked in a page's front matter may give, before its colon."""


def marked(page) -> dict[str, str]:
    return front_matter(page.read_text()).get("numbers") or {}


def printed_numbers(html: str) -> set[str]:
    """The numbers that the page's code blocks show as printed: their #> lines and quoted output."""
    numbers = set()
    for block in code_blocks(html):
        output = re.findall(r"^\s*#> (.*)$", block.copied, re.M)
        output += re.findall(r"^\s*'''\n(.*?)^\s*'''$", block.copied, re.M | re.S)
        numbers.update(NUMBER.findall("\n".join(output)))
    return numbers


@pytest.fixture(scope="module")
def texts(built_site):
    return {page: page_text(built_file(built_site, page).read_text()) for page in PAGES}


@pytest.mark.parametrize("page", PAGES, ids=relative)
def test_every_number_is_accounted_for(texts, page):
    """No number in the page's prose is typed without being computed or marked with a reason."""
    found = unaccounted(texts[page].text, marked(page))
    assert not found, f"{len(found)} unmarked numbers in {relative(page)}:\n" + "\n".join(found)


@pytest.mark.parametrize("page", PAGES, ids=relative)
def test_every_marked_phrase_is_on_the_page_with_a_reason(texts, page):
    """A phrase marked as not a measurement still stands on the page, and says why."""
    phrases = marked(page)
    assert not unused(texts[page].text, phrases), f"{relative(page)}: marked but not on the page"
    for phrase, reason in phrases.items():
        kind, _, why = str(reason).partition(":")
        assert kind.split(" ")[0] in REASONS and why.strip(), f"{relative(page)}: {phrase!r} needs a reason"


@pytest.mark.parametrize("page", PAGES, ids=relative)
def test_a_phrase_said_to_be_printed_or_claimed_is(built_site, page):
    """A phrase marked "printed: ..." holds only numbers that the page's code prints; one marked
    "claim ID: ..." names a claim that the page shows or links to (its check ran in this build)."""
    html = built_file(built_site, page).read_text()
    printed = printed_numbers(html)
    for phrase, reason in marked(page).items():
        if reason.startswith("printed"):
            missing = set(NUMBER.findall(phrase)) - printed
            assert not missing, f"{relative(page)}: {phrase!r} has {missing}, which no block prints"
        if reason.startswith("claim "):
            claim_id = reason.removeprefix("claim ").split(":")[0]
            titles = [
                re.sub(r"<[^>]+>", "", title) for title in re.findall(r'admonition-title">(.*?)</p>', html)
            ]
            shown = (
                any(title.endswith(f": {claim_id}") for title in titles)
                or f"#claim-{claim_id.lower()}" in html
            )
            assert shown, (
                f"{relative(page)}: {phrase!r} cites claim {claim_id}, which the page neither shows nor links"
            )


@pytest.mark.parametrize("page", PAGES, ids=relative)
def test_every_computed_value_is_what_the_code_gives_now(texts, page):
    """Each value the build computed is what its expression gives against the installed Keras."""
    for expression, shown in texts[page].computed:
        assert evaluate(expression) == shown, f"{{{{ {expression} }}}} shows {shown!r}"


def mutations(text: str) -> list[str]:
    """Copies of ``text``, each with one of its numbers changed by one in its last digit.

    Versions' names are left alone: "Keras 2" changed to "Keras 3" is another name, which only
    the claims about each version's behaviour can catch, not a check of numbers.
    """
    names = [(m.start(), m.end()) for name in NAMES for m in re.finditer(re.escape(name), text)]
    numbers = [
        number
        for number in NUMBER.finditer(text)
        if not any(start <= number.start() and number.end() <= end for start, end in names)
    ]
    changed = []
    for number in numbers:
        digits = number.group()
        last = max(i for i, c in enumerate(digits) if c.isdigit())
        mutated = digits[:last] + str((int(digits[last]) + 1) % 10) + digits[last + 1 :]
        changed.append(text[: number.start()] + mutated + text[number.end() :])
    return changed


MUTATED_PAGES = [page for page in PAGES if marked(page)]


@pytest.mark.parametrize("page", MUTATED_PAGES, ids=relative)
def test_changing_a_marked_number_is_noticed(texts, page):
    """Every number of the page, edited by one digit, is reported: no phrase accepts the edit."""
    for mutated in mutations(texts[page].text):
        assert unaccounted(mutated, marked(page)), "a changed number went unnoticed"


def test_changing_a_computed_number_is_noticed(texts):
    """A computed value edited on the page differs from what its expression gives."""
    shown = [(expression, value) for text in texts.values() for expression, value in text.computed]
    assert shown, "no page computes a value"
    for expression, value in shown:
        for mutated in mutations(value):
            assert evaluate(expression) != mutated
