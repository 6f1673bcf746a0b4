"""MkDocs hook: the claims ledger, run before any page is written, and shown where pages ask for it.

Every claim is run against the installed Keras (or read from a recorded run of the ledger,
``GLOSSARY_CLAIMS_RECORD``) into the build context that later hooks read; a claim whose check
disagrees with the ledger stops the build. On a page, ``<!-- claim: ID -->`` becomes the claim's
mark, ``<!-- error-message: ID -->`` the message its check caught, ``<!-- claims-ledger -->`` the
index of the whole ledger, ``<!-- corrections -->`` the table of corrected statements and
``<!-- compatibility -->`` the set-ups' verdicts. Each page with claims gets a generated ledger page,
``claims/PAGE.md``, holding ``<!-- claims-of: PAGE -->``: its claims' entries and checks.
"""

from __future__ import annotations

import re

from generators import build_context, ledger_pages
from generators.compatibility import compatibility
from generators.markup import expanded, generated
from mkdocs.structure.files import File

from glossary.versions import quiet_tensorflow

ERROR_MESSAGE_MARKER = re.compile(r"^<!-- error-message: (?P<id>[A-Z0-9-]+) -->$", re.M)
CLAIMS_OF_MARKER = re.compile(r"^<!-- claims-of: (?P<page>[a-z0-9-]+\.md) -->$", re.M)


def on_pre_build(config):
    """Run every claim (or read a recorded run) into the build context, kept on ``config``."""
    quiet_tensorflow()  # before the checks import it
    build_context.keep(config, build_context.create(config))


def on_files(files, config):
    """Add the ledger's page of each page with claims, ``claims/PAGE.md``: generated, never written."""
    from glossary.claims import LEDGER

    explained = sorted({claim.page.partition("#")[0] for claim in LEDGER.values()})
    for page in explained:
        files.append(
            File.generated(config, build_context.ledger_page(page), content=f"<!-- claims-of: {page} -->\n")
        )
    return files


def on_page_markdown(markdown, page, config, files):
    """Expand a page's claim marks, error messages and ledger sections."""
    context = build_context.of(config)
    to_root = "../" * page.file.src_uri.count("/")
    markdown = ledger_pages.CLAIMS_TOGETHER.sub(
        lambda m: ledger_pages.claims_at(context, ledger_pages.CLAIM_MARKER.findall(m[0]), to_root), markdown
    )
    markdown = ERROR_MESSAGE_MARKER.sub(
        lambda m: generated("error-message", ledger_pages.error_message(context, m["id"], to_root)), markdown
    )
    if CLAIMS_OF_MARKER.search(markdown):
        # Out of the search index, which every page loads: the index page lists each claim's ID and
        # statement, and a search finds them there.
        page.meta.setdefault("search", {"exclude": True})
        markdown = CLAIMS_OF_MARKER.sub(
            # The title outside the generated part, where MkDocs finds a page's title.
            lambda m: (
                f"# Claims ledger: {ledger_pages.page_title(context, m['page'])}\n\n"
                + generated("claims-of", ledger_pages.entries_of(context, m["page"], to_root))
            ),
            markdown,
        )
    markdown = expanded(
        markdown, "<!-- claims-ledger -->", lambda: ledger_pages.ledger_index(context, to_root)
    )
    markdown = expanded(markdown, "<!-- corrections -->", lambda: ledger_pages.corrections(context, to_root))
    # The matrix's cells (✓, skipped, not run) are no answer to a reader's words.
    return expanded(
        markdown, "<!-- compatibility -->", lambda: compatibility(context, to_root), searched=False
    )
