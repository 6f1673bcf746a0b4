"""What the copy button of each code block on a built page puts on the clipboard.

Material's copy button copies the ``data-copy`` attribute of the nearest element that has one,
else the ``innerText`` of the block's ``<code>``, with the end trimmed. The browser test clicks
every button on every page and checks that the clipboard holds exactly what this module reads
from the HTML, so the tests that run the copies run what a reader gets.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass(frozen=True)
class CodeBlock:
    language: str  # from the fence, as pymdownx.highlight writes it: class "language-python"
    signature: bool  # an API signature drawn by mkdocstrings: shown, never run
    copied: str

    @property
    def runs(self) -> bool:
        return self.language in ("python", "py") and not self.signature


class _Blocks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.open: list[dict[str, str]] = []  # attributes of each element still open
        self.blocks: list[CodeBlock] = []
        self.code_depth: int | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        attributes["tag"] = tag
        if tag == "code" and self.open and self.open[-1]["tag"] == "pre":
            self.code_depth, self.text = len(self.open), []
        if tag not in VOID:
            self.open.append(attributes)

    def handle_endtag(self, tag):
        if tag not in (attributes["tag"] for attributes in self.open):
            return  # a stray end tag closes nothing
        while self.open:
            closed = self.open.pop()
            if closed["tag"] == tag:
                break
        if tag == "code" and self.code_depth == len(self.open):
            self._finish_block()

    def handle_data(self, data):
        if self.code_depth is not None:
            self.text.append(data)

    def _finish_block(self):
        self.code_depth = None
        highlight = next((a for a in reversed(self.open) if "highlight" in a.get("class", "").split()), {})
        classes = highlight.get("class", "").split()
        language = next((c.removeprefix("language-") for c in classes if c.startswith("language-")), "")
        with_copy = next((a for a in reversed(self.open) if "data-copy" in a), None)
        copied = with_copy["data-copy"] if with_copy else "".join(self.text)
        self.blocks.append(CodeBlock(language, "doc-signature" in classes, copied.rstrip()))


def code_blocks(html: str) -> list[CodeBlock]:
    """Every ``<pre><code>`` block of a built page, in order, with what its copy button copies."""
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    return parser.blocks
