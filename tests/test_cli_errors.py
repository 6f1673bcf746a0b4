"""The command's errors: one line on the standard error, and the exit code the docs define.

0 every claim confirmed; 1 a claim contradicted; 2 a usage or input error (bad path, unwritable
output, unreadable model, missing Keras or backend); 3 a bug in the command. No traceback.
"""

import errno
import importlib.util
import json
import os
import subprocess
import sys

import pytest
from fakes import fake_claim
from paths import ROOT

from glossary import cli, files
from glossary.claims import record
from glossary.terminal import printable
from glossary.versions import quiet_tensorflow


def one_error_line(err: str) -> str:
    assert err.endswith("\n") and err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith("glossary: error: "), err
    return err


@pytest.mark.parametrize(
    "where, problem",
    [
        (lambda tmp: tmp / "missing" / "claims.json", "does not exist"),
        (lambda tmp: tmp, "is a folder"),
    ],
    ids=["missing-folder", "a-folder"],
)
def test_check_output_that_cannot_be_written_is_refused_before_the_run(
    where, problem, tmp_path, fake_ledger, capsys, monkeypatch
):
    fake_ledger(fake_claim("FAKE-ONE"))
    ran = []
    monkeypatch.setattr(record, "row", ran.append)
    assert cli.main(["check", "--output", str(where(tmp_path))]) == 2
    out, err = capsys.readouterr()
    assert out == "" and problem in one_error_line(err)
    assert ran == []  # the path was checked before any claim ran


def test_check_output_in_a_folder_it_may_not_write_is_refused(tmp_path, fake_ledger, capsys, monkeypatch):
    fake_ledger(fake_claim("FAKE-ONE"))
    monkeypatch.setattr(cli.os, "access", lambda path, mode: False)
    assert cli.main(["check", "--output", str(tmp_path / "claims.json")]) == 2
    assert "is not writable" in one_error_line(capsys.readouterr().err)


def test_a_failed_output_write_keeps_the_table_and_the_old_file(tmp_path, fake_ledger, capsys, monkeypatch):
    """The disk fills up after the run: the table is printed, the old file is whole, exit code 2."""
    fake_ledger(fake_claim("FAKE-ONE"))
    output = tmp_path / "claims.json"
    output.write_text('{"the": "previous record"}')

    def disk_full(*arguments):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "replace", disk_full)
    assert cli.main(["check", "--output", str(output)]) == 2
    out, err = capsys.readouterr()
    assert "FAKE-ONE" in out and "1 claims: 1 confirmed" in out
    assert "cannot be written (No space left on device)" in one_error_line(err)
    assert json.loads(output.read_text()) == {"the": "previous record"}
    assert [path.name for path in tmp_path.iterdir()] == ["claims.json"]


def test_check_output_is_written_whole(tmp_path, fake_ledger, capsys):
    fake_ledger(fake_claim("FAKE-ONE"), fake_claim("FAKE-TWO", holds=False))
    output = tmp_path / "claims.json"
    assert cli.main(["check", "--json", "--output", str(output)]) == 1
    assert json.loads(output.read_text()) == json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("name", ["os", "keras.layers", "tf_keras_typo", ""])
def test_glossary_keras_must_name_a_keras(name, monkeypatch, capsys):
    monkeypatch.setenv("GLOSSARY_KERAS", name)
    assert cli.main(["check", "--only", "WEIGHT-SHAPES"]) == 2
    err = one_error_line(capsys.readouterr().err)
    assert "GLOSSARY_KERAS=" in err and "expected 'keras' (Keras 3) or 'tf_keras' (Keras 2)" in err


# A backend Keras 3 knows that is not installed here (the test sessions install JAX, for Flax).
MISSING_BACKEND = next((name for name in ("openvino", "jax") if importlib.util.find_spec(name) is None), None)


