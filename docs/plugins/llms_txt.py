"""MkDocs hook: ``llms.txt`` and ``llms-full.txt`` (`generators.llms_txt`), written after the build.

Each page's final Markdown, and the home page's stamp, are kept on the build context as the pages
are rendered; the two files are written from them once every page is.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from generators import build_context
from generators.llms_txt import NOT_CHECKED, STAMP, absolute_links, full_text, index

from glossary.files import write_atomically


def on_post_page(output, page, config):
    """Keep the home page's stamp (the ``page_stamp`` hook wrote it): the files say what it says."""
    stamp = STAMP.search(output) if page.is_homepage else None
    if stamp:
        build_context.of(config).home_stamp = html.unescape(re.sub(r"<[^>]+>", "", stamp["sentence"]))
    return output


def on_page_content(html, page, config, files):
    """Keep the page's Markdown as the build's hooks left it (``page.markdown``, now final)."""
    build_context.of(config).pages[page.file.src_uri] = {
        "not checked": {claim_id for ids in NOT_CHECKED.findall(page.markdown) for claim_id in ids.split()},
        "title": page.title,
        "url": page.canonical_url or page.url,
        "markdown": absolute_links(page.markdown, page.file.src_uri, config["site_url"] or "/"),
    }
    return html


def on_post_build(config):
    """Write ``llms.txt`` and ``llms-full.txt`` at the site's root.

    Not in a build with no address (the offline copy): their links would lead nowhere.
    """
    if not config["site_url"]:
        return
    context, site = build_context.of(config), Path(config["site_dir"])
    write_atomically(site / "llms.txt", index(config, context.pages, context.home_stamp))
    write_atomically(site / "llms-full.txt", full_text(config, context.pages, context.home_stamp))
