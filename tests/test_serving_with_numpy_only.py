"""The page "Serve a stream" says a server that has only NumPy runs the model: its server code does.

The code after ``# Where the model serves`` in the snippet's ``numpy-step`` section is that
server. It must import nothing, name nothing but NumPy (``np``), Python's builtins, what it
defines itself and the inputs a server is given (the file's ``path``, the readings ``x``), plus
``whole``, the forecast it is compared with; and, given only those, it must run and print what
the trained model forecasts.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import re

import numpy as np
from paths import SNIPPETS

from glossary import reference

SNIPPET = SNIPPETS / "tasks" / "streaming.py"
SERVER_STARTS = "# Where the model serves"
GIVEN = {"np", "path", "x", "whole"}
"""What the server code is given: NumPy, the saved arrays' file, the readings, and the forecast
it is checked against."""


def server_code() -> str:
    """The snippet's server: its ``numpy-step`` section, from ``SERVER_STARTS`` to the section's end."""
    text = SNIPPET.read_text()
    section = re.search(r"# --8<-- \[start:numpy-step\]\n(.*?)# --8<-- \[end:numpy-step\]", text, re.S)[1]
    assert SERVER_STARTS in section
    return section[section.index(SERVER_STARTS) :]


def free_names(code: str) -> set[str]:
    """The names ``code`` reads that it does not bind itself (at module level or in its functions)."""
    tree = ast.parse(code)
    bound, read = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    return read - bound - set(dir(builtins))


def test_server_imports_nothing():
    """The server code has no import: whatever it needs comes from NumPy, which the set-up imports."""
    imports = [
        node for node in ast.walk(ast.parse(server_code())) if isinstance(node, (ast.Import, ast.ImportFrom))
    ]
    assert imports == []


def test_server_names_only_numpy_and_its_inputs():
    """Besides what it defines, the server code reads only NumPy and the inputs a server is given."""
    assert free_names(server_code()) <= GIVEN


def test_server_runs_with_numpy_alone(tmp_path):
    """Given only NumPy, a file of five arrays and readings, the server code forecasts as the model would."""
    rng = np.random.default_rng(0)
    arrays = {
        "kernel": rng.normal(scale=0.5, size=(3, 32)),
        "recurrent_kernel": rng.normal(scale=0.5, size=(8, 32)),
        "bias": rng.normal(scale=0.5, size=32),
        "dense_kernel": rng.normal(scale=0.5, size=(8, 1)),
        "dense_bias": rng.normal(scale=0.5, size=1),
    }
    arrays = {name: array.astype("float32") for name, array in arrays.items()}
    path = tmp_path / "forecaster.npz"
    np.savez(path, **arrays)
    x = rng.normal(size=(1, 20, 3)).astype("float32")
    last = reference.lstm(x, arrays["kernel"], arrays["recurrent_kernel"], arrays["bias"])
    whole = last @ arrays["dense_kernel"] + arrays["dense_bias"]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(server_code(), str(SNIPPET), "exec"), {"np": np, "path": path, "x": x, "whole": whole})
    assert printed.getvalue() == "True\n"


def test_the_checks_see_a_server_that_needs_more():
    """The name check fails on server code that calls this site's package or Keras."""
    calls_the_package = server_code().replace("= lstm_step(", "= reference.lstm_step(")
    assert free_names(calls_the_package) - GIVEN == {"reference"}
    assert free_names("h = keras.ops.tanh(c)") == {"keras", "c"}
