"""Hostile and careless model files: ``glossary explain`` says what is wrong in one line, exit code 2.

Every file here is made by the test itself, most by rewriting a small saved model. A file that
declares more than the limits allow is refused before Keras reads it: Keras would allocate every
declared weight first, so a config of a few kilobytes could ask for gigabytes.
"""

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import h5py
import keras
import numpy as np
import pytest

from glossary import cli, explainer, model_files

# model.save() reads TensorFlow variables through NumPy's old __array__ protocol; NumPy 2 warns.
pytestmark = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"
)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A small saved model: ``Input((7, 3))``, an LSTM of 4 units, a Dense layer."""
    path = tmp_path_factory.mktemp("small") / "small.keras"
    keras.Sequential([keras.Input((7, 3)), keras.layers.LSTM(4), keras.layers.Dense(1)]).save(path)
    return path


def rewritten(small, tmp_path, change_config=None, *, extra: dict | None = None, name="crafted.keras"):
    """``small`` with its config.json passed through ``change_config`` and ``extra`` members added."""
    with zipfile.ZipFile(small) as original:
        members = {info.filename: original.read(info) for info in original.infolist()}
    if change_config:
        members["config.json"] = change_config(members["config.json"].decode())
    members |= extra or {}
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    return path


@pytest.fixture
def keras_must_not_read(monkeypatch):
    """Fail the test if the file reaches Keras: the process that would load it is never started."""

    def run(*arguments, **keywords):
        raise AssertionError("the file reached the process that loads it with Keras")

    monkeypatch.setattr(subprocess, "run", run)


def refused(path, capsys, *options) -> str:
    assert cli.main(["explain", str(path), *options]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith(f"glossary: error: {path}: "), err
    return err


def test_a_layer_wider_than_the_limit_is_refused_before_keras_builds_it(
    small, tmp_path, capsys, keras_must_not_read
):
    """The case that grew past 6 GB: a few kilobytes declaring an LSTM of 30000 units."""
    path = rewritten(small, tmp_path, lambda config: config.replace('"units": 4', '"units": 30000'))
    assert path.stat().st_size < 100_000
    assert "a layer declares units=30000, more than the limit of 4096 (--max-units" in refused(path, capsys)


def test_the_limit_can_be_raised(small, capsys):
    """A model refused under one limit is explained once the limit is raised above it."""
    refused(small, capsys, "--max-layers", "1")
    assert cli.main(["explain", str(small), "--max-layers", "3"]) == 0
    assert "1 recurrent layer" in capsys.readouterr().out


@pytest.mark.parametrize("key", ["input_dim", "output_dim", "filters"])
def test_every_width_of_a_layer_is_bounded(key, small, tmp_path, capsys, keras_must_not_read):
    path = rewritten(small, tmp_path, lambda config: config.replace('"units": 1', f'"{key}": 99999'))
    assert f"declares {key}=99999" in refused(path, capsys)


def test_an_input_with_too_many_features_is_refused(small, tmp_path, capsys, keras_must_not_read):
    path = rewritten(small, tmp_path, lambda config: config.replace("[null, 7, 3]", "[null, 7, 300000]"))
    assert "an input declares 300000 features" in refused(path, capsys)


def test_a_model_of_more_layers_than_the_limit_is_refused(small, tmp_path, capsys, keras_must_not_read):
    assert "declares more than 2 layers (--max-layers raises the limit)" in refused(
        small, capsys, "--max-layers", "2"
    )


def test_a_file_that_unpacks_beyond_the_limit_is_refused(small, tmp_path, capsys, keras_must_not_read):
    path = rewritten(small, tmp_path, extra={"padding.bin": bytes(2 * 10**6)})
    assert "unpacks to 2 MB, more than the limit of 1 MB" in refused(path, capsys, "--max-megabytes", "1")


@pytest.mark.parametrize(
    "config, message",
    [
        ("{not json", "its model config is not valid JSON"),
        ("[1, 2]", "its model config is not a JSON object"),
        ("[" * 100_000, "its model config nests deeper than any model's"),
        (b"\xff\xfe", "its model config is not valid JSON"),
    ],
    ids=["broken", "a-list", "deeply-nested", "not-utf8"],
)
def test_a_config_that_is_not_a_model_config_is_refused(
    config, message, small, tmp_path, capsys, keras_must_not_read
):
    path = rewritten(small, tmp_path, lambda _: config)
    assert message in refused(path, capsys)


def test_an_oversized_config_is_not_read(small, tmp_path, capsys, monkeypatch, keras_must_not_read):
    monkeypatch.setattr(model_files, "MAX_CONFIG_BYTES", 100)
    assert "its config.json is larger than any model's config" in refused(small, capsys)


def test_a_zip_without_a_config_is_not_a_keras_model(tmp_path, capsys, keras_must_not_read):
    path = tmp_path / "photos.keras"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("photo.txt", "not a model")
    assert "a zip archive, but not a Keras model: it holds no config.json" in refused(path, capsys)


def test_a_cut_short_archive_is_called_damaged(small, tmp_path, capsys, keras_must_not_read):
    """A download that stopped half-way is damaged, not "not a Keras model"."""
    path = tmp_path / "half.keras"
    path.write_bytes(small.read_bytes()[: small.stat().st_size // 2])
    assert "a damaged or incomplete zip archive" in refused(path, capsys)


@pytest.mark.parametrize(
    "name, message",
    [
        ("model.keras", "not a Keras model: a .keras file is the zip archive that model.save() writes"),
        ("model.bin", "not a Keras model file: Keras reads a .keras file (the zip archive"),
        ("model.h5", "not an HDF5 file, which a .h5 model file is"),
    ],
)
def test_other_bytes_are_not_a_model(name, message, tmp_path, capsys, keras_must_not_read):
    path = tmp_path / name
    path.write_bytes(np.random.default_rng(0).bytes(4096))
    assert message in refused(path, capsys)


@pytest.mark.parametrize("kind", ["pipe", "folder", "dangling-link"])
def test_only_a_regular_file_is_read(kind, tmp_path, capsys, keras_must_not_read):
    """A named pipe would block the reader and a device would never end: neither is opened."""
    path = tmp_path / "model.keras"
    if kind == "pipe":
        os.mkfifo(path)
        expected = "not a regular file"
    elif kind == "folder":
        path.mkdir()
        expected = "is a folder"
    else:
        path.symlink_to(tmp_path / "gone.keras")
        expected = "no such file"
    assert expected in refused(path, capsys)


def test_a_file_that_cannot_be_read_says_why(small, capsys, monkeypatch, keras_must_not_read):
    def denied(self, *arguments, **keywords):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", denied)
    assert "cannot be read (Permission denied)" in refused(small, capsys)


def test_an_h5_file_of_weights_only_is_not_a_model(tmp_path, capsys, keras_must_not_read):
    path = tmp_path / "weights.h5"
    with h5py.File(path, "w") as file:
        file["kernel"] = np.zeros((3, 16), "float32")
    assert "an HDF5 file, but not a Keras model: it holds no model_config" in refused(path, capsys)


def test_an_h5_file_declaring_huge_weights_is_refused(tmp_path, capsys, keras_must_not_read):
    """A dataset declared 4 GB large takes a few kilobytes on disk while no data is written to it."""
    path = tmp_path / "huge.h5"
    with h5py.File(path, "w") as file:
        file.attrs["model_config"] = json.dumps({"class_name": "Sequential", "config": {"layers": []}})
        file.create_dataset("kernel", shape=(10**5, 10**4), dtype="float32", chunks=(100, 100))
    assert path.stat().st_size < 100_000
    assert "its weights take 4000 MB, more than the limit of 128 MB" in refused(path, capsys)


def test_a_custom_class_is_named(small, tmp_path, capsys):
    """A layer class that only the user's own code registers: the message names it."""
    path = rewritten(
        small,
        tmp_path,
        lambda config: config.replace('"class_name": "Dense"', '"class_name": "MyDense"').replace(
            '"module": "keras.layers", "class_name": "MyDense", "config"',
            '"module": null, "class_name": "MyDense", "config"',
        ),
    )
    assert "uses the class 'MyDense', which is not part of Keras" in refused(path, capsys)


