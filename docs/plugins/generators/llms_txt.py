"""The site for language models, as https://llmstxt.org describes it.

- ``llms.txt``: the site's name and summary, then each page of the navigation under its section,
  linked, with the claims it makes: each statement, whether it is true or a common mistake, and
  its ID. Every claim was checked against Keras by this build (a build whose checks disagree with
  the ledger stops), so the list is the set of checked facts.
- ``llms-full.txt``: every page as the Markdown it was rendered from, after the build's hooks
  filled in claim boxes, messages, computed values and included snippets, without what only a
  browser needs (copy attributes, tooltip definitions, wrappers of generated parts).
"""

from __future__ import annotations

import html
import re
import textwrap
from pathlib import Path

from generators import navigation
from generators.copies import SECTION_MARKER

NOT_CHECKED = re.compile(r'data-not-checked="(?P<ids>[A-Z0-9 -]+)"')
"""The claims of a mark (`generators.claim_marks`) whose checks could not run in this build."""
STAMP = re.compile(r'<aside class="page-stamp"[^>]*><p>(?P<sentence>.*?)</p>', re.S)

RECORDED = re.compile(r'<span class="recorded">(?P<text>[^<]*)</span>|<code>(?P<code>[^<]*)</code>')
"""Text read from a record or a file, as `markup.shown_as_text` and `shown_as_code` make it."""
MARKDOWN_SIGNIFICANT = re.compile(r"[\\`*\[\]<>]")


def _recorded_as_markdown(match: re.Match) -> str:
    """Text from a record as Markdown that shows exactly it: no tag, link or emphasis of its own.

    Plain text keeps its characters, each one Markdown would read as markup behind a backslash; code
    sits in a code span whose run of backticks is longer than any inside it.
    """
    if match["code"] is None:
        return MARKDOWN_SIGNIFICANT.sub(lambda mark: "\\" + mark[0], html.unescape(match["text"]))
    code = html.unescape(match["code"])
    fence = "`" * (max((len(run) for run in re.findall(r"`+", code)), default=0) + 1)
    padding = " " if code.startswith("`") or code.endswith("`") else ""
    return f"{fence}{padding}{code}{padding}{fence}"


INCLUDE = re.compile(r'^(?P<indent> *)--8<-- "(?P<path>[^":]+)(?::(?P<section>[\w-]+))?"$', re.M)
COPY_ATTRIBUTE = re.compile(r' data-copy="[^"]*"')
GENERATED_WRAPPER = re.compile(
    r'^ *(?:<div (?:data-generated="[^"]*"(?: data-search-exclude="")?|class="complete-copy") markdown>'
    r"|</div>)\n",
    re.M,
)
FENCED_BLOCK = re.compile(r"(^ *(?:`{3,}|~{3,})[^\n]*\n.*?^ *(?:`{3,}|~{3,}) *$)", re.M | re.S)
"""A fenced code block, whole (its fence can be indented, as in a list or an admonition)."""
LINK_TARGET = re.compile(r"(?<=\]\()(?P<target>[^)\s#:]*)(?P<anchor>#[^)\s]*)?(?=\))")
"""The target of a Markdown link or image written relative to the page: ``](gates.md#forget-gate)``."""
GENERATED_SPAN = re.compile(r'<span data-generated="[^"]*">(?P<text>[^<]*)</span>')
MARK_LINE = re.compile(
    r"^ *(?:<details [^>]*>|</details>|<summary>.*</summary>"
    r'|<div class="misconception" data-generated="correction" markdown>)\n',
    re.M,
)
"""The lines of a claim's mark, a set-up toggle or a correction that only a browser needs."""
SPAN_TAG = re.compile(r"</?span[^>]*>")
QUOTE_TAG = re.compile(r"</?q>")
HEADING_ANCHOR = re.compile(r"^(?P<heading>#+ .*?) \{#[\w-]+\}$", re.M)
ABBREVIATION = re.compile(r"^\*\[[^\]]+\]: .*\n?", re.M)
BLANK_RUNS = re.compile(r"\n{3,}")


def absolute_links(markdown: str, source: str, site_url: str) -> str:
    """``markdown`` with each link to another page or file of the site written as its address."""
    folder = Path(source).parent

    def address(match: re.Match) -> str:
        target = match["target"]
        if not target:  # an anchor on the same page
            target = Path(source).name
        path = (folder / target).as_posix()
        parts = []
        for part in path.split("/"):
            if part == "..":
                parts = parts[:-1]
            elif part not in ("", "."):
                parts.append(part)
        path = "/".join(parts)
        if path.endswith(".md"):
            path = path.removesuffix(".md").removesuffix("index").rstrip("/")
            path = f"{path}/" if path else ""
        return f"{site_url}{path}{match['anchor'] or ''}"

    # Code is left as written: ``f(x)](y)`` in a fenced block is no link.
    pieces = FENCED_BLOCK.split(markdown)
    return "".join(
        piece if FENCED_BLOCK.fullmatch(piece) else LINK_TARGET.sub(address, piece) for piece in pieces
    )


