"""The end of every page: where it comes from, and links to report a problem with it and to edit it.

The stamp names the commit the site was built from and the Keras, TensorFlow and NumPy its claims
were checked against; the links go to ``extra.repository``, where one is set.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

from generators.build_context import LEDGER_FOLDER, BuildContext, anchor


def stamp(context: BuildContext, output: str, page) -> str:
    """The page's stamp as an ``<aside>``: what built it, and how many of its claims were checked."""
    cited = set(re.findall(r'(?:href="[^"]*#|id=")claim-([a-z0-9-]+)"', output))
    claims = [
        result
        for result in context.results.values()
        if anchor(result.claim.id).removeprefix("claim-") in cited
    ]
    checked = sum(not result.skipped for result in claims)
    if claims:
        counted = (
            f"the {len(claims)} claims on this page were" if len(claims) > 1 else "the claim on this page was"
        )
        if checked < len(claims):
            counted = (
                f"{checked} of the {len(claims)} claims on this page {'was' if checked == 1 else 'were'}"
            )
        sentence = f"Built from {context.commit}; {counted} checked against {context.versions}."
        unchecked = len(claims) - checked
        if unchecked:
            boxes = "its box says" if unchecked == 1 else "their boxes say"
            sentence += f" {unchecked} could not run there; {boxes} why."
    else:
        sentence = f"Built from {context.commit}, with {context.versions}."
    return (
        '<aside class="page-stamp" data-generated="stamp" aria-label="Where this page comes from">'
        f"<p>{sentence}</p>{correction_links(context, page)}</aside>"
    )


def correction_links(context: BuildContext, page) -> str:
    """Links to report a problem with ``page`` and to edit its source; none without a repository.

    Plain links to the repository: a page fetches nothing from it when it is viewed.
    """
    if not context.repository:
        return ""
    source = f"docs/{page.file.src_uri}"
    if page.file.src_uri.startswith(f"{LEDGER_FOLDER}/"):  # its entries come from the page's claims module
        explained = page.file.src_uri.removeprefix(f"{LEDGER_FOLDER}/")
        results = context.claims_by_page().get(explained)
        if results:
            source = results[0].claim.check.__module__.replace(".", "/") + ".py"
    title = f"Problem on the page {page.title}"
    body = (
        f"Page: {page.canonical_url or page.url}\n"
        f"Built from: {re.sub(r'<[^>]+>', '', context.commit)}\n"
        f"Checked against: {html.unescape(context.versions)}\n\n"
        "What is wrong, and what you expected:\n"
    )
    report = f"{context.repository}/issues/new?title={quote(title)}&body={quote(body)}"
    edit = f"{context.repository}/edit/main/{quote(source)}"
    return (
        f'<p class="page-links"><a href="{html.escape(report)}">Report a problem with this page</a>'
        f' · <a href="{html.escape(edit)}">Edit this page</a></p>'
    )
