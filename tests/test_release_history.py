"""The release grid (glossary/claims/releases.py), its records and the release-history page.

A grid record is judged like the matrix's: ``glossary check`` on a release the grid ran is judged
by that release's record. The page tells a change (two releases decided a claim differently)
from a gap (a check that could not decide on a release) and from a record of another wording.
"""

import re
from pathlib import Path

import pytest
from generators import release_history
from paths import DOCS, ROOT
from site_build import built_file

from glossary.claims import LEDGER, Outcome, releases, setups
from glossary.claims.setups import Recorded, SetUp, wording

GRID = setups.releases()


def test_the_grid_has_every_minor_release_up_to_the_sites_own():
    """Keras 3.0 to the site's Keras, and tf-keras 2.15 to the matrix's, each minor once, each on
    each backend; the newest pins are the ones the site itself is checked with."""
    import keras

    newest = int(keras.__version__.split(".")[1])
    assert list(releases.KERAS3) == [f"3.{minor}" for minor in range(newest + 1)]
    assert releases.KERAS3[f"3.{newest}"][0] == keras.__version__
    assert list(releases.TF_KERAS) == [f"2.{minor}" for minor in range(15, 15 + len(releases.TF_KERAS))]
    matrix = re.search(r'"tf-keras==([\d.]+)", "tensorflow==([\d.]+)"', (ROOT / "noxfile.py").read_text())
    assert (
        releases.TF_KERAS[max(releases.TF_KERAS, key=lambda minor: int(minor.split(".")[1]))]
        == matrix.groups()
    )
    assert len(releases.RELEASES) == 3 * len(releases.KERAS3) + len(releases.TF_KERAS)
    assert all(name in releases.RELEASES for names in releases.LINES.values() for name in names[1])


def test_the_grid_is_read_from_one_table():
    """The noxfile's history session and the workflow's jobs both take their set-ups from the table."""
    assert 'runpy.run_path("glossary/claims/releases.py")["RELEASES"]' in (ROOT / "noxfile.py").read_text()
    workflow = (ROOT / ".github/workflows/matrix.yml").read_text()
    assert 'runpy.run_path("glossary/claims/releases.py")["RELEASES"]' in workflow
    assert "fromJSON(needs.grid.outputs.setups)" in workflow and "history(setup='$SET_UP')" in workflow


def test_before_keras_3_4_numpy_1_is_pinned():
    """The backends of Keras 3.0 to 3.3's time were built against NumPy 1."""
    packages, environment = releases.RELEASES["keras3.0-jax"]
    assert packages == ["keras==3.0.5", "jax[cpu]==0.4.20", "numpy<2"] and environment == {
        "KERAS_BACKEND": "jax"
    }
    assert "numpy<2" not in releases.RELEASES["keras3.4-torch"][0]


def test_at_least_twelve_set_ups_of_the_grid_were_run_and_recorded():
    """The grid's records are set-ups of the table, each of the Keras release its name pins."""
    assert len(GRID) >= 12
    for run in GRID:
        packages, _ = releases.RELEASES[run.name]
        assert (
            f"{'tf-keras' if run.name.startswith('tf-keras') else 'keras'}=={run.versions['Keras']}"
            in packages
        )
        assert run.reference_tests, f"{run.name} has no result of the reference tests"


@pytest.mark.parametrize("run", GRID, ids=lambda run: run.name)
def test_a_release_the_grid_ran_is_judged_by_its_own_record(run):
    """``glossary check`` on Keras 3.9 is judged by Keras 3.9's record, not the line's newest."""
    chosen, said = setups.for_versions(run.versions, setups.recorded(), GRID)
    assert chosen is run and f"({run.name})" in said and "never ran" not in said


def test_a_release_the_grid_never_ran_is_judged_by_its_lines_record():
    """A release nobody ran falls back to the matrix's record of its line, as before the grid."""
    chosen, said = setups.for_versions({"Keras": "3.14.0", "backend": "jax"}, setups.recorded(), GRID)
    assert chosen.name == "keras3-jax" and "never ran Keras 3.14.0" in said


def _run(name: str, keras: str, **outcomes) -> SetUp:
    """A fake CPU run on TensorFlow of real claims: an outcome each, or a wording that differs."""
    claims = {}
    for claim_id, found in outcomes.items():
        claim_id = claim_id.replace("_", "-")
        statement = LEDGER[claim_id].statement
        if found == "reworded":
            claims[claim_id] = Recorded(Outcome.CONFIRMED, wording(statement + " (before)"))
        else:
            claims[claim_id] = Recorded(Outcome(found), wording(statement), f"note on {keras}")
    return SetUp(name, {"Keras": keras, "backend": "tensorflow"}, claims)


CLAIM = "UNROLL-SAME-RESULT"  # a true claim of the ledger


