"""MkDocs hook: the offline copy's variant of the site, and the link to the copy.

- Material's offline plugin (on where ``GLOSSARY_OFFLINE`` is true) links pages as ``gates.html``
  rather than ``gates/``, and puts the search index in a script; it also adds the iframe-worker
  shim, which runs search's worker from ``file://``, from unpkg.com. The copy must need no
  network, so the shim the site ships (``docs/assets/iframe-worker/``, MIT) takes its place.
- Instant navigation is off in the copy. Material skips it on ``file://``, but with it on, the
  signal that a page is ready (``document$``) ends before the page loads, and nothing that waits
  for it runs.
- ``<!-- offline-copy -->`` on a page becomes the link to download the copy (where ``WITH_COPY``
  is set), a line saying where the copy is made, or, in the copy itself, that this is the copy.

``scripts/offline_copy.py`` builds the copy and zips it.
"""

from __future__ import annotations

import os

from scripts.offline_copy import ARCHIVE, FOLDER, WITH_COPY

SHIM = "assets/iframe-worker/shim.js"
MARKER = "<!-- offline-copy -->"


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
        note = "You are reading the offline copy: every page is a file of this folder."
    elif not os.environ.get(WITH_COPY):
        note = (
            f"The published site also offers `{ARCHIVE}`: this site as files, to unzip and open from "
            "`index.html` with no network."
        )
    else:
        note = (
            f'<a href="{ARCHIVE}" download>{ARCHIVE}</a> is this site as files: unzip it and open '
            f"`{FOLDER}/index.html` in a browser, with no network. Search works there too."
        )
    return markdown.replace(MARKER, note)
