"""The term registry: one definition per term, an example in snippets/terms/, a page that uses it."""

import re

import pytest
from paths import DOCS, PAGES, SNIPPETS

from glossary.terms import BY_NAME, TERMS

PAGES_BUT_GLOSSARY = [page for page in PAGES if page.name != "glossary.md"]


def test_names_are_unique():
    """One term, one entry."""
    assert len(BY_NAME) == len(TERMS)


def test_every_term_has_one_example_and_every_example_a_term():
    """snippets/terms/ holds one script per term (test_docs runs each and checks its #> lines)."""
    examples = {path.stem for path in (SNIPPETS / "terms").glob("*.py")}
    assert examples == {term.example_name for term in TERMS}


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


PYTORCH_NAME = re.compile(
    r"\b(?:weight|bias)_[ih]h_l0\b|\b(?:hidden_size|input_size|num_layers|batch_first|bidirectional)\b"
)


def test_pytorch_names_exist_on_nn_lstm():
    """Every nn.LSTM attribute the registry names (hidden_size, weight_ih_l0, ...) is a real one."""
    torch = pytest.importorskip("torch")
    lstm = torch.nn.LSTM(input_size=5, hidden_size=4)
    named = {name for term in TERMS for name in PYTORCH_NAME.findall(term.pytorch)}
    assert named, "the pattern no longer finds the registry's PyTorch names"
    assert not [name for name in named if not hasattr(lstm, name)]


def test_pytorch_bidirectional_concatenates():
    """``bidirectional=True`` in PyTorch concatenates the two directions, like Keras's default merge mode."""
    torch = pytest.importorskip("torch")
    output, _ = torch.nn.LSTM(input_size=5, hidden_size=4, bidirectional=True, batch_first=True)(
        torch.zeros(3, 7, 5)
    )
    assert tuple(output.shape) == (3, 7, 8)
