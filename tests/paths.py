"""Where the project's parts live, for the tests that read them."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
PAGES = sorted(DOCS.rglob("*.md"))
SNIPPET_FILES = sorted(SNIPPETS.rglob("*.py"))


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()
