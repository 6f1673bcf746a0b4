"""The ``glossary check`` command: it runs the ledger and exits by its verdicts."""

import json
import os
import subprocess
import sys

import keras
import pytest
from fakes import fake_claim
from paths import ROOT

from glossary import claims, cli
from glossary.claims import Evidence, NotApplicable, Result, record
from glossary.versions import quiet_tensorflow

# model.save() reads TensorFlow variables through NumPy's old __array__ protocol; NumPy 2 warns.
pytestmark = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"
)


def test_check_passes_when_every_claim_is_confirmed_or_skipped(fake_ledger, capsys):
    """Exit code 0 with a true claim that holds, a false claim found false and a skipped one."""
    fake_ledger(
        fake_claim("FAKE-TRUE"),
        fake_claim("FAKE-FALSE", verdict=False, holds=False),
        fake_claim("FAKE-SKIP", raises=NotApplicable("FakeLib is not installed")),
    )
    assert cli.main(["check"]) == 0
    out, err = capsys.readouterr()
    rows = {line.split()[0]: line for line in out.splitlines() if line.startswith("FAKE-")}
    assert "confirmed" in rows["FAKE-TRUE"] and "false" not in rows["FAKE-TRUE"]
    assert "confirmed false" in rows["FAKE-FALSE"]
    assert "skipped (FakeLib is not installed)" in rows["FAKE-SKIP"]
    assert "3 claims: 2 confirmed, 1 skipped, 0 contradicted" in out
    assert f"Keras {keras.version()}, backend {keras.backend.backend()}" in out.splitlines()[0]
    assert err == "", "no progress indicator when stderr is not a terminal"


@pytest.mark.parametrize(
    "contradicted",
    [fake_claim("FAKE-BROKEN", holds=False), fake_claim("FAKE-BROKEN", verdict=False, holds=True)],
    ids=["true-claim-fails", "false-claim-holds"],
)
def test_check_fails_on_a_contradicted_claim(fake_ledger, capsys, contradicted):
    """Exit code 1 when a check disagrees with the ledger, and the table says CONTRADICTED."""
    fake_ledger(fake_claim("FAKE-TRUE"), contradicted)
    assert cli.main(["check"]) == 1
    out = capsys.readouterr().out
    assert "CONTRADICTED" in next(line for line in out.splitlines() if line.startswith("FAKE-BROKEN"))
    assert "FAKE-BROKEN observed" in out, "the evidence is printed under the table"


def test_check_fails_on_a_check_that_crashes(fake_ledger, capsys):
    """A check that raises (an API gone in a new Keras, say) is reported as ERROR with exit code 1."""
    fake_ledger(fake_claim("FAKE-CRASH", raises=TypeError("unexpected keyword argument")))
    assert cli.main(["check"]) == 1
    out = capsys.readouterr().out
    assert "ERROR" in out and "TypeError: unexpected keyword argument" in out


def test_check_json_lists_every_claim_of_the_ledger(monkeypatch, capsys):
    """Unfiltered, --json lists every claim in LEDGER with the fields a machine needs."""
    monkeypatch.setattr(  # the real checks take a quarter of a minute; the listing is what is tested
        record, "run", lambda claim: Result(claim, Evidence(claim.verdict, "fake evidence"), 0.01)
    )
    assert cli.main(["check", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert [row["id"] for row in document["claims"]] == list(claims.LEDGER)
    assert document["ok"] is True and document["versions"]["Keras"] == keras.version()
    first = document["claims"][0]
    ledger = claims.LEDGER[first["id"]]
    assert first["statement"] == ledger.statement and first["page"] == ledger.page
    fields = {"verdict", "holds", "confirmed", "skipped", "detail", "seconds", "depends_on", "page"}
    assert fields <= set(first)


def test_check_json_reports_contradiction(fake_ledger, capsys):
    """--json gives ok false, holds and confirmed per claim, and exit code 1 on a contradiction."""
    fake_ledger(fake_claim("FAKE-TRUE"), fake_claim("FAKE-BROKEN", holds=False))
    assert cli.main(["check", "--json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["ok"] is False and document["summary"]["contradicted"] == 1
    broken = document["claims"][1]
    assert (broken["holds"], broken["confirmed"], broken["detail"]) == (False, False, "FAKE-BROKEN observed")


def test_check_runs_only_the_selected_claims(fake_ledger, capsys):
    """--only and -k each run a subset; an unknown ID is a usage error (exit code 2)."""
    fake_ledger(fake_claim("FAKE-ONE"), fake_claim("FAKE-TWO"), fake_claim("OTHER-THREE"))
    assert cli.main(["check", "--only", "FAKE-TWO", "--json"]) == 0
    assert [row["id"] for row in json.loads(capsys.readouterr().out)["claims"]] == ["FAKE-TWO"]
    assert cli.main(["check", "-k", "fake", "--json"]) == 0
    assert [row["id"] for row in json.loads(capsys.readouterr().out)["claims"]] == ["FAKE-ONE", "FAKE-TWO"]
    assert cli.main(["check", "--only", "NO-SUCH-CLAIM"]) == 2
    assert "unknown claim ID: NO-SUCH-CLAIM" in capsys.readouterr().err


def test_check_shows_progress_on_a_terminal(fake_ledger, capsys, monkeypatch):
    """On a terminal, stderr counts the claims as they run, and is cleared at the end."""
    fake_ledger(fake_claim("FAKE-ONE"), fake_claim("FAKE-TWO"))
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert cli.main(["check"]) == 0
    err = capsys.readouterr().err
    assert "[1/2] FAKE-ONE" in err and "[2/2] FAKE-TWO" in err


def test_python_dash_m_glossary_check_runs_real_claims():
    """``python -m glossary check --only ...`` runs real claims against Keras and exits 0."""
    environment = quiet_tensorflow(dict(os.environ))
    result = subprocess.run(
        [sys.executable, "-m", "glossary", "check", "--only", "WEIGHT-SHAPES", "GUIDE-RETURN-STATES"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith(("WEIGHT-", "GUIDE-"))]
    assert len(rows) == 2 and "confirmed false" in rows[1], result.stdout
    assert result.stderr == ""
