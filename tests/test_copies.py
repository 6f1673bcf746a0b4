"""Every Python block of the built site, copied as its copy button copies it, runs and prints its #> lines.

The copies are read from the built HTML (``copies.code_blocks``; the browser test proves the
clipboard holds the same text). Each is proven in one of three ways, so that no code runs twice:

- A copy that is the beginning of a snippet file, section markers left out (what a block that
  shows a section copies, or a term's example), runs as that file's first lines run: a script's
  first lines print the same whatever follows them. ``test_docs`` runs every snippet file whole,
  as ``python snippets/NAME.py`` and under pytest-examples' check of its #> lines.
- A copy of a claim's check (the ledger page) is its module less its checks, the check, and a
  call that prints the evidence this build recorded. Its set-up (also shown on its own, and run
  so) and definition run here, and every name the check reads must be defined by them;
  the build ran each check and recorded the evidence the #> line shows (``test_claims`` runs a
  sample again in another process and finds the same).
- Any other copy (a block written on a page) runs here as a module of its own, from a temporary
  directory, with pytest-examples checking the output of every ``print`` against its #> lines.
"""

from __future__ import annotations

import ast
import builtins
import re
from pathlib import Path

import numpy as np
import pytest
from copies import code_blocks
from paths import BUILT_PAGES, SNIPPET_FILES, relative
from pytest_examples import CodeExample, EvalExample
from site_build import built_file

# What an mkdocstrings signature is: a declaration shown for reading. The fences of every other
# language (text, console, bash, yaml, ...) are declared as not Python in the page source.
NOT_RUN_REASONS = {
    "signature": "an API signature drawn by mkdocstrings from the package's code",
}


@pytest.fixture
def fresh_interpreter_state(monkeypatch, tmp_path):
    """What a new interpreter starts with, for the parts of it that a block may change."""
    import keras

    monkeypatch.chdir(tmp_path)
    printing = np.get_printoptions()
    # Layer names numbered from the start again: lstm, lstm_1, ... Without the garbage collection
    # that clear_session runs by default: a full collection took most of this test's time.
    keras.backend.clear_session(free_memory=False)
    yield
    np.set_printoptions(**printing)
    keras.config.set_floatx("float32")


def runnable_copies(site_dir, page) -> list[str]:
    return [block.copied for block in code_blocks(built_file(site_dir, page).read_text()) if block.runs]


SECTION_MARKER = re.compile(r"^\s*# --8<-- \[(?:start|end):[\w-]+\]\s*$")
SNIPPET_TEXTS = {
    path: "\n".join(line for line in path.read_text().splitlines() if not SECTION_MARKER.match(line))
    for path in SNIPPET_FILES
}
"""Each snippet file as its blocks copy it: without the lines that mark its sections."""


def snippet_it_begins(copied: str) -> Path | None:
    """The snippet file whose first lines, markers left out, are exactly ``copied``."""
    for path, text in SNIPPET_TEXTS.items():
        if text.startswith(copied) and text[len(copied) : len(copied) + 1] in ("", "\n"):
            return path
    return None


CHECK_CALL = "\n\n\nwith checking():"


def assert_check_script_defines_what_it_reads(copied: str) -> None:
    """Run a ledger copy's set-up and check definition; every name the check reads is defined."""
    definitions = copied[: copied.index(CHECK_CALL)]
    namespace = {"__name__": "__main__"}
    exec(compile(definitions, "<copied check>", "exec"), namespace)
    function = [node for node in ast.parse(definitions).body if isinstance(node, ast.FunctionDef)][-1]
    local = {argument.arg for argument in ast.walk(function) if isinstance(argument, ast.arg)}
    imported = [node for node in ast.walk(function) if isinstance(node, (ast.Import, ast.ImportFrom))]
    local |= {(alias.asname or alias.name).split(".")[0] for node in imported for alias in node.names}
    local |= {
        node.id
        for node in ast.walk(function)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    }
    local |= {node.name for node in ast.walk(function) if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    read = {
        node.id
        for node in ast.walk(function)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    }
    missing = read - local - set(namespace) - set(dir(builtins))
    assert not missing, f"the copied check reads {sorted(missing)}, which its set-up does not define"


@pytest.mark.parametrize("page", BUILT_PAGES, ids=relative)
def test_every_copied_block_runs(built_site, page, eval_example: EvalExample, fresh_interpreter_state):
    """Each Python block of the page, as copied, runs on its own and prints exactly its #> lines."""
    import keras

    failures = []
    copies = runnable_copies(built_site, page)
    checks = [copied for copied in copies if CHECK_CALL in copied]
    for number, copied in enumerate(copies, start=1):
        try:
            if snippet_it_begins(copied):
                continue  # test_docs runs the whole file, whose first lines these are
            if CHECK_CALL in copied:
                assert_check_script_defines_what_it_reads(copied)
                continue
            if any(check.startswith(copied) for check in checks):  # a check's set-up, which prints nothing
                exec(compile(copied, "<copied set-up>", "exec"), {"__name__": "__main__"})
                continue
            keras.backend.clear_session(free_memory=False)
            # A .py path: pytest-examples then expects ''' around long output, as the snippets have it.
            eval_example.run_print_check(CodeExample.create(copied + "\n", path=page.with_suffix(".py")))
        except Exception as failure:  # every block is tried; the report lists all that failed
            failures.append(f"block {number}, as copied:\n{copied}\n{type(failure).__name__}: {failure}")
    assert not failures, f"{len(failures)} blocks of {relative(page)} fail:\n\n" + "\n\n".join(failures)


def test_the_proofs_see_what_they_prove(built_site):
    """Every snippet file begins some copied block, and the ledger shows every claim's check as a
    script: the two shortcuts above stand for real copies, not for none."""
    from glossary.claims import LEDGER

    copies = [copied for page in BUILT_PAGES for copied in runnable_copies(built_site, page)]
    begun = {snippet_it_begins(copied) for copied in copies}
    assert set(SNIPPET_FILES) <= begun
    assert sum(CHECK_CALL in copied for copied in copies) == len(LEDGER)