def navigation_order(nav) -> list[str]:
    """The source of each page of the navigation, in order."""
    return [page.source for page in navigation.pages(nav)]


def index(config, pages: dict[str, dict], stamp: str) -> str:
    """llms.txt: the pages by section, each with the claims it makes, and the home page's ``stamp``."""
    from glossary.claims import LEDGER

    by_page: dict[str, list] = {}
    for claim in LEDGER.values():
        by_page.setdefault(claim.page.partition("#")[0], []).append(claim)
    lines = [
        f"# {config['site_name']}",
        "",
        f"> {config['site_description']}",
        "",
        "Each page explains one term or task of recurrent layers (LSTM, GRU, SimpleRNN) in Keras, with",
        "code that runs. Under each page are the claims it makes, each decided by a check that runs",
        "against Keras: *true* claims hold; *false* ones are often said and Keras contradicts them. A",
        "claim marked *not checked* could not run where the site was built (it needs a GPU, say).",
        stamp,
        "",
        "The full text of every page, with each check and what it printed, is in",
        f"[llms-full.txt]({config['site_url']}llms-full.txt).",
    ]
    listed = navigation.pages(config["nav"]) + navigation.pages(
        [{"Optional": ledger_pages(config["nav"], pages)}]
    )
    section = None
    for entry in listed:
        page = pages.get(entry.source)
        if page is None:
            continue
        if entry.section != section:
            section = entry.section
            lines += ["", f"## {section}", ""]
        lines.append(f"- [{entry.title}]({page['url']})")
        lines += [
            f"  - {'true' if claim.verdict else 'false'}"
            + (", not checked" if claim.id in page["not checked"] else "")
            + f": {claim.statement} ({claim.id})"
            for claim in by_page.get(entry.source, [])
        ]
    return "\n".join(lines) + "\n"


def ledger_pages(nav, pages: dict[str, dict]) -> list[dict[str, str]]:
    """The ledger's pages of entries, outside the navigation, in the order of their pages."""
    listed = navigation_order(nav)
    ledger = [f"claims/{source}" for source in listed if f"claims/{source}" in pages]
    return [{pages[source]["title"]: source} for source in ledger]


def plain(markdown: str, root: Path) -> str:
    """The page's Markdown without what only a browser needs, its included files written out."""
    # What came from records, set aside as Markdown that shows it as text; the rest, written for
    # the page, is turned from HTML into text below: a character reference becomes its character.
    recorded: list[str] = []
    text = RECORDED.sub(
        lambda match: recorded.append(_recorded_as_markdown(match)) or f"\0{len(recorded) - 1}\0", markdown
    )
    text = ABBREVIATION.sub("", text)
    text = COPY_ATTRIBUTE.sub("", text)
    text = GENERATED_WRAPPER.sub("", text)
    text = GENERATED_SPAN.sub(lambda match: match["text"], text)
    text = MARK_LINE.sub("", text)
    text = QUOTE_TAG.sub('"', SPAN_TAG.sub("", text))
    text = HEADING_ANCHOR.sub(lambda match: match["heading"], text)
    text = html.unescape(re.sub(r"</?code>", "`", text))
    text = re.sub(r"\0(\d+)\0", lambda match: recorded[int(match[1])], text)
    text = INCLUDE.sub(lambda match: _included(match, root), text)
    return BLANK_RUNS.sub("\n\n", text).strip() + "\n"


def _included(match: re.Match, root: Path) -> str:
    """The lines an include stands for: the whole file, or one section, without section markers."""
    lines = (root / match["path"]).read_text(encoding="utf-8").splitlines()
    if match["section"]:
        start = lines.index(
            next(line for line in lines if line.strip() == f"# --8<-- [start:{match['section']}]")
        )
        end = lines.index(
            next(line for line in lines if line.strip() == f"# --8<-- [end:{match['section']}]")
        )
        lines = textwrap.dedent("\n".join(lines[start + 1 : end])).splitlines()  # as pymdownx shows it
    kept = [line for line in lines if not SECTION_MARKER.match(line)]
    return "\n".join(match["indent"] + line if line else "" for line in kept)


def full_text(config, pages: dict[str, dict], stamp: str) -> str:
    """llms-full.txt: every page of ``pages`` as plain Markdown, in the order of the navigation."""
    root = Path(config["config_file_path"]).parent
    listed = navigation_order(config["nav"])
    full = [f"# {config['site_name']}\n\n> {config['site_description']}\n\n{stamp}\n"]
    for source in listed + sorted(set(pages) - set(listed)):
        if source in pages:
            page = pages[source]
            text = plain(page["markdown"], root)
            if not text.startswith("# "):
                text = f"# {page['title']}\n\n{text}"
            full.append(f"\n---\n\nAddress: {page['url']}\n\n{text}")
    return "\n".join(full).rstrip() + "\n"
