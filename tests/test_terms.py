"""The term registry: one definition per term, each with an example that runs and a page that uses it."""

import re

import pytest
from paths import DOCS, PAGES

from glossary.mkdocs_hooks import run_example
from glossary.terms import BY_NAME, TERMS

PAGES_BUT_GLOSSARY = [page for page in PAGES if page.name != "glossary.md"]


def test_names_are_unique():
    """One term, one entry."""
    assert len(BY_NAME) == len(TERMS)


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.name)
def test_example_runs_and_prints(term):
    """A term's example is a complete script that prints something."""
    assert run_example(term.example).strip()


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.name)
def test_term_is_used_and_explained(term):
    """Some page other than the Glossary uses the term, and the page it points to has that section."""
    word = re.compile(rf"\b{re.escape(term.name)}\b", re.I)
    assert any(word.search(page.read_text()) for page in PAGES_BUT_GLOSSARY), f"{term.name} is on no page"
    page, _, section = term.page.partition("#")
    assert (DOCS / page).is_file()
    if section:
        headings = re.findall(r"^#+ (.+)$", (DOCS / page).read_text(), flags=re.M)
        assert section in {re.sub(r"[^\w\s-]", "", h.lower()).strip().replace(" ", "-") for h in headings}


def test_definitions_are_one_sentence():
    """A definition is one plain sentence: it ends with a full stop and has no other."""
    for term in TERMS:
        assert term.definition.endswith(".") and term.definition.count(". ") == 0, term.name
