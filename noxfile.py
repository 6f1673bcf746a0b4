"""Sessions, run as `nox -s NAME`: tests, serve, docs, lint, package, bench and its kin, matrix, history."""

import hashlib
import json
import runpy
import shutil
import time
from pathlib import Path

import nox
from nox.command import CommandFailed

nox.options.default_venv_backend = "venv"
nox.options.download_python = "never"  # use the Python that runs nox; never fetch another
nox.options.reuse_venv = "yes"  # a second run reuses the environment; `nox -N` makes a new one
nox.options.sessions = ["tests"]

# glossary/versions.py holds TensorFlow's quieting variables; read without importing the package,
# which nox's own environment does not have.
QUIET = runpy.run_path("glossary/versions.py")["QUIET_TENSORFLOW"] | {
    "NO_MKDOCS_2_WARNING": "1",  # Material's banner about its successor
}


PYPROJECT = nox.project.load_toml("pyproject.toml")

# Every file the project writes is replaced in one step (glossary/files.py), this stamp too.
write_atomically = runpy.run_path("glossary/files.py")["write_atomically"]


FRAMEWORKS = tuple(name for name in PYPROJECT["project"]["optional-dependencies"] if name != "keras")
"""The extras of the frameworks `glossary port` converts for, one per target of its name
(`glossary.port.targets`, which tests/test_port_targets.py holds to them): the tests install them all."""


def install_project(session: nox.Session, *groups: str, extras: tuple[str, ...] = ()) -> None:
    """``pip install -e .[keras]`` with ``extras``, and the tools of ``groups``, unless already installed.

    ``groups`` are the PEP 735 dependency groups of pyproject.toml; the install is skipped when
    this environment already has them and the extras for this pyproject.toml.

    The install is editable, so code changes need no reinstall; only the declared dependencies can
    go stale, and they all live in pyproject.toml. pip takes about 10 s to find nothing to do, a
    twentieth of a warm test run. ``nox -N`` rebuilds an environment that was changed by hand.
    """
    chosen = " ".join(groups) + " [" + ",".join(extras) + "]"
    wanted = hashlib.sha256(Path("pyproject.toml").read_bytes() + chosen.encode()).hexdigest()
    stamp = session.env_dir / "glossary-installed.sha256"
    if stamp.exists() and stamp.read_text() == wanted:
        session.log(f"the project and {chosen} are installed for this pyproject.toml")
        return
    project = ".[" + ",".join(("keras", *extras)) + "]"
    session.install("-e", project, *nox.project.dependency_groups(PYPROJECT, *groups))
    write_atomically(stamp, wanted)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the whole test suite under coverage: reference vs Keras, every page's code, the site build.

    The suite includes the audit of every page with axe-core in Chromium, light and dark (WCAG 2.1
    A and AA). The whole suite fails below the `fail_under` of pyproject.toml (the package, the snippets and
    the site's build code, followed into the subprocesses that run the snippets and build the
    site); a selection given after ``--`` runs without coverage.
    """
    install_project(session, "test", extras=FRAMEWORKS)
    measured = [] if session.posargs else ["--cov", "--cov-report=term"]
    # One worker per core: Keras and Chromium each keep a core busy, and the suite splits cleanly.
    # Two tests at a time per worker: xdist otherwise deals out up to an eighth of the suite at
    # once, and a worker that has finished its share sits idle while the other runs what it was dealt.
    session.run("pytest", "-n", "auto", "--maxschedchunk", "2", *measured, *session.posargs, env=QUIET)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the site strictly into site/, with its offline copy (from the same run of the claims)."""
    install_project(session, "docs")
    record = Path("build/claims-record.json")
    record.unlink(missing_ok=True)  # the build runs the claims and records them here
    record.parent.mkdir(exist_ok=True)
    made_with_copy = {"GLOSSARY_CLAIMS_RECORD": str(record), "GLOSSARY_WITH_OFFLINE_COPY": "1"}
    session.run("mkdocs", "build", "--strict", env=QUIET | made_with_copy)
    session.run("python", "docs/plugins/scripts/offline_copy.py", "site", str(record), env=QUIET)


@nox.session
def serve(session: nox.Session) -> None:
    """Build the site and serve it at http://127.0.0.1:8000, rebuilding on every change."""
    install_project(session, "docs")
    session.run("mkdocs", "serve", "--strict", "--dev-addr", "127.0.0.1:8000", env=QUIET)


