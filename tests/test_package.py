"""The installable package is the library and the command: no site-build code, and every module
imports with the runtime dependencies and Keras alone (the compatibility matrix runs this file in
environments without MkDocs)."""

import importlib
import pkgutil
import re
import shutil
import subprocess
import sys
import zipfile

from paths import ROOT

import glossary


def test_every_module_of_the_package_imports():
    # glossary.__main__ runs the command when imported: `python -m glossary` is its only use.
    modules = pkgutil.walk_packages(glossary.__path__, "glossary.")
    names = [module.name for module in modules if module.name != "glossary.__main__"]
    assert "glossary.claims.lstm_cell.gates" in names and "glossary.cli" in names
    for name in names:
        importlib.import_module(name)


def test_the_wheel_holds_the_library_and_the_command_only(tmp_path):
    """A wheel built from the repository holds ``glossary/`` and its metadata, and nothing in it
    imports MkDocs. It is built from a copy: setuptools writes its build folders beside the source."""
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "glossary", source / "glossary", ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path / "wheel")],
        check=True, capture_output=True,
    )  # fmt: skip
    (wheel,) = (tmp_path / "wheel").glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        python = {name: archive.read(name).decode() for name in names if name.endswith(".py")}
    assert all(name.startswith(("glossary/", "lstm_glossary-")) for name in names), names
    assert "glossary/claims/registry.py" in python and "glossary/cli.py" in python
    importing_mkdocs = [
        name for name, text in python.items() if re.search(r"^\s*(from|import) mkdocs", text, re.M)
    ]
    assert not importing_mkdocs
