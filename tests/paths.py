"""Where the project's parts live, for the tests that read them."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
PAGES = sorted(DOCS.rglob("*.md"))
"""The pages written in Markdown."""
SNIPPET_FILES = sorted(SNIPPETS.rglob("*.py"))


def _ledger_pages() -> list[Path]:
    from glossary.claims import LEDGER

    return sorted({DOCS / "claims" / claim.page.partition("#")[0] for claim in LEDGER.values()})


LEDGER_PAGES = _ledger_pages()
"""The ledger's page of each page with claims, which the build generates: no source file."""
BUILT_PAGES = sorted(PAGES + LEDGER_PAGES)
"""Every page of the built site, as the path of the source it has or would have."""


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()
