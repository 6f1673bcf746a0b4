"""``glossary check`` judges a run by what was recorded for its set-up, or by a team's baseline.

Known differences pass and are listed; an outcome that differs from the recorded one fails,
naming the claim, the recorded and the measured outcome; ``--junit`` writes the same as JUnit XML.
"""

import json
from xml.etree import ElementTree

import pytest
from fakes import fake_claim

from glossary import cli
from glossary.claims import Outcome, record, setups
from glossary.claims.setups import Recorded, SetUp, wording


def _recorded(**outcomes: str) -> dict[str, Recorded]:
    """Entries for fake claims (their statements as fakes.py words them), by outcome value."""
    return {
        claim_id: Recorded(Outcome(value), wording(f"Statement of {claim_id}."))
        for claim_id, value in outcomes.items()
    }


@pytest.fixture
def this_set_up(monkeypatch, tmp_path):
    """Replace the package's records with one record of the set-up the tests run on."""
    versions = record.installed_versions()

    def install(**outcomes: str) -> SetUp:
        setup = SetUp("this-set-up", versions, _recorded(**outcomes))
        setups.write(setup, tmp_path / "this-set-up.json")
        monkeypatch.setattr(setups, "RECORDED", tmp_path)
        monkeypatch.setattr(setups.recorded, "__defaults__", (tmp_path,))
        return setup

    return install


def test_a_known_difference_passes_and_is_listed(fake_ledger, this_set_up, capsys):
    """A claim contradicted here, as the record says, is a known difference: exit code 0."""
    fake_ledger(fake_claim("FAKE-TRUE"), fake_claim("FAKE-DIFFERS", holds=False))
    this_set_up(**{"FAKE-TRUE": "confirmed", "FAKE-DIFFERS": "contradicted"})
    assert cli.main(["check"]) == 0
    out = capsys.readouterr().out
    assert (
        "Judged by the site's record of" in out and "(this-set-up). 1 known difference, 0 unexpected." in out
    )
    assert "contradicted (known)" in next(
        line for line in out.splitlines() if line.startswith("FAKE-DIFFERS")
    )
    assert "known difference: FAKE-DIFFERS" in out


@pytest.mark.parametrize(
    ("recorded", "measured", "expected"),
    [
        (
            "confirmed",
            fake_claim("FAKE-X", holds=False),
            "expected confirmed on this set-up, found contradicted",
        ),
        ("contradicted", fake_claim("FAKE-X"), "expected contradicted on this set-up, found confirmed"),
        (
            "contradicted",
            fake_claim("FAKE-X", raises=TypeError("gone")),
            "expected contradicted on this set-up, found error",
        ),
    ],
    ids=["newly-contradicted", "newly-confirmed", "now-an-error"],
)
def test_an_outcome_unlike_the_record_fails_naming_both(
    fake_ledger, this_set_up, capsys, recorded, measured, expected
):
    """Exit code 1, and the claim named with the recorded and the measured outcome."""
    fake_ledger(measured)
    this_set_up(**{"FAKE-X": recorded})
    assert cli.main(["check"]) == 1
    out = capsys.readouterr().out
    assert "UNEXPECTED: FAKE-X" in out and expected in out


def test_a_skipped_check_differs_from_nothing(fake_ledger, this_set_up):
    """A check that cannot run here decides nothing, whatever was recorded."""
    from glossary.claims import NotApplicable

    fake_ledger(fake_claim("FAKE-X", raises=NotApplicable("needs FakeLib")))
    this_set_up(**{"FAKE-X": "contradicted"})
    assert cli.main(["check"]) == 0


def test_a_reworded_claim_is_judged_by_the_ledger(fake_ledger, this_set_up):
    """A record of another wording says nothing about today's: the ledger's verdict is expected."""
    fake_ledger(fake_claim("FAKE-X", holds=False))
    setup = this_set_up(**{"FAKE-X": "contradicted"})
    setups.write(
        SetUp(
            setup.name, setup.versions, {"FAKE-X": Recorded(Outcome.CONTRADICTED, wording("Older words."))}
        ),
        setups.RECORDED / "this-set-up.json",
    )
    assert cli.main(["check"]) == 1


