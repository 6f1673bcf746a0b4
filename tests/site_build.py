"""Build the site the way a reader gets it, and serve it on 127.0.0.1 like a static host."""

from __future__ import annotations

import functools
import http.server
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

from generators.build_context import CLAIMS_RECORD
from paths import ROOT
from scripts import offline_copy

REPOSITORY = "https://github.com/example-owner/lstm-glossary"
"""The repository the test build's pages link to, set as the Pages workflow sets it."""
# Material prints a banner about its successor on every build; it is news, not a fault.
BUILD_ENVIRONMENT = os.environ | {
    "NO_MKDOCS_2_WARNING": "1",
    "GLOSSARY_REPOSITORY": REPOSITORY,
    offline_copy.WITH_COPY: "1",  # build_for_readers makes the copy the home page links
}


def claims_record(site_dir: Path) -> Path:
    """Where the build of ``site_dir`` writes its run of the claims (beside the site, not in it)."""
    return site_dir.with_name(f"{site_dir.name}-claims.json")


def unmeasured(environment: dict[str, str]) -> dict[str, str]:
    """``environment`` for a process that coverage does not follow.

    For a build that runs no code the first build did not: measuring one slows it about twice
    over (the tracer sees every call inside Keras and Markdown), and finds no line the first did
    not, which `test_claims_record` and `test_offline_copy` cover where only such builds reach.
    """
    return {name: value for name, value in environment.items() if not name.startswith("COVERAGE_PROCESS_")}


def build(site_dir: Path, claims_from: Path | None = None) -> subprocess.CompletedProcess:
    """``mkdocs build --strict`` into ``site_dir``. The claims are run and recorded beside it, or,
    with ``claims_from``, read from that record instead of being run again (and not measured)."""
    record = claims_from or claims_record(site_dir)
    environment = BUILD_ENVIRONMENT if claims_from is None else unmeasured(BUILD_ENVIRONMENT)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=ROOT,
        env=environment | {CLAIMS_RECORD: str(record)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert not re.search(r"WARNING|ERROR", result.stderr), result.stderr
    return result


def build_for_readers(site_dir: Path) -> None:
    """The site as ``nox -s docs`` builds it for readers: `build`, then the offline copy, made from
    the same run of the claims, zipped into the site."""
    build(site_dir)
    offline_copy.build(site_dir, claims_record(site_dir), unmeasured(BUILD_ENVIRONMENT))


class StaticHost(http.server.SimpleHTTPRequestHandler):
    """Serves files as GitHub Pages does, including the site's own 404.html for a missing path."""

    def send_error(self, code, message=None, explain=None):
        not_found = Path(self.directory) / "404.html"
        if code != 404 or not not_found.is_file():
            return super().send_error(code, message, explain)
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):  # keep the test output clean
        pass


def serve(site_dir: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Start serving ``site_dir`` on a free port of 127.0.0.1; return the server and its base URL."""
    handler = functools.partial(StaticHost, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def page_url(page: Path) -> str:
    """The path under the site's root at which a docs/ page is served."""
    name = page.relative_to(ROOT / "docs").with_suffix("").as_posix()
    return "" if name == "index" else f"{name.removesuffix('/index')}/"


def built_file(site_dir: Path, page: Path) -> Path:
    return site_dir / page_url(page) / "index.html"
