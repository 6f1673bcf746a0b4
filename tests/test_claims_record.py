"""A recorded run of the claims stands in for running them only when it is whole, current and ours.

A build given ``GLOSSARY_CLAIMS_RECORD`` reads the record, or runs the claims and writes it. Any
file that cannot stand in (unreadable, not a record, recorded on other versions, for other claims
or by other check code) stops the build with one line that names the file and the fix; nothing
half-written is left, and no traceback reaches the user.
"""

import errno
import json
import os
import subprocess
import sys

import claims_ledger
import pytest
from generators import build_context, ledger_pages
from mkdocs.exceptions import PluginError
from paths import ROOT
from site_build import BUILD_ENVIRONMENT, claims_record

from glossary import files
from glossary.claims import LEDGER, record

NOT_RECORDS = {
    "empty": b"",
    "object": b"{}",
    "list": b"[]",
    "null": b"null",
    "text": b"not json at all",
    "not-utf8": b"\xff\xfe{}",
    "deep": b"[" * 100_000,
    "row-missing-a-field": json.dumps({"versions": {}, "claims": [{"id": "X"}]}).encode(),
    "row-not-an-object": json.dumps({"versions": {}, "claims": ["X"]}).encode(),
    "versions-not-strings": json.dumps({"versions": {"Keras": 3}, "claims": []}).encode(),
    "claims-not-a-list": json.dumps({"versions": {}, "claims": {}}).encode(),
}


def build_from(path, monkeypatch, config=None) -> build_context.BuildContext:
    """The build's first step, given ``path`` as its record: the context it leaves on ``config``."""
    config = {} if config is None else config
    monkeypatch.setenv(build_context.CLAIMS_RECORD, str(path))
    claims_ledger.on_pre_build(config)
    return build_context.of(config)


def assert_one_line_naming(error: Exception, *names: str) -> None:
    message = str(error)
    assert "\n" not in message and "Traceback" not in message, message
    for name in names:
        assert name in message, message


@pytest.mark.parametrize("content", NOT_RECORDS.values(), ids=NOT_RECORDS.keys())
def test_a_file_that_is_not_a_record_is_refused_in_one_line(content, tmp_path, monkeypatch):
    path = tmp_path / "claims.json"
    path.write_bytes(content)
    with pytest.raises(record.UnusableRecordError) as refused:
        record.load_for_this_ledger(path)
    assert_one_line_naming(refused.value, str(path))
    with pytest.raises(PluginError) as stopped:
        build_from(path, monkeypatch)
    assert_one_line_naming(stopped.value, build_context.CLAIMS_RECORD, str(path), "delete the file")


def test_a_row_with_a_field_of_the_wrong_type_is_refused(tmp_path):
    row = dict.fromkeys(record.ROW_FIELDS, "text") | {"verdict": True, "confirmed": True, "holds": "yes"}
    path = tmp_path / "claims.json"
    path.write_text(json.dumps({"versions": {}, "claims": [row]}))
    with pytest.raises(record.UnusableRecordError, match='row 0 of "claims" has a str for "holds"'):
        record.load_for_this_ledger(path)
    row |= {"holds": True, "seconds": True}  # JSON's true is no number of seconds
    path.write_text(json.dumps({"versions": {}, "claims": [row]}))
    with pytest.raises(record.UnusableRecordError, match='has a bool for "seconds"'):
        record.load_for_this_ledger(path)


def test_a_file_larger_than_any_record_is_not_read(tmp_path, monkeypatch):
    path = tmp_path / "claims.json"
    path.write_text(json.dumps({"versions": {}, "claims": []}))
    monkeypatch.setattr(record, "MAX_RECORD_BYTES", 10)
    with pytest.raises(record.UnusableRecordError, match="larger than any record"):
        record.load_for_this_ledger(path)


@pytest.mark.parametrize("kind", ["folder", "pipe", "dangling-link"])
def test_a_path_that_is_not_a_regular_file_is_refused_unread(kind, tmp_path, monkeypatch):
    """A folder, or a named pipe (which would block a reader forever), or a link to nothing."""
    path = tmp_path / "claims.json"
    if kind == "folder":
        path.mkdir()
    elif kind == "pipe":
        os.mkfifo(path)
    else:
        path.symlink_to(tmp_path / "nowhere.json")
    with pytest.raises(PluginError) as stopped:
        build_from(path, monkeypatch)
    assert_one_line_naming(stopped.value, str(path), "not a regular file")