def test_a_set_up_never_run_says_so(fake_ledger, monkeypatch, tmp_path, capsys):
    """With no record of this kind of set-up, the run is judged by the ledger's own verdicts."""
    monkeypatch.setattr(setups.recorded, "__defaults__", (tmp_path,))
    fake_ledger(fake_claim("FAKE-X"))
    assert cli.main(["check"]) == 0
    assert "The site has no record of Keras" in capsys.readouterr().out


def test_another_release_is_judged_by_the_record_of_its_line():
    """Keras 3.14 on JAX is judged by the record of Keras 3.15.1 on JAX, and the sentence says so;
    a GPU run by a GPU record, and a JAX run on a GPU, which nobody recorded, by the ledger."""
    runs = setups.recorded()
    chosen, said = setups.for_versions({"Keras": "3.14.0", "backend": "jax"}, runs)
    assert chosen.name == "keras3-jax" and "never ran Keras 3.14.0" in said
    chosen, _ = setups.for_versions({"Keras": "3.15.1", "backend": "torch", "GPU": "A100"}, runs)
    assert chosen.name == "keras3-torch-cuda"
    chosen, said = setups.for_versions({"Keras": "3.15.1", "backend": "jax", "GPU": "A100"}, runs)
    assert chosen is None and "no record" in said


def test_a_baseline_holds_a_team_to_its_own_earlier_run(fake_ledger, tmp_path, capsys):
    """``--baseline`` (an earlier ``--output``) replaces the site's record; a changed verdict fails."""
    fake_ledger(fake_claim("FAKE-ONE"), fake_claim("FAKE-TWO", holds=False))
    baseline = tmp_path / "baseline.json"
    assert cli.main(["check", "--output", str(baseline)]) == 1  # FAKE-TWO: the ledger says it holds
    capsys.readouterr()
    assert cli.main(["check", "--baseline", str(baseline)]) == 0
    assert f"judged by the baseline {baseline}" in capsys.readouterr().out.lower()
    fake_ledger(fake_claim("FAKE-ONE", holds=False), fake_claim("FAKE-TWO", holds=False))
    assert cli.main(["check", "--baseline", str(baseline)]) == 1
    out = capsys.readouterr().out
    assert "UNEXPECTED: FAKE-ONE" in out and "UNEXPECTED: FAKE-TWO" not in out


def test_json_says_how_the_run_was_judged(fake_ledger, this_set_up, capsys):
    fake_ledger(fake_claim("FAKE-KNOWN", holds=False), fake_claim("FAKE-NEW", holds=False))
    this_set_up(**{"FAKE-KNOWN": "contradicted", "FAKE-NEW": "confirmed"})
    assert cli.main(["check", "--json"]) == 1
    judged = json.loads(capsys.readouterr().out)["judged"]
    assert judged["known"] == ["FAKE-KNOWN"] and not judged["ok"]
    assert judged["unexpected"] == [{"id": "FAKE-NEW", "expected": "confirmed", "measured": "contradicted"}]


def test_junit_has_a_case_per_claim(fake_ledger, this_set_up, tmp_path):
    """A failure for each unexpected outcome, skipped for a check that cannot run, a pass otherwise."""
    from glossary.claims import NotApplicable

    fake_ledger(
        fake_claim("FAKE-FINE"),
        fake_claim("FAKE-KNOWN", holds=False),
        fake_claim("FAKE-NEW", holds=False),
        fake_claim("FAKE-SKIP", raises=NotApplicable("needs <FakeLib> & co")),
    )
    this_set_up(**{"FAKE-FINE": "confirmed", "FAKE-KNOWN": "contradicted"})
    report = tmp_path / "claims.xml"
    assert cli.main(["check", "--junit", str(report)]) == 1
    suite = ElementTree.parse(report).getroot()
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("4", "1", "1")
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert (
        cases["FAKE-NEW"].find("failure").get("message")
        == "expected confirmed on this set-up, found contradicted"
    )
    assert cases["FAKE-SKIP"].find("skipped").get("message") == "needs <FakeLib> & co"
    assert "known difference" in cases["FAKE-KNOWN"].find("system-out").text
    assert list(cases["FAKE-FINE"]) == []