@nox.session
def lint(session: nox.Session) -> None:
    """Check style with ruff, and the Pages workflow with zizmor and the workflow schema.

    Both run offline: zizmor's audits that would ask GitHub are off, and check-jsonschema ships
    the schema of GitHub's workflow files. (actionlint has no build on PyPI or Debian.)
    """
    session.install("ruff==0.17.6", "zizmor==1.32.0", "check-jsonschema==0.39.0")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    workflows = sorted(str(path) for path in Path(".github/workflows").glob("*.yml"))
    session.run("zizmor", "--offline", "--config", ".github/zizmor.yml", *workflows)
    session.run("check-jsonschema", "--builtin-schema", "vendor.github-workflows", *workflows)


@nox.session
def package(session: nox.Session) -> None:
    """Build the sdist and the wheel as PyPI would take them, and check them with twine."""
    session.install("build==1.3.0", "twine==6.2.0")
    out = Path(session.create_tmp()) / "dist"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)  # so that `--install-only`, which runs no command, lists an empty folder
    session.run("python", "-m", "build", "--outdir", str(out), ".")
    session.run("twine", "check", "--strict", *(str(path) for path in sorted(out.iterdir())))


@nox.session
def bench(session: nox.Session) -> None:
    """Time the reference layers against Keras on this CPU; figures and ratios, written as JSON too."""
    install_project(session)
    session.run("python", "benchmarks/speed.py", *session.posargs, env=QUIET)


@nox.session
def bench_serving(session: nox.Session) -> None:
    """Time serving one reading at a time; docs/serving-a-stream.md shows the run this writes."""
    install_project(session)
    arguments = session.posargs or ["--json", "docs/benchmarks/serving.json"]
    session.run("python", "benchmarks/serving.py", *arguments, env=QUIET)


@nox.session
def bench_backward(session: nox.Session) -> None:
    """Time an LSTM's forward and backward pass, the reference against Keras's compiled gradient."""
    install_project(session)
    session.run("python", "benchmarks/backward.py", *session.posargs, env=QUIET)


@nox.session
def bench_site(session: nox.Session) -> None:
    """Measure the site: build time, and each page's requests, bytes and first paint in Chromium."""
    install_project(session, "test")
    session.run("python", "benchmarks/site.py", *session.posargs, env=QUIET)


REFERENCE_TESTS = [
    "tests/test_reference_matches_keras.py",
    "tests/test_backprop.py",
    "tests/test_package.py::test_every_module_of_the_package_imports",
]
"""The reference-vs-Keras tests each set-up of the matrix and of the grid runs."""

SNIPPET_TESTS = [
    "tests/test_docs.py::test_snippet_runs_as_a_script",
    "tests/test_docs.py::test_marks_name_real_snippets",
]
"""Every snippet run as a script, which each set-up of the matrix runs: on the site's own set-up it
prints its #> lines, on the others it runs and prints, or fails where it is marked as unable to."""


MATRIX = {
    # name: (the package with its extras, what to install beside it, environment)
    "keras3-tensorflow": (".[keras,torch,onnx,flax,mlx]", [], {"KERAS_BACKEND": "tensorflow"}),
    "keras3-jax": (".", ["keras==3.15.1", "jax[cpu]==0.10.2"], {"KERAS_BACKEND": "jax"}),
    "keras3-torch": (".[torch,onnx]", ["keras==3.15.1"], {"KERAS_BACKEND": "torch"}),
    # Keras 2 lives on as tf-keras; it needs the full tensorflow package, not tensorflow-cpu.
    "keras2": (".", ["tf-keras==2.21.0", "tensorflow==2.21.0"], {"GLOSSARY_KERAS": "tf_keras"}),
}
"""Every supported set-up. The first is the site's own, which the test suite runs in full (and
holds to its record, tests/test_compatibility.py): CI runs the matrix on the other three."""


@nox.session
@nox.parametrize("keras", list(MATRIX))
def matrix(session: nox.Session, keras: str) -> None:
    """Run every claim and the reference-vs-Keras tests on one Keras and backend; record the outcomes.

    Then run every snippet as a script there, which fails the session if one raises. A rewritten
    record fails the session too, once the snippets have run: it is to be reviewed and committed.
    """
    project, packages, environment = MATRIX[keras]
    session.install("-e", project, *packages, *nox.project.dependency_groups(PYPROJECT, "pytest"))
    environment = QUIET | environment | {"GLOSSARY_MATRIX_THINNING": "3"}
    tmp = Path(session.create_tmp())
    junit = tmp / f"{keras}-reference.xml"
    session.run("pytest", "-n", "auto", "-p", "no:cacheprovider", f"--junitxml={junit}", *REFERENCE_TESTS,
                env=environment)  # fmt: skip
    measured = tmp / f"{keras}.json"
    # Exit code 1: an outcome differs from the set-up's record, which the next step rewrites.
    session.run("python", "-m", "glossary", "check", "--output", str(measured), env=environment,
                success_codes=[0, 1])  # fmt: skip
    recorded = Path(f"glossary/claims/recorded/{keras}.json")
    before = recorded.read_text()
    # Exit code 1: the record was rewritten; the snippets still run before the session says so.
    session.run("python", "-m", "glossary.claims.setups", str(measured), str(recorded),
                "--reference-tests", str(junit), env=environment, success_codes=[0, 1])  # fmt: skip
    session.run("pytest", "-n", "auto", "-p", "no:cacheprovider", "-rs", *SNIPPET_TESTS, env=environment)
    if recorded.read_text() != before:
        session.error(f"the outcomes on {keras} changed: {recorded} is rewritten, review and commit it")