@pytest.fixture
def good_record(built_site) -> dict:
    """The record the tests' build wrote: this ledger, these versions, this code."""
    return json.loads(claims_record(built_site).read_text())


def write(document: dict, tmp_path):
    path = tmp_path / "claims.json"
    path.write_text(json.dumps(document))
    return path


def test_a_current_record_stands_in_and_the_pages_say_so(good_record, tmp_path, monkeypatch):
    path = write(good_record, tmp_path)
    config = {}
    context = build_from(path, monkeypatch, config)
    assert build_context.of(config) is context
    assert context.origin.record == "claims.json"
    assert set(context.results) == set(LEDGER)
    assert "as recorded in <code>claims.json</code>" in context.keras_label()
    assert "read from the recorded run" in context.origin_sentence()


@pytest.mark.parametrize(
    "tamper, refusal",
    [
        (lambda record: record["versions"].update(Keras="2.0.0"), "was recorded on .*'Keras': '2.0.0'"),
        (lambda record: record["claims"].pop(), "records claims .* differently"),
        (lambda record: record["claims"].append(record["claims"][0]), "one claim twice"),
        (lambda record: record["claims"][0].update(statement="Something else."), "another statement"),
        (lambda record: record["claims"][0].update(code="0" * 64), "other code than today's checks of"),
    ],
    ids=["other-versions", "claim-missing", "claim-twice", "other-statement", "other-check-code"],
)
def test_a_build_refuses_a_stale_record(tamper, refusal, good_record, tmp_path, monkeypatch):
    """A recorded run stands in for running the claims only on the same ledger, versions and checks."""
    tamper(good_record)
    with pytest.raises(PluginError, match=refusal) as stopped:
        build_from(write(good_record, tmp_path), monkeypatch)
    assert_one_line_naming(stopped.value, "delete the file")


def test_a_changed_check_changes_the_code_its_record_is_bound_to(monkeypatch):
    """Editing a claims module (a check or a helper beside it) makes its claims' records stale."""
    claim = LEDGER["WEIGHT-SHAPES"]
    before = record.check_code(claim)
    assert before == record.check_code(claim)  # the same code, the same fingerprint
    original = record.inspect.getsource
    monkeypatch.setattr(record.inspect, "getsource", lambda module: original(module) + "\n# edited\n")
    assert record.check_code(claim) != before


def test_a_recorded_contradiction_stops_the_build(good_record, tmp_path, monkeypatch):
    """A record in which a claim's check disagrees with the ledger stops the build, as a run would."""
    row = next(row for row in good_record["claims"] if row["id"] == "WEIGHT-SHAPES")
    row.update(holds=False, confirmed=False, detail="LSTM(4) on 5 features: something else")
    with pytest.raises(PluginError, match="claim WEIGHT-SHAPES should hold but its check says: LSTM"):
        build_from(write(good_record, tmp_path), monkeypatch)


def fake_run(monkeypatch) -> list:
    """Replace running the ledger with an empty run; the list records each run."""
    runs = []

    def run_all(claims):
        runs.append(claims)
        return record.document([], {"Keras": "test"})

    monkeypatch.setattr(record, "run_all", run_all)
    return runs


def test_a_record_in_a_missing_folder_is_refused_before_the_claims_run(tmp_path, monkeypatch):
    runs = fake_run(monkeypatch)
    path = tmp_path / "missing" / "claims.json"
    with pytest.raises(PluginError) as stopped:
        build_from(path, monkeypatch)
    assert_one_line_naming(stopped.value, str(path.parent), "not a folder this build can write in")
    assert runs == []


def test_a_record_that_cannot_be_written_stops_the_build_and_leaves_nothing(tmp_path, monkeypatch):
    fake_run(monkeypatch)

    def disk_full(*arguments):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "replace", disk_full)
    path = tmp_path / "claims.json"
    with pytest.raises(PluginError) as stopped:
        build_from(path, monkeypatch)
    assert_one_line_naming(stopped.value, str(path), "cannot be written (No space left on device)")
    assert list(tmp_path.iterdir()) == []


