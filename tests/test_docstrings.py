"""The package's docstrings render as the API page shows them.

mkdocstrings reads ``double backticks`` as inline code only when both ends sit on one line: a span
broken across two lines is printed with its backticks as text, and turns the prose after it into
code (as it once did in ``glossary.port.mlx.gru_to_mlx``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "glossary"


def split_code_spans(source: str) -> list[str]:
    """The docstring lines of ``source`` that open or close a ``double backtick`` span left open."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            docstring = ast.get_docstring(node, clean=True) or ""
            found += [line.strip() for line in docstring.splitlines() if line.count("``") % 2]
    return found


def test_a_split_span_is_found():
    source = 'def f():\n    """Returns ``{"a": 1,\n    "b": 2}`` in order."""\n'
    assert split_code_spans(source) == ['Returns ``{"a": 1,', '"b": 2}`` in order.']
    assert split_code_spans('def f():\n    """Returns ``{"a": 1}`` in order."""\n') == []


@pytest.mark.parametrize(
    "path", sorted(PACKAGE.rglob("*.py")), ids=lambda path: str(path.relative_to(PACKAGE))
)
def test_no_code_span_breaks_across_lines(path):
    assert not split_code_spans(path.read_text()), split_code_spans(path.read_text())
