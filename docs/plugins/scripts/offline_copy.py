"""The offline copy of the site: every page as a file that opens from ``file://``, in one zip.

``python docs/plugins/scripts/offline_copy.py SITE_DIR RECORD`` builds the offline variant (the
``offline_copy`` hook and Material's offline plugin, on where ``GLOSSARY_OFFLINE`` is true) from the
claims run that the site's own build recorded in ``RECORD`` (``GLOSSARY_CLAIMS_RECORD``), and writes
it into ``SITE_DIR`` as ``lstm-glossary-offline.zip``, whole or not at all. ``nox -s docs`` and the
tests' build of the site run it.
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
ARCHIVE = "lstm-glossary-offline.zip"
FOLDER = "lstm-glossary"
"""The folder the zip unpacks to; its ``index.html`` is the home page."""
ROOT = Path(__file__).resolve().parents[3]


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
        sys.exit("usage: python docs/plugins/scripts/offline_copy.py SITE_DIR RECORD")
    try:
        print(build(Path(sys.argv[1]), Path(sys.argv[2])))
    except (RuntimeError, OSError) as failure:
        sys.exit(f"offline copy: {failure}")