def test_mkdocs_reports_an_unusable_record_in_one_line(tmp_path):
    """What the person running ``mkdocs build`` sees: one error line, exit code 1, no traceback."""
    path = tmp_path / "claims.json"
    path.write_text("[]")
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        env=BUILD_ENVIRONMENT | {build_context.CLAIMS_RECORD: str(path)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 1
    assert "Traceback" not in built.stderr
    errors = [line for line in built.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1 and f"{path} is not a record" in errors[0], built.stderr
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(
    "change, refusal",
    [
        ({"holds": None, "detail": None, "confirmed": True}, "says its check ran but records no evidence"),
        ({"skipped": "no GPU", "confirmed": False}, "records evidence for a check that did not run"),
        ({"holds": False}, "says it is confirmed when its evidence does not confirm it"),
    ],
    ids=["no-evidence", "skipped-with-evidence", "confirmed-by-nothing"],
)
def test_a_row_whose_fields_disagree_is_refused(change, refusal, good_record, tmp_path, monkeypatch):
    """Well-typed but impossible: no row that `glossary check` writes looks like this."""
    row = next(row for row in good_record["claims"] if row["id"] == "LAYER-IS-LOOPED-CELL")
    row.update(change)
    with pytest.raises(PluginError, match=refusal) as stopped:
        build_from(write(good_record, tmp_path), monkeypatch)
    assert_one_line_naming(stopped.value, "LAYER-IS-LOOPED-CELL", "delete the file")


def test_a_number_python_will_not_read_is_refused(tmp_path):
    path = tmp_path / "claims.json"
    path.write_text('{"versions": {}, "claims": [' + "9" * 5000 + "]}")
    with pytest.raises(record.UnusableRecordError, match="not a JSON document Python reads"):
        record.load_for_this_ledger(path)


def test_a_record_name_too_long_for_the_system_is_one_line(tmp_path, monkeypatch):
    path = tmp_path / ("a" * 300 + ".json")
    with pytest.raises(PluginError) as stopped:
        build_from(path, monkeypatch)
    assert_one_line_naming(stopped.value, "cannot be used (File name too long)")


def test_what_stops_the_build_shows_control_characters_as_escapes(good_record, tmp_path, monkeypatch):
    """A claim's ID or evidence from a forged record, or the record's own name, cannot drive the terminal."""
    row = next(row for row in good_record["claims"] if row["id"] == "WEIGHT-SHAPES")
    row.update(holds=False, confirmed=False, detail="differs\n\x1b[2J\x1b[31mall good\x07")
    path = tmp_path / "evil\n\x1b[31m.json"
    path.write_text(json.dumps(good_record))
    with pytest.raises(PluginError) as stopped:
        build_from(path, monkeypatch)
    message = str(stopped.value)
    assert "\x1b" not in message and "\n" not in message and "\x07" not in message
    assert "\\x1b[2J" in message and "evil\\n\\x1b[31m.json" in message


def test_a_skipped_claim_says_its_reason_came_from_the_record(good_record, tmp_path, monkeypatch):
    row = next(row for row in good_record["claims"] if row["skipped"])
    context = build_from(write(good_record, tmp_path), monkeypatch)
    box = ledger_pages.claims_at(context, [row["id"]], "")
    assert "Not checked as recorded in <code>claims.json</code>:" in box


@pytest.mark.parametrize(
    "shared", ["glossary/port/torch.py", "glossary/claims/lstm_cell/step_through_weights.json"]
)
def test_the_code_and_data_checks_read_beyond_their_module_are_in_the_fingerprint(shared, monkeypatch):
    """A converter a porting claim calls, or the weights the step-through claims start from: a
    change to either makes every record stale. The set-ups' records are outcomes, not code."""
    from paths import ROOT

    claim = LEDGER["WEIGHT-SHAPES"]
    before = record.check_code(claim)
    original = record.Path.read_bytes
    edited = (ROOT / shared).resolve()
    monkeypatch.setattr(
        record.Path, "read_bytes", lambda path: original(path) + (b"\n" if path.resolve() == edited else b"")
    )
    record._shared_code.cache_clear()
    try:
        assert record.check_code(claim) != before
    finally:
        monkeypatch.undo()
        record._shared_code.cache_clear()
