"""A team's own project, made here, installs the built wheel and runs the claims in its pytest suite
(``--glossary-claims``) and through ``glossary check --junit``, judged as the command judges them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from paths import ROOT

from glossary.claims import LEDGER
from glossary.versions import quiet_tensorflow

CHOSEN = ["WEIGHT-SHAPES", "GUIDE-RETURN-STATES"]
"""Two quick claims, one true and one false statement, that run on every set-up."""

TEAM_TEST = """
import glossary


def test_the_teams_own_code():
    assert glossary.__file__.startswith({installed!r})
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The package built as a wheel, as `pip install` from the repository builds it."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            out,
            ROOT,
        ],
        check=True,
        capture_output=True,
    )
    return next(out.glob("lstm_glossary-*.whl"))


@pytest.fixture(scope="module")
def project(wheel, tmp_path_factory) -> tuple[Path, dict]:
    """A throwaway project with one test of its own, the wheel installed beside Keras; its environment."""
    installed = tmp_path_factory.mktemp("site-packages")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", installed, wheel],
        check=True,
        capture_output=True,
    )
    folder = tmp_path_factory.mktemp("team-project")
    (folder / "test_team.py").write_text(TEAM_TEST.format(installed=str(installed)))
    # The wheel's copy comes first on the path, before the checkout this suite runs from.
    # Coverage, which follows the suite's subprocesses, measures this checkout, not the wheel's copy.
    kept = {
        name: value for name, value in os.environ.items() if not name.startswith(("COVERAGE_", "COV_CORE_"))
    }
    environment = quiet_tensorflow(kept) | {"PYTHONPATH": str(installed)}
    return folder, environment


def run(project, *arguments: str) -> subprocess.CompletedProcess:
    folder, environment = project
    return subprocess.run(
        [sys.executable, *arguments], cwd=folder, env=environment, capture_output=True, text=True, timeout=300
    )


def test_the_wheel_holds_the_records_and_the_plugin(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert {"glossary/claims/recorded/keras3-tensorflow.json", "glossary/pytest_plugin.py"} <= set(names)
    entry_points = next(name for name in names if name.endswith("entry_points.txt"))
    assert "glossary = glossary.pytest_plugin" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_the_claims_run_beside_the_teams_tests(project):
    """``-k`` selects claims by ID beside the team's own test; all pass, in pytest's JUnit report."""
    selected = " or ".join([*CHOSEN, "test_the_teams_own_code"])
    done = run(project, "-m", "pytest", "-p", "no:cacheprovider", "--glossary-claims", "-k", selected,
               "--junitxml=report.xml", "-q")  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    cases = [case.get("name") for case in ElementTree.parse(project[0] / "report.xml").iter("testcase")]
    assert sorted(cases) == sorted([*CHOSEN, "test_the_teams_own_code"])


def test_the_command_writes_its_junit_report_there_too(project):
    done = run(project, "-m", "glossary", "check", "--only", *CHOSEN, "--junit", "claims.xml")
    assert done.returncode == 0, done.stdout + done.stderr
    suite = ElementTree.parse(project[0] / "claims.xml").getroot()
    assert (suite.get("tests"), suite.get("failures")) == ("2", "0")


def test_a_changed_outcome_fails_its_item_naming_both(project):
    """Judged by a baseline in which WEIGHT-SHAPES was contradicted, its item fails and says so."""
    done = run(project, "-m", "glossary", "check", "--only", *CHOSEN, "--output", "baseline.json")
    assert done.returncode == 0, done.stderr
    baseline = project[0] / "baseline.json"
    document = json.loads(baseline.read_text())
    row = document["claims"][0]
    row |= {"holds": not row["verdict"], "confirmed": False}
    baseline.write_text(json.dumps(document))
    done = run(project, "-m", "pytest", "-p", "no:cacheprovider", "--glossary-claims", "--glossary-baseline",
               "baseline.json", "-k", " or ".join(CHOSEN))  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    assert "WEIGHT-SHAPES: " + LEDGER["WEIGHT-SHAPES"].statement in done.stdout
    assert (
        "expected contradicted on this set-up (judged by the baseline baseline.json), found confirmed"
        in done.stdout
    )
    assert "1 failed, 1 passed" in done.stdout


def test_a_baseline_that_is_not_one_stops_the_run_in_one_line(project):
    (project[0] / "broken.json").write_text("{")
    done = run(project, "-m", "pytest", "-p", "no:cacheprovider", "--glossary-claims",
               "--glossary-baseline", "broken.json")  # fmt: skip
    assert done.returncode == 4
    assert "--glossary-baseline: broken.json is not JSON" in done.stderr and "Traceback" not in done.stderr


def test_without_the_option_no_claim_is_collected(project):
    done = run(project, "-m", "pytest", "-p", "no:cacheprovider", "--collect-only", "-q")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "test_team.py::test_the_teams_own_code" in done.stdout and "WEIGHT-SHAPES" not in done.stdout
