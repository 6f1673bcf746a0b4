"""Sessions: `nox -s tests`, `nox -s serve`, `nox -s docs`, `nox -s lint`, `nox -s bench`."""

import nox

nox.options.default_venv_backend = "venv"
nox.options.download_python = "never"  # use the Python that runs nox; never fetch another
nox.options.reuse_venv = "yes"  # a second run only checks the installed versions
nox.options.sessions = ["tests"]

QUIET = {
    "TF_CPP_MIN_LOG_LEVEL": "3",  # TensorFlow's C++ start-up logging
    "TF_ENABLE_ONEDNN_OPTS": "0",  # oneDNN's notice, and its run-to-run float differences
    "NO_MKDOCS_2_WARNING": "1",  # Material's banner about its successor
}


@nox.session
def tests(session: nox.Session) -> None:
    """Run the whole test suite: reference vs Keras, every page's code, the strict site build."""
    session.install("-e", ".[test]")
    # One worker per core: Keras and Chromium each keep a core busy, and the suite splits cleanly.
    session.run("pytest", "-n", "auto", *session.posargs, env=QUIET)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the site strictly into site/."""
    session.install("-e", ".[docs]")
    session.run("mkdocs", "build", "--strict", env=QUIET)


@nox.session
def serve(session: nox.Session) -> None:
    """Build the site and serve it at http://127.0.0.1:8000, rebuilding on every change."""
    session.install("-e", ".[docs]")
    session.run("mkdocs", "serve", "--strict", "--dev-addr", "127.0.0.1:8000", env=QUIET)


@nox.session
def lint(session: nox.Session) -> None:
    """Check style with ruff."""
    session.install("ruff==0.17.6")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def bench(session: nox.Session) -> None:
    """Time the reference layers against Keras on this CPU; figures and ratios, written as JSON too."""
    session.install("-e", ".[keras]")
    session.run("python", "benchmarks/speed.py", *session.posargs, env=QUIET)


@nox.session
def bench_site(session: nox.Session) -> None:
    """Measure the site: build time, and each page's requests, bytes and first paint in Chromium."""
    session.install("-e", ".[test]")
    session.run("python", "benchmarks/site.py", *session.posargs, env=QUIET)
