"""Shared set-up: quiet TensorFlow, deterministic Keras, the built site with a browser to read it,
and a record of how far the reference strays from Keras, printed at the end of the run."""

import fcntl
import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import Phase, settings

from glossary.versions import quiet_tensorflow

# Before any test module imports TensorFlow: no C++ start-up logging, and no oneDNN reordered
# float sums, so that Keras's own numbers do not change from run to run.
quiet_tensorflow()

# Keras runs a layer eagerly in tens of milliseconds, but its first call traces functions:
# no per-example deadline. Derandomised so that CI and a laptop draw the same examples. No
# shrinking: every example builds a Keras layer, so shrinking a failure takes many minutes; the
# failing sizes and seed are printed as drawn, and they reproduce exactly.
settings.register_profile(
    "glossary",
    deadline=None,
    derandomize=True,
    database=None,
    phases=(Phase.explicit, Phase.generate),
)
settings.load_profile("glossary")

LARGEST_DIFFERENCES: dict[str, float] = {}

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without these flags Chromium phones home (updates, sync, field trials) at start-up.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-features=Translate,OptimizationHints,MediaRouter",
]


@pytest.fixture(scope="session", autouse=True)
def keras_computes_in_float32():
    """The reference computes in float32, and so must the Keras it is compared with: on a GPU,
    PyTorch lets cuDNN round float32 products to TF32 (10-bit mantissas) unless told not to. What
    TF32 does to the numbers is measured on its own, in tests/test_cudnn.py."""
    from glossary.claims.keras_backend import backend

    if backend() != "torch":
        yield
        return
    import torch

    allowed = torch.backends.cudnn.allow_tf32
    torch.backends.cudnn.allow_tf32 = False
    yield
    torch.backends.cudnn.allow_tf32 = allowed


@pytest.fixture(scope="session")
def once_per_run(tmp_path_factory, worker_id):
    """``once_per_run(name, make)``: the path where ``make(path)`` made ``name`` for this test run.

    The first of xdist's workers to ask makes it, under a lock; the others wait for it and reuse
    it, where a session or module fixture of their own would make it again on each worker.
    """

    def made(name: str, make) -> Path:
        if worker_id == "master":  # no xdist: one process
            path = tmp_path_factory.mktemp(name) / name
            make(path)
            return path
        # Workers of one run share the parent of their temporary directories.
        shared = tmp_path_factory.getbasetemp().parent
        path, finished = shared / name, shared / f"{name}.made"
        with open(shared / f"{name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not finished.exists():
                make(path)
                finished.touch()
        return path

    return made


@pytest.fixture(scope="session")
def computed_once(once_per_run):
    """``computed_once(name, compute)``: what ``compute()`` returns, computed by one worker of the
    run and read by the others (as JSON: it must hold only what JSON holds)."""

    def computed(name: str, compute):
        path = once_per_run(f"{name}.json", lambda path: path.write_text(json.dumps(compute())))
        return json.loads(path.read_text())

    return computed


@pytest.fixture(scope="session")
def built_site(once_per_run):
    """The site as readers get it, built once per test run, shared by xdist's workers."""
    from site_build import build_for_readers

    return once_per_run("site", build_for_readers)


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium, driven by Playwright; skipped (failed under CI) where it is missing."""
    if not Path(CHROMIUM).exists():
        message = "no Chromium at /usr/bin/chromium: install Debian's with `apt-get install chromium`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def site_url(built_site):
    """The built site, served on 127.0.0.1 as a static host serves it; its base URL."""
    from site_build import serve

    server, url = serve(built_site)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def record_difference():
    """Record the largest absolute difference seen between the reference and Keras, by layer."""

    def record(layer: str, difference: float) -> None:
        LARGEST_DIFFERENCES[layer] = max(LARGEST_DIFFERENCES.get(layer, 0.0), difference)

    return record


def pytest_addoption(parser):
    parser.addoption(
        "--screenshots",
        action="store_true",
        help="save each page's first screen, in each colour scheme, under test-artifacts/screenshots/",
    )


def pytest_sessionfinish(session):
    """Under pytest-xdist, a worker hands its record to the controller, which prints the summary."""
    worker_output = getattr(session.config, "workeroutput", None)
    if worker_output is not None:
        worker_output["largest_differences"] = dict(LARGEST_DIFFERENCES)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    for layer, difference in getattr(node, "workeroutput", {}).get("largest_differences", {}).items():
        LARGEST_DIFFERENCES[layer] = max(LARGEST_DIFFERENCES.get(layer, 0.0), difference)


def pytest_terminal_summary(terminalreporter):
    if LARGEST_DIFFERENCES:
        terminalreporter.section("reference vs Keras")
        for layer, difference in sorted(LARGEST_DIFFERENCES.items()):
            terminalreporter.write_line(f"{layer}: largest |reference - Keras| = {difference:.3g}")


def pytest_collection_modifyitems(items):
    """A test marked as proving a claim must name a claim the ledger holds."""
    from glossary.claims import LEDGER

    for item in items:
        for marker in item.iter_markers("claim"):
            if marker.args[0] not in LEDGER:
                raise pytest.UsageError(
                    f"{item.nodeid} names claim {marker.args[0]!r}, which the ledger lacks"
                )

    # A test that needs the built site runs first, so that one worker builds it while the others
    # run the tests that need no site; the rest of the site's tests come last. The first is one
    # marked site_first (the second build): xdist deals out consecutive tests, so that worker
    # does both builds early on, and no worker is left idle at the end waiting for a long test.
    needs_site = [item for item in items if "built_site" in getattr(item, "fixturenames", ())]
    without_site = [item for item in items if "built_site" not in getattr(item, "fixturenames", ())]
    needs_site.sort(key=lambda item: item.get_closest_marker("site_first") is None)  # stable
    items[:] = needs_site[:1] + without_site + needs_site[1:]


@pytest.fixture
def fake_ledger(monkeypatch):
    """Replace the ledger with the given fake claims (see fakes.py)."""
    from glossary import claims

    def install(*fakes) -> None:
        monkeypatch.setattr(claims, "LEDGER", {fake.id: fake for fake in fakes})

    return install