# The release grid (glossary/claims/releases.py), read without importing the package.
RELEASES = runpy.run_path("glossary/claims/releases.py")["RELEASES"]


@nox.session
@nox.parametrize("setup", list(RELEASES))
def history(session: nox.Session, setup: str) -> None:
    """Run the claims and the reference tests on one release of the grid; record them in recorded/releases/.

    Arguments after ``--`` go to pytest in place of ``-n auto`` (``-- -n 1`` on a busy machine).
    A failing reference test fails nothing here: the record keeps it and the history page shows it.
    Install and run times go to docs/plugins/generators/release_grid_times.json, not into the record.
    """
    packages, environment = RELEASES[setup]
    started = time.monotonic()
    session.install("-e", ".", *packages, *nox.project.dependency_groups(PYPROJECT, "pytest"))
    installed = time.monotonic()
    environment = QUIET | environment | {"GLOSSARY_MATRIX_THINNING": "3"}
    tmp = Path(session.create_tmp())
    junit = tmp / f"{setup}-reference.xml"
    workers = session.posargs or ["-n", "auto"]
    # 1: tests failed, 2: a test module could not even be collected there; the report holds both.
    session.run("pytest", *workers, "-p", "no:cacheprovider", f"--junitxml={junit}", *REFERENCE_TESTS,
                env=environment, success_codes=[0, 1, 2])  # fmt: skip
    measured = tmp / f"{setup}.json"
    try:
        session.run("python", "-m", "glossary", "check", "--output", str(measured), env=environment,
                    success_codes=[0, 1])  # fmt: skip
    except CommandFailed:  # a check ended the process (TensorFlow 2.16's TFLite converter aborts)
        _check_apart(session, measured, environment)
    recorded = f"glossary/claims/recorded/releases/{setup}.json"
    session.run("python", "-m", "glossary.claims.setups", str(measured), recorded,
                "--reference-tests", str(junit), env=environment, success_codes=[0, 1])  # fmt: skip
    # The page's closing note gives the grid's time from this file: what each set-up took here.
    timed = Path("docs/plugins/generators/release_grid_times.json")
    times = json.loads(timed.read_text()) if timed.exists() else {}
    times[setup] = {"install_s": round(installed - started), "run_s": round(time.monotonic() - installed)}
    write_atomically(timed, json.dumps(dict(sorted(times.items())), indent=1) + "\n")


RUN_APART = """
import sys
from pathlib import Path
from glossary.claims import LEDGER, record
output, progress, *ended = sys.argv[1:]
rows = []
for claim in LEDGER.values():
    if claim.id in ended:
        said = "the check ended the whole process (a crash below Python); run without it"
        rows.append({"id": claim.id, "statement": claim.statement, "verdict": claim.verdict,
                     "holds": None, "confirmed": False, "skipped": None, "error": said,
                     "detail": said, "seconds": None, "depends_on": claim.depends_on,
                     "page": claim.page, "code": record.check_code(claim)})
        continue
    with open(progress, "a") as ran:
        ran.write(claim.id + "\\n")
    rows.append(record.row(claim))
record.write(record.document(rows), Path(output))
"""
"""The ledger run one claim after another, writing each ID before its check runs; a claim that
ended an earlier pass is recorded as an error instead of being run."""


def _check_apart(session: nox.Session, measured: Path, environment: dict) -> None:
    """Run the ledger where a check ends the process, recording each claim that does as an error.

    One more pass of the ledger per such claim: the pass that ends names it, the next runs without it.
    """
    ended: list[str] = []
    progress = measured.with_suffix(".progress")
    while True:
        progress.unlink(missing_ok=True)
        try:
            session.run("python", "-c", RUN_APART, str(measured), str(progress), *ended, env=environment)
            return
        except CommandFailed:
            ran = progress.read_text().split() if progress.exists() else []
            if not ran or ran[-1] in ended:
                raise
            session.warn(f"{ran[-1]} ended the process: it is recorded as an error, the rest run again")
            ended.append(ran[-1])
