"""``llms.txt`` and ``llms-full.txt``: the site as text for language models (https://llmstxt.org)."""

from __future__ import annotations

import html
import json
import re

import pytest
from paths import BUILT_PAGES, PAGES, relative
from site_build import built_file, claims_record, page_url

from glossary.claims import LEDGER

SITE_URL = "http://127.0.0.1:8000/"  # mkdocs.yml's site_url where SITE_URL is unset, as in the tests
LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")


@pytest.fixture(scope="module")
def index(built_site) -> str:
    return (built_site / "llms.txt").read_text()


@pytest.fixture(scope="module")
def full(built_site) -> str:
    return (built_site / "llms-full.txt").read_text()


def test_the_index_has_the_format_of_llms_txt(index, built_site):
    """A title, a summary in a quote, the build's stamp, then sections of link lists."""
    home = built_file(built_site, PAGES[0].parent / "index.md").read_text()
    stamp = re.search(r'<aside class="page-stamp"[^>]*><p>(.*?)</p>', home, re.S)[1]
    assert html.unescape(re.sub(r"<[^>]+>", "", stamp)) in index
    lines = index.splitlines()
    assert lines[0] == "# LSTM Glossary" and lines[1] == "" and lines[2].startswith("> ")
    assert [line for line in lines if line.startswith("#")][1:] == [
        line for line in lines if line.startswith("## ")
    ]
    assert "## Optional" in lines


def test_the_index_lists_every_page_with_its_claims(built_site, index):
    """Each page's address, and under its page each claim: its verdict (and whether it could not be
    checked in the build), statement and ID, once."""
    recorded = json.loads(claims_record(built_site).read_text())["claims"]
    not_run = {row["id"] for row in recorded if row["skipped"]}
    for page in BUILT_PAGES:
        assert f"]({SITE_URL}{page_url(page)})" in index, relative(page)
    for claim in LEDGER.values():
        verdict = ("true" if claim.verdict else "false") + (", not checked" if claim.id in not_run else "")
        line = f"  - {verdict}: {claim.statement} ({claim.id})"
        assert index.count(line) == 1, claim.id
        explained = f"]({SITE_URL}{page_url(PAGES[0].parent / claim.page.partition('#')[0])})"
        assert index.index(explained) < index.index(line), claim.id


def test_every_link_leads_to_a_built_file(built_site, index, full):
    from generators import llms_txt

    for text in (index, full):
        for target in LINK.findall(llms_txt.FENCED_BLOCK.sub("", text)):  # code is not linked
            if not target.startswith(SITE_URL):
                assert re.match(r"https?://", target), f"{target} is not an address"
                continue
            path = target.removeprefix(SITE_URL).partition("#")[0]
            assert (built_site / path).is_file() or (built_site / path / "index.html").is_file(), target


def test_the_full_text_holds_every_page_as_text(full):
    """Every page once, after its address; its includes written out; nothing only a browser needs."""
    for page in BUILT_PAGES:
        assert full.count(f"\nAddress: {SITE_URL}{page_url(page)}\n") == 1, relative(page)
    assert "--8<--" not in full
    assert "data-copy" not in full and "data-generated" not in full
    assert not re.search(r"^\*\[", full, re.M), "a tooltip's definition"
    assert not re.search(r"&(?:#\d+|[a-z]+);", full), "a character reference"
    assert "def lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):" in full  # an include


def test_the_full_text_holds_what_each_check_printed(built_site, full):
    """The evidence of every claim that ran in the build is in the text, as the check printed it."""
    recorded = json.loads(claims_record(built_site).read_text())["claims"]
    for row in recorded:
        if row["skipped"] is None:
            assert row["detail"].splitlines()[0] in full, row["id"]


def test_the_home_page_links_both(built_site):
    home = built_file(built_site, PAGES[0].parent / "index.md").read_text()
    assert 'href="llms.txt"' in home and 'href="llms-full.txt"' in home


def test_text_from_a_record_stays_text_in_the_full_file(tmp_path):
    """A forged record's reason or evidence, escaped on the page, is no tag, link or code break in
    llms-full.txt: each character Markdown would read as markup is behind a backslash, and code
    sits in a run of backticks longer than any inside it."""
    from generators import llms_txt
    from generators.markup import shown_as_code, shown_as_text

    forged = "<img src=x onerror=alert(1)> [click](https://evil.example) `x` *bold*"
    written = llms_txt.plain(
        f"Not checked: {shown_as_text(forged)}. Found: {shown_as_code(forged)}.", tmp_path
    )
    shown_as_text_part = written.split("Found:")[0]
    assert "<img" not in shown_as_text_part.replace("\\<img", "")
    assert "\\<img src=x onerror=alert(1)\\> \\[click\\](https://evil.example) \\`x\\` \\*bold\\*" in written
    assert f"``{forged}``" in written
