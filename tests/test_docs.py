"""Every code block on every page runs, and every output a page shows is what the code prints.

Pages hold two kinds of Python block: inline scripts, run here by pytest-examples, and blocks
that only include a section of a file from ``snippets/`` (or ``glossary/``) with
``pymdownx.snippets``. Snippet files are run here whole, as ``python snippets/NAME.py`` would run
them, and each ``#>`` line is compared with what the ``print`` above it printed.

Run ``pytest tests/test_docs.py --update-examples`` to rewrite the ``#>`` lines from real output.
"""

import ast
import difflib
import importlib.util
import json
import os
import re
import subprocess
import sys

import pytest
from paths import PAGES, ROOT, SNIPPET_FILES, relative
from pytest_examples import CodeExample, EvalExample, find_examples

from glossary.versions import quiet_tensorflow

INCLUDE = re.compile(r'^--8<-- "(?P<path>[^":]+)(?::(?P<section>[\w-]+))?"$')
SECTION_START = re.compile(r"# --8<-- \[start:(?P<name>[\w-]+)\]")
FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,}) *(?P<info>.*)$")
# Fenced blocks that are shown but not run, and must not hide Python.
NOT_RUN = {"text", "console", "bash", "yaml", "toml", "json"}
PYTHON = {"python", "py"}
LOOKS_LIKE_PYTHON = re.compile(r"^\s*(import \w|from [\w.]+ import |print\()", re.M)


def included_files(example: CodeExample) -> list[re.Match] | None:
    """The includes of a block made only of ``--8<--`` lines, else None."""
    lines = [line.strip() for line in example.source.splitlines() if line.strip()]
    matches = [INCLUDE.match(line) for line in lines]
    return matches if matches and all(matches) else None


EXAMPLES = [example for page in PAGES for example in find_examples(page)]
INLINE = [example for example in EXAMPLES if included_files(example) is None]
INCLUDES = [m for example in EXAMPLES for m in included_files(example) or []]


def check_prints(eval_example: EvalExample, example: CodeExample) -> None:
    if eval_example.update_examples:
        eval_example.run_print_update(example)
    else:
        eval_example.run_print_check(example)


@pytest.mark.parametrize("example", INLINE, ids=str)
def test_page_block(example: CodeExample, eval_example: EvalExample):
    """A Python block written on a page runs, and prints exactly the #> lines under its prints."""
    check_prints(eval_example, example)


