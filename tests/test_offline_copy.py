"""The offline copy: the site as files in one zip, opened from ``file://`` in Chromium."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from paths import ROOT
from scripts import offline_copy
from tabs import Watched

HREF = re.compile(r'\b(?:href|src)="(?P<target>[^"]+)"')


@pytest.fixture(scope="module")
def unpacked(built_site, tmp_path_factory) -> Path:
    """The copy linked from the home page, unzipped as a reader unzips it."""
    folder = tmp_path_factory.mktemp("offline")
    with zipfile.ZipFile(built_site / offline_copy.ARCHIVE) as archive:
        archive.extractall(folder)
    return folder / offline_copy.FOLDER


def test_the_home_page_links_the_copy(built_site):
    assert f'href="{offline_copy.ARCHIVE}"' in (built_site / "index.html").read_text()


def test_every_link_of_the_copy_is_a_file_of_it(unpacked):
    """From ``file://`` a link to a folder shows the folder: each link names a file that exists."""
    pages = sorted(unpacked.rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        for target in HREF.findall(page.read_text()):
            parts = urlsplit(target)
            if parts.scheme or parts.netloc:  # another site (GitHub, for a report), never this one's server
                assert parts.scheme in ("https", "data"), f"{page.name}: {target}"
                continue
            if not parts.path:  # a place on the same page
                continue
            assert (page.parent / unquote(parts.path)).resolve().is_file(), f"{page.name}: {target}"


def test_the_copy_works_from_files(browser, unpacked):
    """Pages load from the files alone, navigation works, math renders, and search finds pages."""
    reader = Watched(browser)
    try:
        home = reader.open((unpacked / "index.html").as_uri())
        assert "You are reading the offline copy" in home.inner_text("article")
        home.click("article a[href='gates.html']")  # the home page's path of lessons
        home.wait_for_load_state("load")
        assert home.url.endswith("/gates.html")
        home.wait_for_function("document.querySelectorAll('.arithmatex:not(:has(.katex))').length === 0")
        home.click("input.md-search__input")
        home.locator("input.md-search__input").press_sequentially("forget gate bias")
        first = home.locator(".md-search-result__item a").first
        first.wait_for()
        assert (
            unpacked
            / unquote(urlsplit(first.get_attribute("href")).path).split(f"/{offline_copy.FOLDER}/")[-1]
        ).is_file()
        outside = [url for url in reader.requests if urlsplit(url).scheme not in ("file", "data", "blob")]
        assert not outside and not reader.problems, outside + reader.problems
    finally:
        reader.close()


def test_the_zip_depends_on_the_files_alone(tmp_path):
    folder = tmp_path / offline_copy.FOLDER
    (folder / "assets").mkdir(parents=True)
    (folder / "index.html").write_text("<p>home</p>")
    (folder / "assets" / "site.css").write_text("p {}")
    offline_copy.write_zip(folder, tmp_path / "one.zip")
    (folder / "index.html").touch()  # a later time, the same bytes
    offline_copy.write_zip(folder, tmp_path / "two.zip")
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "one.zip") as archive:
        assert archive.namelist() == ["lstm-glossary/assets/site.css", "lstm-glossary/index.html"]


def test_a_copy_that_does_not_build_leaves_no_file(tmp_path):
    """A record that is not a record stops the copy's build: one line, and no zip, not even a part."""
    record = tmp_path / "claims.json"
    record.write_text("not a record")
    site = tmp_path / "site"
    site.mkdir()
    with pytest.raises(RuntimeError, match=r"^the offline copy did not build: ") as stopped:
        offline_copy.build(site, record)
    assert "\n" not in str(stopped.value)
    assert not list(site.iterdir())


def test_the_script_says_how_to_call_it():
    ran = subprocess.run(
        [sys.executable, "docs/plugins/scripts/offline_copy.py"], cwd=ROOT, capture_output=True, text=True
    )
    assert (
        ran.returncode != 0
        and ran.stderr.strip() == "usage: python docs/plugins/scripts/offline_copy.py SITE_DIR RECORD"
    )
