"""Every Python block of the built site, copied as its copy button copies it, runs and prints its #> lines.

The copies are read from the built HTML (``copies.code_blocks``; the browser test proves the
clipboard holds the same text). Each runs as a module of its own, written to a file, from a
temporary directory, with pytest-examples checking the output of every ``print`` against the
``#>`` lines (or the quoted block) under it. They run in this process, where Keras is already
imported, after Keras's session and NumPy's print options are put back to what a new
interpreter has: a new interpreter per block would spend most of the suite importing TensorFlow,
and each snippet file also runs whole as ``python snippets/NAME.py`` in ``test_docs``.
"""

from __future__ import annotations

import numpy as np
import pytest
from copies import code_blocks
from paths import PAGES, relative
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
    keras.backend.clear_session()  # layer names numbered from the start again: lstm, lstm_1, ...
    yield
    np.set_printoptions(**printing)
    keras.config.set_floatx("float32")
    keras.backend.clear_session()


def runnable_copies(site_dir, page) -> list[str]:
    return [block.copied for block in code_blocks(built_file(site_dir, page).read_text()) if block.runs]


# The ledger's page shows every claim's check as a script, the longest of these runs: its blocks
# are dealt out in parts, so that both test workers share them.
PARTS = {"claims.md": 6}
PAGE_PARTS = [(page, part) for page in PAGES for part in range(PARTS.get(page.name, 1))]


@pytest.mark.parametrize(
    "page, part", PAGE_PARTS, ids=[f"{relative(page)}-{part}" for page, part in PAGE_PARTS]
)
def test_every_copied_block_runs(built_site, page, part, eval_example: EvalExample, fresh_interpreter_state):
    """Each Python block of the page, as copied, runs on its own and prints exactly its #> lines."""
    import keras

    failures = []
    parts = PARTS.get(page.name, 1)
    for number, copied in enumerate(runnable_copies(built_site, page), start=1):
        if number % parts != part:
            continue
        keras.backend.clear_session()
        # A .py path: pytest-examples then expects ''' around long output, as the snippets have it.
        example = CodeExample.create(copied + "\n", path=page.with_suffix(".py"))
        try:
            eval_example.run_print_check(example)
        except Exception as failure:  # every block is tried; the report lists all that failed
            failures.append(f"block {number}, as copied:\n{copied}\n{type(failure).__name__}: {failure}")
    assert not failures, f"{len(failures)} blocks of {relative(page)} fail:\n\n" + "\n\n".join(failures)
