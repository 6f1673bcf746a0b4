"""``glossary port`` stopped part-way leaves nothing behind: SIGTERM removes its temporary folder
and stops the process reading the model; after SIGKILL the reader dies with it, and the next run
removes the folder the killed one left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import keras
import pytest

from glossary.versions import quiet_tensorflow

# model.save() reads TensorFlow variables through NumPy's old __array__ protocol; NumPy 2 warns.
pytestmark = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"
)


@pytest.fixture
def started(tmp_path):
    """A port running with its own temporary folder, stopped once its reader has made its folder."""
    model = tmp_path / "model.keras"
    keras.Sequential([keras.Input((4, 3)), keras.layers.LSTM(2)]).save(model)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    environment = quiet_tensorflow(dict(os.environ)) | {"TMPDIR": str(temporary)}
    command = [
        sys.executable,
        "-m",
        "glossary",
        "port",
        str(model),
        "--to",
        "torch",
        str(tmp_path / "out.pt"),
    ]
    process = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not list(temporary.iterdir()):
        assert process.poll() is None and time.monotonic() < deadline, "the port ended before it read"
        time.sleep(0.05)
    time.sleep(0.5)  # the reader is starting Keras
    yield process, temporary, command, environment
    if process.poll() is None:
        process.kill()
    process.communicate()  # reads and closes its pipes


def readers_of(folder) -> list[int]:
    """The processes whose command line names ``folder``: a reader writing there."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                    if os.fsencode(str(folder)) in cmdline.read():
                        found.append(int(entry))
            except OSError:
                continue
    return found


def test_sigterm_leaves_no_folder_and_no_reader(started, tmp_path):
    process, temporary, _, _ = started
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM and err.decode() == "glossary: stopped (SIGTERM)\n"
    assert not list(temporary.iterdir()) and not (tmp_path / "out.pt").exists()
    time.sleep(0.5)
    assert not readers_of(temporary)


def test_after_sigkill_the_reader_dies_and_the_next_run_removes_the_folder(started, tmp_path):
    process, temporary, command, environment = started
    process.kill()
    process.communicate()
    # A bound on the wait, not a timing: the reader dies as soon as the kernel delivers the signal,
    # but a loaded machine can take seconds to schedule it.
    deadline = time.monotonic() + 30
    while readers_of(temporary):
        assert time.monotonic() < deadline, "the reader outlived the command"
        time.sleep(0.1)
    left = list(temporary.iterdir())
    assert len(left) == 1 and left[0].name.startswith(f"glossary-port-{process.pid}-")
    done = subprocess.run(command, env=environment, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert not list(temporary.iterdir())
