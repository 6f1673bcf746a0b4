"""A refusal names what is actually wrong: the file once, the system rather than the file where the
system failed, Python code only where Keras found some."""

from __future__ import annotations

import errno
import subprocess

import keras
import pytest

from glossary import cli, model_files

# model.save() reads TensorFlow variables through NumPy's old __array__ protocol; NumPy 2 warns.
pytestmark = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"
)


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    folder = tmp_path_factory.mktemp("models")
    dense = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="unsafe_dense")])
    dense.save(folder / "dense.keras")
    lstm = keras.Sequential([keras.Input((4, 3)), keras.layers.LSTM(2, name="unsafe")])
    lstm.save(folder / "lstm.keras")
    return folder


@pytest.mark.parametrize("command", [["explain"], ["port", "--to", "torch"]])
def test_a_model_without_a_recurrent_layer_names_its_file_once(command, saved, tmp_path, capsys):
    path = str(saved / "dense.keras")
    arguments = [command[0], path, *command[1:]] + (
        [str(tmp_path / "out.pt")] if command[0] == "port" else []
    )
    assert cli.main(arguments) == 2
    err = capsys.readouterr().err
    assert err.count(path) == 1 and "has no recurrent layer" in err, err


def test_a_failure_that_mentions_unsafe_is_not_blamed_on_python_code(saved, monkeypatch):
    """Keras's echo of a config can hold any word a layer's name holds: only Keras's own refusal of
    code in a config (which names safe_mode=False and the risk) is reported as one."""

    def fails(*arguments, **options):
        raise ValueError("Could not build layer 'unsafe': its input shape is unknown")

    monkeypatch.setattr(keras.saving, "load_model", fails)
    with pytest.raises(model_files.ModelFileError) as refused:
        model_files.load(saved / "lstm.keras")
    assert "Python code" not in str(refused.value) and "not a model Keras" in str(refused.value)


def test_a_reader_that_cannot_start_is_a_problem_of_the_system(saved, monkeypatch, capsys):
    def cannot_start(*arguments, **options):
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(subprocess, "run", cannot_start)
    assert cli.main(["explain", str(saved / "lstm.keras")]) == 2
    err = capsys.readouterr().err
    assert err == (
        "glossary: error: cannot start the process that reads the model (Resource temporarily "
        "unavailable); nothing was read\n"
    )
