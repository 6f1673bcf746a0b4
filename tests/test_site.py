"""The built site: strict, self-contained, every internal link and anchor real, reproducible."""

import filecmp
import functools
import gzip
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from paths import PAGES, relative
from scripts.offline_copy import ARCHIVE
from site_build import build, built_file, claims_record

# Tags whose address the browser fetches; <link rel="canonical"> only names the page's address.
FETCHED = re.compile(r"<(?:script|link|img|iframe|source)\b[^>]*>", re.I)
ABSOLUTE = re.compile(r'\b(?:src|href)="(?:https?:)?//', re.I)


class LinksAndAnchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])


@functools.cache  # pages are linked many times over (the glossary from every tooltip, say)
def parse(path: Path) -> LinksAndAnchors:
    parser = LinksAndAnchors()
    parser.feed(path.read_text())
    return parser


@pytest.mark.parametrize("page", PAGES, ids=relative)
def test_page_loads_nothing_from_outside(built_site, page):
    """No script, stylesheet, font, image or frame on a built page comes from another host."""
    html = built_file(built_site, page).read_text()
    fetched = [tag for tag in FETCHED.findall(html) if 'rel="canonical"' not in tag]
    assert not [tag for tag in fetched if ABSOLUTE.search(tag)]


@pytest.mark.parametrize("page", PAGES, ids=relative)
def test_math_is_left_for_the_local_katex(built_site, page):
    """Every formula is handed to KaTeX (served from the site) and none is left as raw dollars."""
    html = built_file(built_site, page).read_text()
    assert "assets/katex/katex.min.js" in html
    text = re.sub(r"<(pre|code)\b.*?</\1>", "", html, flags=re.S)
    assert "$$" not in text and not re.search(r"\$\\", text)


def test_snippets_are_expanded(built_site):
    """No ``--8<--`` include line survives into a built page: each was replaced by its file."""
    for page in PAGES:
        assert not re.search(r"--8\s*&lt;\s*--", built_file(built_site, page).read_text()), relative(page)


def test_every_internal_link_and_anchor_exists(built_site):
    """Every relative link on every built page reaches a file, and its #anchor an element id there."""
    broken = []
    for html in built_site.rglob("*.html"):
        for link in parse(html).links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith("mailto:"):
                continue
            # 404.html links from the site's root (it is served at any depth); others are relative.
            base = built_site if parts.path.startswith("/") else html.parent
            target = (base / unquote(parts.path).lstrip("/")).resolve() if parts.path else html
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{html.relative_to(built_site)}: {link}")
            elif parts.fragment and unquote(parts.fragment) not in parse(target).ids:
                broken.append(f"{html.relative_to(built_site)}: {link} (no such anchor)")
    assert not broken


HEAVIEST = 600_000
"""Bytes of HTML a page may weigh (issue 19). The ledger was one page of 2.2 MB; split by the page
that explains its claims, each check's set-up shown once, its heaviest page is under half this."""


def test_every_page_is_light(built_site):
    """No page's HTML weighs more than ``HEAVIEST`` (its styles, scripts and images are shared)."""
    weights = {relative(page): built_file(built_site, page).stat().st_size for page in PAGES}
    heavy = {page: weight for page, weight in weights.items() if weight >= HEAVIEST}
    assert not heavy


def test_site_has_a_404_page(built_site):
    """A 404.html exists for static hosts to show for a missing path."""
    assert "404" in (built_site / "404.html").read_text()


# Where a build that read a record says so: after each verdict, and at the top of the ledger.
FROM_RECORD = re.compile(
    r", as recorded in .{1,300}?\(SHA-256 [0-9a-f]{12}\)"
    r"|Every verdict below was read from the recorded run .{1,400}?not by running them during this build\."
)
FROM_RUN = "Every verdict below was found by running its check while this site was built."
SKIPPED_FROM_RECORD = re.compile(r"Not checked as recorded in .{1,300}?:")
SKIPPED_FROM_RUN = "Not checked in this build:"


@pytest.mark.site_first
def test_two_builds_are_identical(built_site, tmp_path):
    """Building the same commit again gives the same files, byte for byte, apart from the sitemap's
    date and where the pages say their verdicts come from.

    The second build shows the first build's run of the claims instead of running them again (most
    of a build's time), and says so; that a check run again finds the same is checked in
    test_claims. Every build runs the training page's script for its charts and table, so this is
    also the test that a second run of it gives the same numbers, as that page says.
    """
    build(tmp_path, claims_from=claims_record(built_site))
    comparison = filecmp.dircmp(built_site, tmp_path)
    differing = []

    def walk(node, prefix=""):
        differing.extend(prefix + name for name in node.diff_files + node.left_only + node.right_only)
        for name, sub in node.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(comparison)
    said_so = []
    # gzip stamps its own creation time; the offline copy is made for the first build alone, and
    # test_offline_copy checks it.
    for name in set(differing) - {"sitemap.xml.gz", ARCHIVE}:
        ran, read = (built_site / name).read_text(), (tmp_path / name).read_text()
        assert FROM_RECORD.search(read), f"{name} differs, and not in saying where its verdicts come from"
        read = SKIPPED_FROM_RECORD.sub(SKIPPED_FROM_RUN, FROM_RECORD.sub("", read))
        assert read == ran.replace(FROM_RUN, ""), name
        said_so.append(name)
    claim_pages = {built_file(Path(), page).as_posix() for page in PAGES if "<!-- claim" in page.read_text()}
    assert claim_pages <= set(said_so), "every page with a claim says its verdicts came from a record"
    assert gzip.decompress((built_site / "sitemap.xml.gz").read_bytes()) == gzip.decompress(
        (tmp_path / "sitemap.xml.gz").read_bytes()
    )
