"""Users' questions: each answered where its topic lives, backed by ledger claims, listed on the FAQ."""

import html

import pytest
from paths import DOCS
from site_build import built_file

from glossary.claims import LEDGER
from glossary.questions import QUESTIONS


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.question[:40])
def test_answer_rests_on_claims_of_its_page(question):
    """Every claim a question cites is in the ledger, and one of them lives on the page that answers it."""
    assert question.claims
    assert not [claim_id for claim_id in question.claims if claim_id not in LEDGER]
    page = question.page.partition("#")[0]
    assert (DOCS / page).is_file()
    assert any(LEDGER[claim_id].page.partition("#")[0] == page for claim_id in question.claims)


def test_every_question_is_on_the_faq_page(built_site):
    """The built FAQ page shows each question, numbered, with a link to its full answer."""
    page = html.unescape(built_file(built_site, DOCS / "faq.md").read_text())
    for number, question in enumerate(QUESTIONS, start=1):
        assert f'id="q{number}"' in page
        assert question.page.partition("#")[0].removesuffix(".md") in page