@pytest.mark.skipif(MISSING_BACKEND is None, reason="every backend Keras 3 knows is installed here")
@pytest.mark.parametrize("command", [["check"], ["explain", "model.keras"]])
def test_a_missing_backend_is_one_line_and_exit_code_2(command, tmp_path):
    """``KERAS_BACKEND`` naming a backend that is not installed: what the user sees from a fresh process."""
    (tmp_path / "model.keras").write_bytes(b"")
    environment = quiet_tensorflow(dict(os.environ)) | {"KERAS_BACKEND": MISSING_BACKEND}
    ran = subprocess.run(
        [sys.executable, "-m", "glossary", *command],
        cwd=tmp_path,
        env=environment | {"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    if command[0] == "explain":  # an empty file is refused before Keras is needed
        assert ran.returncode == 2 and "not a Keras model" in one_error_line(ran.stderr)
        (tmp_path / "model.keras").unlink()
        return
    assert ran.returncode == 2, ran.stderr
    err = one_error_line(ran.stderr)
    assert f"KERAS_BACKEND='{MISSING_BACKEND}'" in err
    assert f"it needs {MISSING_BACKEND}, which is not installed" in err


def test_a_bug_is_one_line_with_exit_code_3(monkeypatch, capsys):
    """An exception the command does not expect is a bug: one line, and the traceback on request."""

    def broken(arguments):
        raise KeyError("oops")

    monkeypatch.setattr(cli, "_check", broken)
    assert cli.main(["check"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error: KeyError: 'oops'" in err and "GLOSSARY_DEBUG=1" in err
    monkeypatch.setenv("GLOSSARY_DEBUG", "1")
    assert cli.main(["check"]) == 3
    assert "Traceback" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["0", "-5", "many", "1e9"])
def test_explain_limits_must_be_positive_whole_numbers(value, capsys):
    assert cli.main(["explain", "model.keras", "--max-units", value]) == 2
    assert f"expected a whole number from 1 to 1000000000, not '{value}'" in one_error_line(
        capsys.readouterr().err
    )


def test_printable_writes_control_characters_as_escapes():
    """ANSI colour, a carriage return, a bell and a right-to-left override are shown, not obeyed."""
    assert printable("a\x1b[31mred\r\x07\u202eb") == "a\\x1b[31mred\\r\\x07\\u202eb"
    assert printable("two\nlines") == "two\nlines"
    assert printable("two\nlines", lines=False) == "two\\nlines"
    assert printable("ünïcode \N{MULTIPLICATION SIGN} ✓") == "ünïcode \N{MULTIPLICATION SIGN} ✓"


@pytest.mark.parametrize(
    "command, said",
    [
        (["check", "--bogus"], "unrecognized arguments: --bogus"),
        (["explain"], "the following arguments are required: model"),
        (["explain", "m.keras", "--max-units", "0"], "expected a whole number from 1 to 1000000000, not '0'"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
    ],
)
def test_a_refused_command_line_is_one_line(command, said, capsys):
    assert cli.main(command) == 2
    out, err = capsys.readouterr()
    assert out == "" and said in one_error_line(err) and "glossary --help" in err


class FullDisk:
    """A standard output on a full disk."""

    def write(self, text):
        raise OSError(errno.ENOSPC, "No space left on device")

    def flush(self):
        pass

    def fileno(self):
        return sys.__stdout__.fileno()


def test_a_full_standard_output_is_one_line_and_the_file_is_kept(tmp_path, fake_ledger, capsys, monkeypatch):
    fake_ledger(fake_claim("FAKE-ONE"))
    output = tmp_path / "claims.json"
    monkeypatch.setattr(cli.os, "dup2", lambda *arguments: None)  # keep pytest's own output
    monkeypatch.setattr(sys, "stdout", FullDisk())
    assert cli.main(["check", "--output", str(output)]) == 2
    assert "the standard output cannot be written (No space left on device)" in one_error_line(
        capsys.readouterr().err
    )
    assert json.loads(output.read_text())["claims"][0]["id"] == "FAKE-ONE"


def test_a_reader_that_goes_away_loses_nothing_that_was_asked_for(tmp_path):
    """``glossary check --output FILE | head -1``: the file whole, stderr empty, the verdict's exit code."""
    output = tmp_path / "claims.json"
    reader = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "glossary",
            "check",
            "--json",
            "--only",
            "PARAMS-FORMULA",
            "--output",
            str(output),
        ],
        cwd=ROOT,
        env=quiet_tensorflow(dict(os.environ)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    reader.stdout.close()  # the reader goes away before the first line
    assert reader.wait(timeout=120) == 0
    assert reader.stderr.read() == b""
    reader.stderr.close()
    assert json.loads(output.read_text())["ok"] is True
