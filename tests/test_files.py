"""``glossary.files.write_atomically``: a write that fails leaves the previous file whole, and no litter."""

import errno
import os
import stat

import pytest

from glossary import files


def test_a_write_replaces_the_file_with_all_of_the_text(tmp_path):
    target = tmp_path / "record.json"
    target.write_text("old")
    files.write_atomically(target, "new\r\nlines\n")
    assert target.read_bytes() == b"new\r\nlines\n"  # newlines as given, on every platform
    assert [path.name for path in tmp_path.iterdir()] == ["record.json"]


def test_a_new_file_gets_the_permissions_of_any_new_file(tmp_path):
    umask = os.umask(0o022)
    try:
        files.write_atomically(tmp_path / "new.json", "{}")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o644


def test_a_replaced_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "kept.json"
    target.write_text("old")
    target.chmod(0o640)
    files.write_atomically(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


@pytest.mark.parametrize("failing", ["write", "fsync", "replace"])
def test_a_failed_write_leaves_the_previous_file_intact(failing, tmp_path, monkeypatch):
    """A full disk at any step: the old file is as it was, and no temporary file is left behind."""
    target = tmp_path / "record.json"
    target.write_text("the previous good record")

    def disk_full(*arguments, **keywords):
        raise OSError(errno.ENOSPC, "No space left on device")

    if failing == "write":
        monkeypatch.setattr(files.os, "fdopen", lambda handle, *a, **k: FailingFile(handle, disk_full))
    else:
        monkeypatch.setattr(files.os, failing, disk_full)
    with pytest.raises(OSError, match="No space left"):
        files.write_atomically(target, "a new record " * 1000)
    assert target.read_text() == "the previous good record"
    assert [path.name for path in tmp_path.iterdir()] == ["record.json"]


def test_an_interrupted_write_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    target = tmp_path / "record.json"
    target.write_text("the previous good record")

    def interrupted(*arguments):
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        files.write_atomically(target, "new")
    assert target.read_text() == "the previous good record"
    assert len(list(tmp_path.iterdir())) == 1


def test_a_missing_folder_is_an_os_error_and_writes_nothing(tmp_path):
    with pytest.raises(FileNotFoundError):
        files.write_atomically(tmp_path / "missing" / "record.json", "{}")
    assert list(tmp_path.iterdir()) == []


class FailingFile:
    """The file of descriptor ``handle``, whose ``write`` fails as ``failure`` does, as on a full disk."""

    def __init__(self, handle, failure):
        self.handle, self.failure = handle, failure

    def __enter__(self):
        return self

    def __exit__(self, *exception):
        os.close(self.handle)
        return False

    def write(self, text):
        self.failure()


def test_a_name_as_long_as_the_folder_allows_can_be_written(tmp_path):
    """The temporary file's name is short: a target of 250 characters still fits the usual limit of 255."""
    target = tmp_path / ("a" * 245 + ".json")
    files.write_atomically(target, "{}")
    assert target.read_text() == "{}" and len(list(tmp_path.iterdir())) == 1


def test_a_link_is_kept_and_its_target_replaced(tmp_path):
    target, link = tmp_path / "target.json", tmp_path / "link.json"
    target.write_text("old")
    link.symlink_to(target)
    files.write_atomically(link, "new")
    assert link.is_symlink() and target.read_text() == "new"


def test_bytes_replace_the_file_whole(tmp_path):
    target = tmp_path / "weights.pt"
    target.write_bytes(b"old")
    target.chmod(0o640)
    files.write_bytes_atomically(target, b"\x00\x01new\r\n")
    assert target.read_bytes() == b"\x00\x01new\r\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [path.name for path in tmp_path.iterdir()] == ["weights.pt"]


def test_a_failed_write_of_bytes_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    target = tmp_path / "weights.pt"
    target.write_bytes(b"the previous file")

    def disk_full(*arguments):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "replace", disk_full)
    with pytest.raises(OSError, match="No space left"):
        files.write_bytes_atomically(target, b"new" * 1000)
    assert target.read_bytes() == b"the previous file"
    assert [path.name for path in tmp_path.iterdir()] == ["weights.pt"]
