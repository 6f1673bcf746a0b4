"""Each page's stamp: the commit it was built from, the versions of the claims run behind its
verdicts, and links to report a problem with the page and to edit its source."""

from __future__ import annotations

import html
import json
import re
import subprocess
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import page_stamp
import pytest
from fakes import fake_context
from generators import build_context
from generators.page_stamp import correction_links
from mkdocs.exceptions import PluginError
from paths import BUILT_PAGES, DOCS, ROOT, relative
from site_build import REPOSITORY, built_file, claims_record, page_url

STAMP = re.compile(r'<aside class="page-stamp"[^>]*>(?P<inside>.*?)</aside>', re.S)
LINK = re.compile(r'<a href="(?P<href>[^"]+)">(?P<text>[^<]+)</a>')


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


@pytest.fixture(scope="module")
def commit() -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout[:12]


def test_every_page_ends_with_its_stamp(built_site, commit):
    """The stamp names the commit, and the Keras, TensorFlow and NumPy of the claims run the build
    showed (its record), and counts the claims the page cites or shows."""
    recorded = json.loads(claims_record(built_site).read_text())
    versions = recorded["versions"]
    not_run = {row["id"].lower() for row in recorded["claims"] if row["skipped"]}
    ran_on = (
        f"Keras {versions['Keras']} ({versions['backend']} backend), TensorFlow {versions['TensorFlow']} "
        f"and NumPy {versions['NumPy']}"
    )
    for page in BUILT_PAGES:
        page_html = built_file(built_site, page).read_text()
        stamps = STAMP.findall(page_html)
        assert len(stamps) == 1, relative(page)
        said = text_of(stamps[0].split('<p class="page-links">')[0])
        assert f"Built from commit {commit}" in said, relative(page)
        assert ran_on in said, relative(page)
        cited = set(re.findall(r'(?:href="[^"]*#|id=")claim-([a-z0-9-]+)"', page_html))
        checked = len(cited - not_run)
        if checked < len(cited):
            assert f"{checked} of the {len(cited)} claims on this page" in said, relative(page)
            assert f"{len(cited) - checked} could not run there" in said, relative(page)
        elif len(cited) > 1:
            assert f"the {len(cited)} claims on this page were checked against" in said, relative(page)
        elif cited:
            assert "the claim on this page was checked against" in said, relative(page)
        else:
            assert "claim" not in said, relative(page)


def test_every_page_links_to_report_a_problem_and_to_its_source(built_site):
    """The report link opens a new issue that names the page, its commit and versions; the edit link
    opens the file the page is made from: the page's Markdown, or for a ledger page the module of
    the checks it shows."""
    for page in BUILT_PAGES:
        stamp = STAMP.search(built_file(built_site, page).read_text())["inside"]
        links = {match["text"]: html.unescape(match["href"]) for match in LINK.finditer(stamp)}
        assert set(links) == {"Report a problem with this page", "Edit this page"}, relative(page)
        report = urlsplit(links["Report a problem with this page"])
        assert f"{report.scheme}://{report.netloc}{report.path}" == f"{REPOSITORY}/issues/new"
        body = parse_qs(report.query)["body"][0]
        assert f"/{page_url(page)}\n" in body and "Built from: commit " in body, relative(page)
        edited = links["Edit this page"].removeprefix(f"{REPOSITORY}/edit/main/")
        assert (ROOT / edited).is_file(), f"{relative(page)} links to edit {edited}, which is not a file"
        if page.parent == DOCS / "claims":
            assert edited.startswith("glossary/claims/") and edited.endswith(
                page.stem.replace("-", "_") + ".py"
            )
        else:
            assert edited == relative(page)


def page_for(src_uri: str) -> SimpleNamespace:
    file = SimpleNamespace(src_uri=src_uri)
    return SimpleNamespace(file=file, title="A <b>page</b> & more", canonical_url=None, url=src_uri)


def test_without_a_repository_a_page_has_no_links():
    assert build_context.repository({"extra": {"repository": ""}}) == ""
    assert build_context.repository({"extra": {}}) == ""
    assert correction_links(fake_context(repository=""), page_for("gates.md")) == ""


@pytest.mark.parametrize(
    "repository",
    [
        "http://github.com/a/b",
        "javascript:alert(1)",
        "github.com/a/b",
        "https://github.com/a/b?x=1",
        "https://",
    ],
)
def test_a_repository_that_is_not_an_https_address_stops_the_build(repository):
    with pytest.raises(PluginError, match=r"^extra\.repository must be an https address") as stopped:
        build_context.repository({"extra": {"repository": repository}})
    assert "\n" not in str(stopped.value)


def test_the_links_are_escaped_in_the_page():
    """A page's title goes into the report's address, encoded; the address into the page, escaped."""
    links = correction_links(fake_context(repository=REPOSITORY), page_for("gates.md"))
    assert "<b>" not in links and "&amp;body=" in links
    report = html.unescape(LINK.search(links)["href"])
    assert parse_qs(urlsplit(report).query)["title"] == ["Problem on the page A <b>page</b> & more"]


def test_versions_from_a_record_are_escaped():
    """A record is a file a build may be given: its versions reach the page as text."""
    phrase = build_context.versions_phrase(
        {"Keras": "3<script>alert(1)</script>", "backend": "jax\n<b>", "TensorFlow": "2", "NumPy": "2"}
    )
    assert "<" not in phrase and "\n" not in phrase
    assert phrase.startswith("Keras 3&lt;script&gt;")


def test_a_tree_outside_git_says_so(tmp_path):
    assert build_context.source_commit(tmp_path) == "a tree that is not a git checkout"


def test_a_page_built_before_the_claims_ran_is_left_alone():
    page = "<html><article>text</article></html>"
    assert page_stamp.on_post_page(page, page=None, config={}) == page