# Runs each snippet as ``__main__`` under its own path, with a fresh namespace, from an empty
# directory, and reports what it raised, or how many prints it made and its source with the #>
# lines of what they printed (pytest-examples' own print check, run here instead of in the test
# process). All snippets share one interpreter: importing TensorFlow once per snippet would cost
# more than the rest of this file, and running each twice (in the tests and as a script) did.
RUN_AS_SCRIPTS = """
import json, os, sys, traceback
from pathlib import Path
if os.environ.get("GLOSSARY_KERAS") == "tf_keras":  # Keras 2: what `import tf_keras as keras` gives
    import tf_keras
    sys.modules["keras"] = tf_keras
from pytest_examples import CodeExample
from pytest_examples.config import ExamplesConfig
from pytest_examples.run_code import run_code
results = {}
for name in sys.argv[1:]:
    path = Path(name)
    example = CodeExample.create(path.read_text(), path=path)
    sys.argv = [name]
    try:
        printed, _ = run_code(
            example=example, python_file=path, loader=None, config=ExamplesConfig(),
            enable_print_mock=True, print_callback=None, include_print=None,
            module_globals=None, call=None,
        )
        results[name] = {
            "error": "",
            "prints": len(printed.print_statements()),
            "with_prints": printed.updated_print_statements(example),
        }
    except BaseException as error:
        try:
            message = traceback.format_exc()
        except Exception:  # pytest-examples' rewritten traceback can defeat Python 3.11's positions
            frames = traceback.walk_tb(error.__traceback__)
            where = "".join(f'  File "{f.f_code.co_filename}", line {n}' + chr(10) for f, n in frames)
            message = where + "".join(traceback.format_exception_only(error))
        results[name] = {"error": message, "prints": 0, "with_prints": None}
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def scripts_run(computed_once, tmp_path_factory):
    """What every snippet did when run as a script, outside the test process; run by one worker of
    the run."""
    return computed_once("scripts_run", lambda: _run_as_scripts(tmp_path_factory))


def _run_as_scripts(tmp_path_factory) -> dict[str, dict]:
    environment = quiet_tensorflow(dict(os.environ))
    result = subprocess.run(
        [sys.executable, "-c", RUN_AS_SCRIPTS, *map(str, SNIPPET_FILES)],
        cwd=tmp_path_factory.mktemp("elsewhere"),
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


# The snippets run on every set-up of the matrix (`nox -s matrix`), not only on the site's own.
# These say where one cannot, and why; a snippet marked so must fail there, or print another True
# or False, so that no mark outlives its reason. Each TensorFlow-only snippet's page says so.
TENSORFLOW_BACKEND_ONLY = {
    "snippets/cell/vanishing_gradients.py": "it takes its gradient with tf.GradientTape",
    "snippets/tasks/migrating.py": "it writes a SavedModel with tf.saved_model and reads it with TFSMLayer",
    "snippets/tasks/saving.py": "JAX refuses its LiteRT export; PyTorch stops in torch.export",
    "snippets/tasks/tflite.py": "it converts with tf.lite.TFLiteConverter.from_keras_model",
}
NEEDS_PACKAGES = {  # beyond the packages a snippet imports, which are read from its source
    "snippets/tasks/text_input.py": {"tensorflow"},  # TextVectorization runs TensorFlow's string ops
    "snippets/tasks/windows.py": {"tensorflow"},  # timeseries_dataset_from_array makes a tf.data dataset
    "snippets/tools/port_model.py": {"onnx", "onnxruntime"},  # `glossary port --to onnx`
}
OPS = "keras.ops, which Keras 2 does not have"
KERAS_3_ONLY = {  # on Keras 2, where `keras` in a snippet is tf_keras
    "snippets/api/bidirectional.py": OPS,
    "snippets/api/cudnn_on_cpu.py": "use_cudnn, a Keras 3 argument",
    "snippets/api/dense_per_timestep.py": OPS,
    "snippets/api/dropout.py": OPS,
    "snippets/api/go_backwards.py": OPS,
    "snippets/api/masking.py": OPS,
    "snippets/api/stateful.py": OPS,
    "snippets/api/tf_keras_is_keras3.py": "it shows that tf.keras is Keras 3",
    "snippets/api/unit_forget_bias.py": "a NumPy initial_state, which Keras 2 refuses",
    "snippets/cell/cell_vs_layer.py": OPS,
    "snippets/cell/output_gate.py": "a NumPy initial_state, which Keras 2 refuses",
    "snippets/cell/step_by_step.py": OPS,
    "snippets/frameworks/returns_keras.py": OPS,
    "snippets/frameworks/states_keras.py": OPS,
    "snippets/input/ndim_error.py": OPS,
    "snippets/input/three_axes.py": OPS,
    "snippets/layers/gru.py": OPS,
    "snippets/layers/simple_rnn.py": OPS,
    "snippets/layers/stacked_cells.py": OPS,
    "snippets/returns/state.py": f"{OPS}, and Keras 3's ValueError for an unknown argument",
    "snippets/states/bounded_hidden_state.py": OPS,
    "snippets/states/history.py": OPS,
    "snippets/tasks/attention.py": OPS,
    "snippets/tasks/encoder_decoder.py": OPS,
    "snippets/tasks/inside_the_layer.py": OPS,
    "snippets/tasks/migrating.py": "it shows what changed from Keras 2 to Keras 3",
    "snippets/tasks/reproducible.py": "Keras 2 draws a layer's seeds when it builds it, not when it is made",
    "snippets/tasks/saving.py": "model.export(format=...), a Keras 3 argument",
    "snippets/tasks/streaming.py": OPS,
    "snippets/tasks/text_input.py": OPS,
    "snippets/tasks/train_recipe.py": "ModelCheckpoint given a pathlib.Path (Keras 2 takes a str)",
    "snippets/terms/bidirectional.py": OPS,
    "snippets/terms/cell_state.py": OPS,
    "snippets/terms/cudnn.py": "use_cudnn, a Keras 3 argument",
    "snippets/terms/gru.py": OPS,
    "snippets/terms/hidden_state.py": OPS,
    "snippets/terms/mask.py": OPS,
    "snippets/terms/return_sequences.py": OPS,
    "snippets/terms/simplernn.py": OPS,
    "snippets/terms/stacked_lstm.py": OPS,
    "snippets/tools/explain_model.py": "the glossary's tools read files that Keras 3 writes",
    "snippets/units/weight_shapes.py": "a variable's path, which Keras 2 does not have",
}


def imported_packages(path) -> set[str]:
    """The top-level packages a snippet imports."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.partition(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names.add(node.module.partition(".")[0])
    return names


def why_it_cannot_run_here(path) -> str | None:
    """Why a snippet cannot run on this set-up (its packages, Keras and backend), or None."""
    from glossary.claims.keras_backend import backend, is_keras_2

    name = relative(path)
    needed = imported_packages(path) | NEEDS_PACKAGES.get(name, set())
    missing = sorted(package for package in needed if importlib.util.find_spec(package) is None)
    if missing:
        return f"{name} needs {', '.join(missing)}, which this set-up does not install"
    if is_keras_2():
        return f"{name} is written for Keras 3: {KERAS_3_ONLY[name]}" if name in KERAS_3_ONLY else None
    if backend() != "tensorflow" and name in TENSORFLOW_BACKEND_ONLY:
        return f"{name} runs on the TensorFlow backend only: {TENSORFLOW_BACKEND_ONLY[name]}"
    return None


