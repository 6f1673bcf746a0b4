"""The offline copy of the site: every page as a file that opens from ``file://``, in one zip.

As a hook, listed in ``mkdocs.yml``:

- Material's offline plugin (on where ``GLOSSARY_OFFLINE`` is true) links pages as ``gates.html``
  rather than ``gates/``, and puts the search index in a script; it also adds the iframe-worker
  shim, which runs search's worker from ``file://``, from unpkg.com. The copy must need no
  network, so the shim the site ships (``docs/assets/iframe-worker/``, MIT) takes its place.
- Instant navigation is off in the copy. Material skips it on ``file://``, but with it on, the
  signal that a page is ready (``document$``) ends before the page loads, and nothing that waits
  for it runs: KaTeX left every formula as TeX.
- ``<!-- offline-copy -->`` on a page becomes the link to download the copy (where ``WITH_COPY``
  is set), a line saying where the copy is made, or, in the copy itself, that this is the copy.

As a script, ``python docs/plugins/offline_copy.py SITE_DIR RECORD``: build the offline variant
from the claims run that the site's own build recorded in ``RECORD`` (``GLOSSARY_CLAIMS_RECORD``),
and write it into ``SITE_DIR`` as ``lstm-glossary-offline.zip``, whole or not at all. ``nox -s
docs`` and the tests' build of the site run it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

OFFLINE = "GLOSSARY_OFFLINE"
WITH_COPY = "GLOSSARY_WITH_OFFLINE_COPY"
"""Set for a build that `build` follows with the copy (``nox -s docs``, the tests): only its home
page links the zip, which a plain ``mkdocs build`` or ``mkdocs serve`` does not make."""
SHIM = "assets/iframe-worker/shim.js"
ARCHIVE = "lstm-glossary-offline.zip"
FOLDER = "lstm-glossary"
"""The folder the zip unpacks to; its ``index.html`` is the home page."""
MARKER = "<!-- offline-copy -->"
ROOT = Path(__file__).resolve().parent.parent.parent


def _offline(config) -> bool:
    return config.plugins["material/offline"].config.enabled


def on_config(config):
    """In the offline variant: the shim the site serves, not unpkg.com's; no instant navigation."""
    if not _offline(config):
        return config
    polyfills = config.extra.get("polyfills", [])
    config.extra["polyfills"] = [SHIM if "iframe-worker" in url else url for url in polyfills]
    config.theme["features"] = [name for name in config.theme["features"] if name != "navigation.instant"]
    return config


def on_page_markdown(markdown, page, config, files):
    """The link to the copy, or in the copy, where the reader is."""
    if MARKER not in markdown:
        return markdown
    if _offline(config):
        said = "You are reading the offline copy: every page is a file of this folder."
    elif not os.environ.get(WITH_COPY):
        said = (
            f"The published site also offers `{ARCHIVE}`: this site as files, to unzip and open from "
            "`index.html` with no network."
        )
    else:
        said = (
            f'<a href="{ARCHIVE}" download>{ARCHIVE}</a> is this site as files: unzip it and open '
            f"`{FOLDER}/index.html` in a browser, with no network. Search works there too."
        )
    return markdown.replace(MARKER, said)


def build(site_dir: Path, record: Path, environment: dict[str, str] | None = None) -> Path:
    """Build the offline variant from ``record`` and write it as ``site_dir / ARCHIVE``."""
    environment = (os.environ if environment is None else environment) | {
        OFFLINE: "true",
        "SITE_URL": "",  # no address: a page of the copy names no server, even as its canonical one
        "GLOSSARY_CLAIMS_RECORD": str(record),
        "NO_MKDOCS_2_WARNING": "1",
    }
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / FOLDER
        built = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(copy)],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
        )
        if built.returncode != 0:
            last = (built.stderr.strip().splitlines() or ["no message"])[-1]
            raise RuntimeError(f"the offline copy did not build: {last}")
        # What only a web server uses: the page it shows for a missing path (whose links start at
        # the server's root, which a folder does not have) and the sitemap for search engines.
        for served_only in ("404.html", "sitemap.xml", "sitemap.xml.gz"):
            (copy / served_only).unlink(missing_ok=True)
        # The text files for language models, as the site has them: the copy has no address of its
        # own to link to (llms_txt.py writes none for it), so theirs lead to the published pages.
        for text in ("llms.txt", "llms-full.txt"):
            if (site_dir / text).is_file():
                shutil.copyfile(site_dir / text, copy / text)
        archive = site_dir / ARCHIVE
        partial = site_dir / f".{ARCHIVE}.partial"  # beside the archive: replacing it is one step
        try:
            write_zip(copy, partial)
            partial.replace(archive)
        finally:
            partial.unlink(missing_ok=True)
    return archive


def write_zip(folder: Path, archive: Path) -> None:
    """``folder`` as a zip whose bytes depend on its files alone: sorted, every date 1980-01-01."""
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zipped:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                entry = zipfile.ZipInfo(
                    f"{folder.name}/{path.relative_to(folder).as_posix()}", (1980, 1, 1, 0, 0, 0)
                )
                entry.external_attr = 0o644 << 16
                entry.compress_type = zipfile.ZIP_DEFLATED
                zipped.writestr(entry, path.read_bytes())


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python docs/plugins/offline_copy.py SITE_DIR RECORD")
    try:
        print(build(Path(sys.argv[1]), Path(sys.argv[2])))
    except (RuntimeError, OSError) as failure:
        sys.exit(f"offline copy: {failure}")