def test_junit_escapes_what_xml_cannot_hold(fake_ledger, this_set_up, tmp_path):
    """Evidence with control characters (from a check's output) stays well-formed XML."""
    fake_ledger(fake_claim("FAKE-X\x1b[31m", holds=False))
    this_set_up()
    report = tmp_path / "claims.xml"
    assert cli.main(["check", "--junit", str(report)]) == 1
    case = next(ElementTree.parse(report).getroot().iter("testcase"))
    assert case.get("name") == "FAKE-X\\x1b[31m"


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (None, "is not a file"),
        (b" " * (16 * 2**20 + 1), "is larger than any record"),
        (b"\xff\xfe", "not UTF-8"),
        (b"{not json", "is not JSON"),
        (b"[1, 2]", "not a record of `glossary check --output`"),
        (b'{"versions": {}, "claims": [{"id": 1}]}', "not a record of `glossary check --output`"),
    ],
    ids=["missing", "too-large", "binary", "not-json", "a-list", "a-bad-row"],
)
def test_an_unusable_baseline_is_one_line_and_exit_2(fake_ledger, tmp_path, capsys, content, said):
    fake_ledger(fake_claim("FAKE-X"))
    baseline = tmp_path / "baseline.json"
    if content is not None:
        baseline.write_bytes(content)
    assert cli.main(["check", "--baseline", str(baseline)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("glossary: error:") and said in err and err.count("\n") == 1


def test_reports_that_cannot_be_written_are_refused_before_the_run(fake_ledger, tmp_path, capsys):
    fake_ledger(fake_claim("FAKE-X"))
    assert cli.main(["check", "--junit", str(tmp_path)]) == 2
    assert "--junit" in capsys.readouterr().err
    same = str(tmp_path / "run.json")
    assert cli.main(["check", "--junit", same, "--output", same]) == 2
    assert "name the same file" in capsys.readouterr().err
    assert not (tmp_path / "run.json").exists()


@pytest.mark.parametrize("damage", [b"{", b'{"versions": {"Keras": "3"}, "claims": {}}', b"x" * (2**20 + 1)])
def test_a_damaged_record_of_the_package_is_named(damage, fake_ledger, monkeypatch, tmp_path, capsys):
    """A record shipped with the package that cannot be read (a damaged install) is exit code 2."""
    (tmp_path / "keras3-tensorflow.json").write_bytes(damage)
    monkeypatch.setattr(setups.recorded, "__defaults__", (tmp_path,))
    fake_ledger(fake_claim("FAKE-X"))
    assert cli.main(["check"]) == 2
    assert "keras3-tensorflow.json" in capsys.readouterr().err


def test_the_matrix_rewrites_a_record_only_when_an_outcome_changes(tmp_path, capsys):
    """``python -m glossary.claims.setups RUN NAME.json``: no rewrite for new timings or evidence,
    a rewrite (and exit code 1) for a changed outcome; one line per claim either way."""
    from glossary.claims import LEDGER

    claim_id = next(iter(LEDGER))
    rows = [
        {
            "id": claim.id, "statement": claim.statement, "verdict": claim.verdict, "holds": claim.verdict,
            "confirmed": True, "skipped": None, "error": None, "detail": "found", "seconds": 0.5,
            "depends_on": None, "page": claim.page, "code": "0" * 64,
        }
        for claim in LEDGER.values()
    ]  # fmt: skip
    run = tmp_path / "run.json"
    record.write(record.document(rows, {"Keras": "3.15.1", "backend": "jax"}), run)
    kept = tmp_path / "keras3-jax.json"
    assert setups.main([str(run), str(kept)]) == 1  # a new record
    written = kept.read_text()
    assert len(written.splitlines()) == len(LEDGER) + 5
    rows[0] |= {"detail": "found again", "seconds": 9.0}
    record.write(record.document(rows, {"Keras": "3.15.1", "backend": "jax"}), run)
    assert setups.main([str(run), str(kept)]) == 0 and kept.read_text() == written
    rows[0] |= {"holds": not rows[0]["verdict"], "confirmed": False, "detail": "now differs"}
    record.write(record.document(rows, {"Keras": "3.15.1", "backend": "jax"}), run)
    assert setups.main([str(run), str(kept)]) == 1
    changed = [line for line in kept.read_text().splitlines() if line not in written.splitlines()]
    assert len(changed) == 1 and claim_id in changed[0] and "now differs" in changed[0]
    capsys.readouterr()


def test_outputs_are_written_together_or_not_at_all(fake_ledger, tmp_path, capsys, monkeypatch):
    """When one of --output and --junit cannot be written, neither file changes."""
    from glossary import files

    fake_ledger(fake_claim("FAKE-X"))
    (tmp_path / "run.json").write_text("earlier run")
    made = files._temporary

    def second_fails(path, *arguments, **options):
        if str(path).endswith(".xml"):
            raise OSError(28, "No space left on device")
        return made(path, *arguments, **options)

    monkeypatch.setattr(files, "_temporary", second_fails)
    assert (
        cli.main(["check", "--output", str(tmp_path / "run.json"), "--junit", str(tmp_path / "claims.xml")])
        == 2
    )
    assert "none was changed" in capsys.readouterr().err
    assert (tmp_path / "run.json").read_text() == "earlier run"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["run.json"]


@pytest.mark.parametrize("where", ["a-missing-folder", "the-other-output"])
def test_a_link_is_judged_by_what_it_points_to_before_the_run(
    where, fake_ledger, tmp_path, capsys, monkeypatch
):
    ran = []
    fake_ledger(fake_claim("FAKE-X", raises=None))
    monkeypatch.setattr("glossary.claims.record.row", lambda claim: ran.append(claim) or {})
    link = tmp_path / "link.xml"
    link.symlink_to(
        tmp_path / "missing" / "claims.xml" if where == "a-missing-folder" else tmp_path / "run.json"
    )
    assert cli.main(["check", "--output", str(tmp_path / "run.json"), "--junit", str(link)]) == 2
    err = capsys.readouterr().err
    assert ("does not exist" if where == "a-missing-folder" else "name the same file") in err
    assert not ran and not (tmp_path / "run.json").exists()


def test_a_limit_too_large_for_the_system_is_refused_as_an_option(capsys):
    assert cli.main(["explain", "model.keras", "--max-megabytes", "99999999999999999999"]) == 2
    assert "--max-megabytes: expected a whole number from 1 to 1000000000" in capsys.readouterr().err


def test_a_baselines_name_cannot_break_the_last_line(fake_ledger, tmp_path, capsys):
    fake_ledger(fake_claim("FAKE-X"))
    named = tmp_path / "b\x1b]0;t\x07\nforged line.json"
    assert cli.main(["check", "--output", str(named)]) == 0
    capsys.readouterr()
    assert cli.main(["check", "--baseline", str(named)]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last.startswith("Judged by the baseline") and "\\n" in last and "\\x1b" in last


def test_a_closed_standard_output_runs_nothing(fake_ledger, monkeypatch, capsys):
    ran = []
    fake_ledger(fake_claim("FAKE-X"))
    monkeypatch.setattr("glossary.claims.record.row", lambda claim: ran.append(claim) or {})
    monkeypatch.setattr("sys.stdout", None)
    assert cli.main(["check"]) == 2
    assert not ran
