"""The site's build code keeps its rooms: docs/plugins/ holds the hooks mkdocs.yml lists and nothing
else, and what lies below it defines no MkDocs event."""

import ast
import json

from mkdocs.config import load_config
from paths import ROOT, relative

PLUGINS = ROOT / "docs" / "plugins"


def events(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.name for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("on_")
    ]


def test_the_top_folder_holds_the_hooks_mkdocs_lists_and_each_has_an_event():
    listed = set(load_config(str(ROOT / "mkdocs.yml"))["hooks"])
    assert listed == {relative(path) for path in PLUGINS.glob("*.py")}
    assert all(events(ROOT / path) for path in listed)


def test_the_generators_and_scripts_define_no_event():
    below = sorted(PLUGINS.glob("*/*.py"))
    assert below and not {relative(path): events(path) for path in below if events(path)}


def test_the_step_through_command_writes_the_weights_the_page_stores(tmp_path, monkeypatch):
    from scripts import step_through_weights

    from glossary.claims.lstm_cell import step_through

    committed = step_through.stored_weights()
    monkeypatch.setattr(step_through, "WEIGHTS_FILE", tmp_path / "weights.json")
    step_through_weights.main()
    assert json.loads((tmp_path / "weights.json").read_text()) == committed