def test_names_with_control_characters_are_shown_not_obeyed(tmp_path, capsys):
    """Layer and model names come from the file: escapes in the text, valid JSON with --json.

    A line break in a name is written as an escape too: it could forge a line of the report.
    """
    name = "evil\x1b[31m\u202e\r\nunits: 999"
    model = keras.Sequential([keras.Input((4, 2)), keras.layers.LSTM(3, name=name)], name="m\x1b]0;t\x07")
    path = tmp_path / "evil.keras"
    model.save(path)
    assert cli.main(["explain", str(path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\r" not in out and "\u202e" not in out and "\x07" not in out
    assert "evil\\x1b[31m\\u202e\\r\\nunits: 999 (LSTM)" in out
    assert not any(line.startswith("units: 999") for line in out.splitlines())
    assert cli.main(["explain", str(path), "--json"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and json.loads(out)["layers"][0]["path"] == name


def test_each_format_is_read_as_keras_will_read_it(small, tmp_path, capsys, keras_must_not_read):
    """A file that is HDF5 and zip at once is checked in the format its name gives, which Keras loads.

    An HDF5 file with a crafted zip appended, named .keras, is no zip archive from its first byte:
    refused. The same bytes named .h5 are read as HDF5, whose config is then checked.
    """
    harmless = tmp_path / "harmless.h5"
    with h5py.File(harmless, "w") as file:
        file.attrs["model_config"] = json.dumps({"class_name": "Sequential", "config": {"layers": []}})
    crafted = rewritten(small, tmp_path, lambda config: config.replace('"units": 4', '"units": 30000'))
    both = tmp_path / "both.keras"
    both.write_bytes(harmless.read_bytes() + crafted.read_bytes())
    assert "a .keras file is the zip archive that model.save() writes" in refused(both, capsys)
    hidden = tmp_path / "hidden.h5"  # a crafted HDF5 config behind a user block that starts like a zip
    with h5py.File(hidden, "w", userblock_size=512) as file:
        file.attrs["model_config"] = json.dumps({"class_name": "Dense", "config": {"units": 10**9}})
    with hidden.open("r+b") as file:
        file.write(b"PK\x03\x04")
    assert "a layer declares units=1000000000" in refused(hidden, capsys)


def model_config(*layers, input_shape=(7, 3)) -> str:
    """A Sequential model's config.json with ``layers``, each ``(class_name, config)``, as Keras writes it."""

    def layer(name: str, setting: dict) -> dict:
        return {"module": "keras.layers", "class_name": name, "config": setting, "registered_name": None}

    declared = [layer("InputLayer", {"batch_shape": [None, *input_shape], "name": "input"})]
    for number, (name, setting) in enumerate(layers):
        declared.append(layer(name, {"name": f"layer_{number}", **setting}))
    sequential = {"name": "crafted", "layers": declared}
    return json.dumps(
        {"module": "keras", "class_name": "Sequential", "config": sequential, "registered_name": None}
    )


@pytest.mark.parametrize(
    "config",
    [
        model_config(("Flatten", {}), ("Dense", {"units": 4096}), input_shape=(100_000, 1)),
        model_config(("Reshape", {"target_shape": [10**6]}), ("Dense", {"units": 4096})),
        model_config(("Conv1D", {"filters": 100, "kernel_size": [100_000]})),
        model_config(*[("Dense", {"units": 4096})] * 100),
    ],
    ids=["flatten-a-long-input", "reshape-to-a-million", "a-huge-kernel", "a-hundred-wide-layers"],
)
def test_weights_the_config_implies_are_bounded(config, small, tmp_path, capsys, keras_must_not_read):
    """Within every width limit, but gigabytes of weights all the same: the estimate refuses them."""
    path = rewritten(small, tmp_path, lambda _: config)
    assert "MB of weights (estimated from the config, before Keras allocates them)" in refused(path, capsys)


def test_a_declared_input_shape_is_bounded(small, tmp_path, capsys, keras_must_not_read):
    config = model_config(("Dense", {"units": 4, "input_shape": [10**6]}))
    path = rewritten(small, tmp_path, lambda _: config)
    assert "an input declares 1000000 features" in refused(path, capsys)


@pytest.mark.parametrize("value", [np.arange(5), 7], ids=["an-array", "a-number"])
def test_an_h5_model_config_that_is_not_text_is_refused(value, tmp_path, capsys, keras_must_not_read):
    path = tmp_path / "odd.h5"
    with h5py.File(path, "w") as file:
        file.attrs["model_config"] = value
    assert "its model_config is not text" in refused(path, capsys)


def test_an_empty_dataset_does_not_confuse_the_size_count(tmp_path, capsys, keras_must_not_read):
    path = tmp_path / "empty.h5"
    with h5py.File(path, "w") as file:
        file.attrs["model_config"] = "[]"
        file.create_dataset("nothing", data=h5py.Empty("f"))
    assert "its model config is not a JSON object" in refused(path, capsys)


def test_a_name_too_long_for_the_system_is_one_line(tmp_path, capsys, keras_must_not_read):
    path = tmp_path / ("a" * 300 + ".keras")
    assert "cannot be read (File name too long)" in refused(path, capsys)


def test_an_empty_path_is_named_as_such(capsys):
    assert cli.main(["explain", ""]) == 2
    assert capsys.readouterr().err == "glossary: error: no model file named: the path is empty\n"


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="the memory cap needs Linux's RLIMIT_AS")
def test_loading_is_stopped_at_the_memory_limit(small, tmp_path, capsys):
    """A config whose weights the estimate cannot foresee (a normalisation over a long axis: four
    arrays of 60 million numbers) runs into the cap of the process that loads it, not into the
    machine's memory; the command says so in one line."""
    long_axis = model_config(("BatchNormalization", {"axis": 1}), input_shape=(60_000_000, 1))
    path = rewritten(small, tmp_path, lambda _: long_axis)
    message = refused(path, capsys, "--max-megabytes", "100")
    assert "loading it needs more memory than --max-megabytes 100 allows" in message


def test_the_report_from_the_loading_process_is_the_report_made_here(small):
    """The command's report travels as JSON from the process that loads the model: nothing is lost."""
    here = explainer.describe(explainer.load(small))
    assert explainer.report_for_file(small) == here


def test_a_folder_named_glossary_where_the_command_runs_changes_nothing(small, tmp_path, capsys, monkeypatch):
    """The process that loads the model imports this package, not a folder of that name in the current one."""
    (tmp_path / "glossary").mkdir()
    (tmp_path / "glossary" / "__init__.py").write_text("raise ImportError('the wrong glossary')\n")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["explain", str(small)]) == 0
    assert "1 recurrent layer" in capsys.readouterr().out


def test_a_reader_that_fails_is_one_line_not_a_memory_problem(small, capsys, monkeypatch):
    """A loading process that ends without an answer (exit code 1, a message on its stderr) is
    reported as such; only one stopped by a signal is taken for a lack of memory."""
    failed = subprocess.CompletedProcess([], 1, stdout=b"", stderr=b"Traceback ...\nSomeError: broken\n")
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: failed)
    assert "the process reading it failed (SomeError: broken)" in refused(small, capsys)
    killed = subprocess.CompletedProcess([], -9, stdout=b"", stderr=b"")
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: killed)
    assert "needs more memory" in refused(small, capsys) and "stopped by signal 9" in refused(small, capsys)


def lying_about(path, member: str, declared: int) -> None:
    """Make ``member`` of the zip archive at ``path`` declare ``declared`` bytes unpacked, in its
    local header and in the central directory, as a crafted archive would."""
    import struct

    data = bytearray(path.read_bytes())
    # (signature, offset of the unpacked size, offset of the name) in a local header, a directory entry
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = data.find(signature)
        while start != -1:
            if data[start + name_at : start + name_at + len(member)] == member.encode():
                struct.pack_into("<I", data, start + size_at, declared)
            start = data.find(signature, start + 4)
    path.write_bytes(bytes(data))


def test_a_member_compressed_with_bzip2_is_refused_unread(small, tmp_path, capsys, keras_must_not_read):
    """zipfile unpacks a bzip2 block whole: a few kilobytes can make gigabytes. Never unpacked."""
    with zipfile.ZipFile(small) as original:
        members = {info.filename: original.read(info) for info in original.infolist()}
    path = tmp_path / "bzip2.keras"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_BZIP2) as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    said = refused(path, capsys)
    assert "is compressed with zip method 12; a Keras model file uses stored or deflate members only" in said