def test_a_change_is_two_decided_releases_and_a_gap_is_none():
    """An error on the oldest release is a gap; confirmed then contradicted is a change; the claim
    holds only since the last change."""
    key = CLAIM.replace("-", "_")
    line = [
        _run("a", "3.0.5", **{key: "error"}),
        _run("b", "3.3.3", **{key: "confirmed"}),
        _run("c", "3.6.0", **{key: "contradicted"}),
        _run("d", "3.9.2", **{key: "skipped"}),
        _run("e", "3.12.4", **{key: "confirmed"}),
    ]
    found = release_history.changes(CLAIM, "Keras 3 on TensorFlow", line)
    assert [(change.before.name, change.after.name) for change in found] == [("b", "c"), ("c", "e")]
    assert found[0].was is Outcome.CONFIRMED and found[0].became is Outcome.CONTRADICTED
    assert release_history.holds_since(CLAIM, line).name == "e"
    assert release_history.holds_since(CLAIM, line[:2]).name == "b"


def test_a_missing_note_says_the_check_agreed_only_where_it_did():
    """A run that kept no note is "the check agreed" only when it confirmed the ledger; a
    contradiction, a skip or a crash without its note says that no evidence was recorded."""
    statement = LEDGER[CLAIM].statement
    for found, agreed in [
        (Outcome.CONFIRMED, True),
        (Outcome.CONFIRMED_FALSE, True),
        (Outcome.CONTRADICTED, False),
        (Outcome.SKIPPED, False),
        (Outcome.ERROR, False),
    ]:
        run = SetUp(
            "a", {"Keras": "3.0.5", "backend": "tensorflow"}, {CLAIM: Recorded(found, wording(statement))}
        )
        said = release_history._note(run, CLAIM)
        assert ("the check agreed" in said) is agreed, (found, said)
        assert agreed or said == "no evidence recorded (the run kept no note)"
    noted = _run("b", "3.3.3", **{CLAIM.replace("-", "_"): "contradicted"})
    assert "note on 3.3.3" in release_history._note(noted, CLAIM)


def test_no_change_on_the_page_says_the_check_agreed_where_it_differed():
    """Over the committed records: each change's evidence on the contradicted side is never "agreed"."""
    for line, runs in release_history.lines().items():
        for claim_id in LEDGER:
            for change in release_history.changes(claim_id, line, runs):
                said = release_history._change_lines([change], "")[0]
                for run, found in [(change.before, change.was), (change.after, change.became)]:
                    evidence = said.partition(f"Evidence on {release_history.keras_of(run)}: ")[2]
                    if found is Outcome.CONTRADICTED:
                        assert not evidence.startswith("no note: the check agreed"), said


def test_a_reworded_claim_is_not_run_in_this_wording_and_fails_nothing():
    """A record of an older wording decides nothing for that claim; the others are read as before."""
    other = "DENSE-PER-TIMESTEP"
    line = [
        _run("old", "3.0.5", **{CLAIM.replace("-", "_"): "reworded", other.replace("-", "_"): "confirmed"}),
        _run("new", "3.3.3", **{CLAIM.replace("-", "_"): "confirmed", other.replace("-", "_"): "confirmed"}),
    ]
    assert release_history.outcome(line[0], CLAIM) is None
    assert release_history.changes(CLAIM, "line", line) == []
    assert release_history.holds_since(CLAIM, line).name == "new"
    assert release_history.holds_since(other, line).name == "old"
    assert release_history.holds_since(CLAIM, list(reversed(line))) is None


def test_each_line_ends_with_the_matrixs_record_of_its_newest_release():
    """The matrix's CPU records close their lines, unless the grid ran that same release."""
    found = release_history.lines()
    newest = {line: runs[-1].name for line, runs in found.items()}
    assert newest == {
        "Keras 3 on TensorFlow": "keras3-tensorflow",
        "Keras 3 on JAX": "keras3-jax",
        "Keras 3 on PyTorch": "keras3-torch",
        "tf-keras (Keras 2)": "keras2",
    }
    for runs in found.values():
        assert [release_history.release(run) for run in runs] == sorted(
            release_history.release(run) for run in runs
        )
    matrix = SetUp("keras2", {"Keras": "2.21.0", "backend": "tensorflow"}, {})
    same = SetUp("tf-keras2.21", {"Keras": "2.21.0", "backend": "tensorflow"}, {})
    assert release_history.lines([same], [matrix])["tf-keras (Keras 2)"] == [same]


def _junit(path: Path, *cases: str) -> Path:
    """A pytest JUnit report with one test case per kind: passed, failure, error or skipped."""
    body = "".join(
        f'<testcase name="test_{number}">' + ("" if kind == "passed" else f"<{kind}/>") + "</testcase>"
        for number, kind in enumerate(cases)
    )
    path.write_text(f'<testsuites><testsuite name="pytest">{body}</testsuite></testsuites>')
    return path


def test_the_reference_tests_result_is_recorded_with_each_failure_named(tmp_path):
    """Counts of passed, failed and skipped, and the failing tests' names."""
    report = _junit(tmp_path / "r.xml", "passed", "failure", "skipped", "error", "passed")
    assert setups.reference_tests(report) == "2 passed, 2 failed, 1 skipped: test_1, test_3"
    assert setups.reference_tests(_junit(tmp_path / "ok.xml", "passed")) == "1 passed"


