"""The site builds with ``mkdocs build --strict`` and the pages it builds need nothing from outside."""

import os
import re
import subprocess
import sys

import pytest
from paths import PAGES, ROOT, relative

# Tags whose address the browser fetches; <link rel="canonical"> only names the page's address.
FETCHED = re.compile(r"<(?:script|link|img|iframe|source)\b[^>]*>", re.I)
ABSOLUTE = re.compile(r'\b(?:src|href)="(?:https?:)?//', re.I)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site_dir = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=ROOT,
        # Material prints a banner about its successor on every build; it is news, not a fault.
        env=os.environ | {"NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert not re.search(r"WARNING|ERROR", result.stderr), result.stderr
    return site_dir


def built_page(site, page):
    name = page.relative_to(ROOT / "docs").with_suffix("")
    return site / ("index.html" if name.as_posix() == "index" else f"{name}/index.html")


@pytest.mark.parametrize("page", PAGES, ids=relative)
def test_page_loads_nothing_from_outside(site, page):
    """No script, stylesheet, font, image or frame on a built page comes from another host."""
    html = built_page(site, page).read_text()
    fetched = [tag for tag in FETCHED.findall(html) if 'rel="canonical"' not in tag]
    assert not [tag for tag in fetched if ABSOLUTE.search(tag)]


@pytest.mark.parametrize("page", PAGES, ids=relative)
def test_math_is_left_for_the_local_katex(site, page):
    """Every formula is handed to KaTeX (served from the site) and none is left as raw dollars."""
    html = built_page(site, page).read_text()
    assert "assets/katex/katex.min.js" in html
    text = re.sub(r"<(pre|code)\b.*?</\1>", "", html, flags=re.S)
    assert "$$" not in text and not re.search(r"\$\\", text)


def test_snippets_are_expanded(site):
    """No ``--8<--`` include line survives into a built page: each was replaced by its file."""
    for page in PAGES:
        assert "--8&lt;--" not in built_page(site, page).read_text(), relative(page)
