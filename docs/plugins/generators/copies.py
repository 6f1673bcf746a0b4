"""Code blocks whose copy button copies a script that runs: the block, with its set-up above it.

A block that shows part of a file (a snippet's section, a claim's check) gets the lines it needs
above it (the *set-up*) in a quiet toggle, and a ``data-copy`` attribute holding set-up and block:
Material's copy button copies that attribute instead of the visible text.
"""

from __future__ import annotations

import ast
import html
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

SECTION_MARKER = re.compile(r"^\s*# --8<-- \[(?:start|end):[\w-]+\]\s*$")


def copied_script(path: Path, section: str) -> tuple[str, str]:
    """The set-up above ``section`` of ``path``, and the script a copy holds: set-up plus section."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = f"# --8<-- [start:{section}]"
    end = f"# --8<-- [end:{section}]"
    starts = [number for number, line in enumerate(lines) if line.strip() == start]
    ends = [number for number, line in enumerate(lines) if line.strip() == end]
    if len(starts) != 1 or len(ends) != 1 or ends[0] < starts[0]:
        raise PluginError(f"{path}: section {section!r} must be marked once, start before end")
    keep = [line for line in lines[: ends[0]] if not SECTION_MARKER.match(line)]
    setup = [line for line in lines[: starts[0]] if not SECTION_MARKER.match(line)]
    return "\n".join(setup).strip("\n"), "\n".join(keep).strip("\n") + "\n"


def setup_summary(setup: str) -> str:
    """What the set-up lines are, for the toggle that shows them: ``13 lines of set-up: imports, x, layer``.

    The names are what the lines define, in order: ``imports`` for any import, then each assigned
    name, function and class; at most four, then an ellipsis.
    """
    lines = len(setup.splitlines())
    named: list[str] = []
    for node in ast.parse(setup).body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            named.append("imports")
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            named.append(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            named += [
                name.id for target in targets for name in ast.walk(target) if isinstance(name, ast.Name)
            ]
    named = list(dict.fromkeys(named))
    names = ", ".join(named[:4]) + (", …" if len(named) > 4 else "")
    counted = f"{lines} lines of set-up" if lines > 1 else "1 line of set-up"
    return f"{counted}: {names}" if names else counted


def with_setup(setup: str, fence: str, script: str, what: str) -> str:
    """Markdown for ``fence`` with ``setup`` (``what`` it is) behind a toggle above it.

    The block's copy button copies ``script``, which holds both.
    """
    return f"{setup_box(setup, what)}\n{copying(fence, script)}"


def setup_box(setup: str, what: str) -> str:
    """Markdown for ``setup`` behind a small toggle that says ``what`` it is.

    ``what`` is text the build wrote (names from the code, a module's name): it is shown escaped.
    """
    summary = f'<summary><span class="visually-hidden">Show the </span>{html.escape(what)}</summary>'
    box = f'<details class="setup" markdown>\n{summary}\n\n{fenced(setup)}\n\n</details>'
    return f'<div data-generated="set-up" data-search-exclude="" markdown>\n\n{box}\n\n</div>'


def copying(fence: str, script: str) -> str:
    """Markdown for ``fence`` whose copy button copies ``script`` instead of the text it shows."""
    # Newlines as character references keep the attribute on one line for Markdown's HTML parser.
    attribute = html.escape(script, quote=True).replace("\n", "&#10;")
    return f'<div class="complete-copy" data-copy="{attribute}" markdown>\n\n{fence}\n\n</div>'


def fenced(code: str, language: str = "python") -> str:
    """``code`` as a fenced block whose fence no line of it can close: longer than any run of backticks."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{code.rstrip(chr(10))}\n{fence}"