def test_marks_name_real_snippets():
    """Every snippet marked as unable to run somewhere exists."""
    marked = TENSORFLOW_BACKEND_ONLY.keys() | NEEDS_PACKAGES.keys() | KERAS_3_ONLY.keys()
    assert marked <= {relative(path) for path in SNIPPET_FILES}


VERDICT = re.compile(r"^\s*#> (True|False)( (True|False))*$")


def verdicts(lines: list[str]) -> list[str]:
    """The #> lines that print only True or False, in order."""
    return [line.strip() for line in lines if VERDICT.match(line)]


def on_the_sites_own_setup() -> bool:
    """Keras 3 on TensorFlow, where the #> lines were printed; elsewhere random draws and reprs differ."""
    from glossary.claims.keras_backend import backend, is_keras_2

    return not is_keras_2() and backend() == "tensorflow"


@pytest.mark.parametrize("path", SNIPPET_FILES, ids=relative)
def test_snippet_runs_as_a_script(path, scripts_run, eval_example: EvalExample):
    """``python snippets/NAME.py`` works from any directory, with nothing but the package installed.

    On the site's own set-up, Keras 3 on TensorFlow, it prints exactly the #> lines under each of
    its prints (``--update-examples`` rewrites them); on the matrix's other set-ups it runs and
    prints the same True and False lines, unless marked as unable to run there, where it must fail.
    """
    ran = scripts_run[str(path)]
    written = path.read_text().splitlines()
    printed = written if ran["with_prints"] is None else ran["with_prints"].splitlines()
    # Random draws and reprs differ by backend, but not a snippet's verdicts (np.array_equal
    # answers False, without an error, for a tensor NumPy cannot read).
    same_verdicts = not ran["error"] and verdicts(printed) == verdicts(written)
    reason = why_it_cannot_run_here(path)
    if reason:
        assert not same_verdicts, f"{reason}, but it ran and printed its True and False: remove its mark"
        pytest.skip(reason)
    assert not ran["error"], ran["error"]
    assert ran["prints"], "a snippet shows something: it prints what the page talks about"
    if ran["with_prints"] is None:
        return
    if not on_the_sites_own_setup():
        assert same_verdicts, f"{relative(path)}: a True or False differs here"
        return
    if eval_example.update_examples:
        path.write_text(ran["with_prints"])
        return
    diff = difflib.unified_diff(written, printed, "as written", "as printed", lineterm="")
    pytest.fail(f"{relative(path)}: what it prints is not its #> lines:\n" + "\n".join(diff), pytrace=False)


def test_includes_point_at_real_sections():
    """Every include on a page names an existing file and, if given, a section marked in it."""
    assert INCLUDES, "the pages include snippets"
    for include in INCLUDES:
        path = ROOT / include["path"]
        assert path.is_file(), include.group(0)
        if include["section"]:
            assert f"[start:{include['section']}]" in path.read_text(), include.group(0)


def test_every_snippet_section_is_shown():
    """No snippet, and no section of one, exists that no page includes. The Glossary page includes
    the terms' examples, snippets/terms/, through the registry (test_terms)."""
    from glossary.terms import TERMS

    shown = {(m["path"], m["section"]) for m in INCLUDES}
    shown |= {(f"snippets/terms/{term.example_name}.py", None) for term in TERMS}
    for path in SNIPPET_FILES:
        sections = SECTION_START.findall(path.read_text()) or [None]
        for section in sections:
            assert (relative(path), section) in shown, f"{relative(path)}:{section} is on no page"


@pytest.mark.parametrize("page", PAGES, ids=relative)
def test_no_python_block_escapes_the_tests(page):
    """Each fenced block is either run by the tests or declared as not Python (a mistyped fence fails)."""
    collected = {example.start_line for example in find_examples(page)}
    lines = page.read_text().splitlines()
    open_fence = None
    for number, line in enumerate(lines, start=1):
        match = FENCE.match(line)
        if not match:
            continue
        if open_fence is None:
            language = match["info"].strip(" {}.").split(" ")[0].lower()
            open_fence = (number, match["fence"], language)
            continue
        start, fence, language = open_fence
        if match["fence"].startswith(fence) and not match["info"].strip():
            where = f"{relative(page)}:{start}"
            body = "\n".join(lines[start : number - 1])
            if language in PYTHON:
                assert start in collected, f"{where}: a Python block the tests do not collect"
            else:
                assert language in NOT_RUN, f"{where}: unknown fence language {language!r}"
                assert not LOOKS_LIKE_PYTHON.search(body), f"{where}: Python in a {language} block"
            open_fence = None
    assert open_fence is None, f"{relative(page)}:{open_fence[0]}: a fence that never closes"