def test_a_member_that_unpacks_to_more_than_it_declares_is_damaged(
    small, tmp_path, capsys, keras_must_not_read
):
    path = rewritten(small, tmp_path, extra={"padding.bin": bytes(50 * 10**6)})
    with zipfile.ZipFile(path) as archive, zipfile.ZipFile(tmp_path / "deflated.keras", "w") as deflated:
        for info in archive.infolist():
            deflated.writestr(info.filename, archive.read(info), compress_type=zipfile.ZIP_DEFLATED)
    lying_about(tmp_path / "deflated.keras", "padding.bin", 2048)
    said = refused(tmp_path / "deflated.keras", capsys)
    assert "a damaged or incomplete zip archive (Bad CRC-32 for file 'padding.bin')" in said


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA, zipfile.ZIP_DEFLATED])
def test_a_small_file_that_unpacks_to_gigabytes_keeps_the_command_small(method, tmp_path):
    """A few hundred bytes whose config.json unpacks to 300 MB and declares 2 KB: the whole
    command, in a process of its own, stays under 200 MB, whatever the compression method."""
    path = tmp_path / "bomb.keras"
    with (
        zipfile.ZipFile(path, "w", compression=method) as archive,
        archive.open("config.json", "w", force_zip64=True) as member,
    ):
        for _ in range(30):
            member.write(b" " * 10**7)
    lying_about(path, "config.json", 2048)
    # A process of its own runs the command, so that its peak is the command's alone.
    measure = (
        "import resource, subprocess, sys\n"
        "command = [sys.executable, '-m', 'glossary', 'explain', sys.argv[1]]\n"
        "done = subprocess.run(command, capture_output=True, text=True)\n"
        "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)\n"
        "print(done.stderr, end='')"
    )
    done = subprocess.run(
        [sys.executable, "-c", measure, str(path)], capture_output=True, text=True, timeout=120
    )
    first, said = done.stdout.split("\n", 1)
    code, peak_megabytes = map(int, first.split())
    assert code == 2 and said.count("\n") == 1, done.stdout + done.stderr
    assert peak_megabytes < 200, f"{peak_megabytes} MB"