def test_a_grid_record_keeps_the_one_format_and_changes_only_with_an_outcome(tmp_path, monkeypatch):
    """The record of a release is the matrix's format plus its tests' result; rerunning with the
    same outcomes rewrites nothing, a different tests' result rewrites it."""
    from glossary.claims import record

    row = {"id": CLAIM, "statement": LEDGER[CLAIM].statement, "verdict": True, "confirmed": True,
           "skipped": None, "error": None, "detail": ""}  # fmt: skip
    document = {"versions": {"Keras": "3.9.2", "backend": "tensorflow"}, "claims": [row]}
    monkeypatch.setattr(record, "read", lambda path: document)
    target = tmp_path / "keras3.9-tensorflow.json"
    passing = _junit(tmp_path / "r.xml", "passed")
    assert setups.main(["run.json", str(target), "--reference-tests", str(passing)]) == 1
    kept = setups.read(target)
    assert kept.reference_tests == "1 passed"
    assert kept.outcome(CLAIM, LEDGER[CLAIM].statement) is Outcome.CONFIRMED
    assert '"reference tests": "1 passed"' in target.read_text()
    assert setups.main(["run.json", str(target), "--reference-tests", str(passing)]) == 0
    failing = _junit(tmp_path / "f.xml", "failure")
    assert setups.main(["run.json", str(target), "--reference-tests", str(failing)]) == 1
    assert setups.read(target).reference_tests == "0 passed, 1 failed: test_0"


def test_a_record_whose_tests_result_is_not_text_is_refused(tmp_path):
    """The reference tests' result is a string or absent."""
    path = tmp_path / "x.json"
    path.write_text('{"versions": {"Keras": "3.0.5", "backend": "jax"}, "reference tests": 3, "claims": {}}')
    with pytest.raises(setups.UnusableSetUpError, match='"reference tests" is not a string'):
        setups.read(path)


def test_the_ledger_entry_carries_a_compact_holds_since_mark():
    """The mark names each line with more than one release that ran, and the first release."""
    mark = release_history.holds_since_mark("DENSE-PER-TIMESTEP")
    assert mark.startswith("holds since Keras 3 on TensorFlow ") or mark.startswith("holds since tf-keras")


def test_the_built_page_lists_the_set_ups_that_ran_and_each_claims_first_release(built_site):
    """Every grid record is a row of the page; each claim is a row of the holds-since table;
    the closing note counts the changes and gives the grid's time."""
    # A term inside a claim's ID (the GRU of TORCH-GRU) carries its tooltip, as everywhere.
    page = re.sub(r"</?abbr[^>]*>", "", built_file(built_site, DOCS / "release-history.md").read_text())
    for run in GRID:
        assert f"<td>{run.versions['Keras']}</td>" in page
    assert all(f">{claim_id}</a>" in page for claim_id in LEDGER)
    assert re.search(r"The grid found \d+ changes? of outcome", page)
    assert re.search(r"took on average [\d.]+ minutes to install and [\d.]+ minutes to run", page)
    explained_on = LEDGER["DENSE-PER-TIMESTEP"].page.partition("#")[0]
    ledger_entry = built_file(built_site, DOCS / "claims" / explained_on).read_text()
    assert "Release history:</strong> holds since" in ledger_entry


def test_the_grids_records_are_not_in_the_claims_fingerprint(monkeypatch):
    """A new or rerun grid record leaves every record of the claims' code standing: it holds outcomes."""
    from glossary.claims import record

    claim = LEDGER["WEIGHT-SHAPES"]
    before = record.check_code(claim)
    original = record.Path.read_bytes
    grid_record = next(setups.RELEASES.glob("*.json")).resolve()
    monkeypatch.setattr(
        record.Path,
        "read_bytes",
        lambda path: original(path) + (b"\n" if path.resolve() == grid_record else b""),
    )
    record._shared_code.cache_clear()
    try:
        assert record.check_code(claim) == before
    finally:
        monkeypatch.undo()
        record._shared_code.cache_clear()


def test_the_flex_delegate_went_missing_from_tensorflow_2_19_as_porting_and_the_faq_say():
    """Porting and the FAQ say TensorFlow's interpreter lacks the Flex delegate from 2.19 on and
    that 2.18.1's ran the Select-ops model: the records of Keras 3 on TensorFlow say exactly that."""
    claim_id = "TFLITE-SELECT-OPS-NEED-FLEX"
    decided = {
        run.versions["TensorFlow"]: release_history.outcome(run, claim_id)
        for run in release_history.lines()["Keras 3 on TensorFlow"]
        if release_history.outcome(run, claim_id) in release_history.DECIDED
    }
    assert decided.get("2.18.1") is Outcome.CONTRADICTED
    newer = {
        version: found for version, found in decided.items() if tuple(map(int, version.split("."))) >= (2, 19)
    }
    assert {"2.19.1", "2.21.0"} <= set(newer) and set(newer.values()) == {Outcome.CONFIRMED}
    older = {version for version in decided if tuple(map(int, version.split("."))) < (2, 19)}
    assert all(decided[version] is Outcome.CONTRADICTED for version in older)
