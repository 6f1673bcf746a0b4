"""The registry of ``glossary port``'s targets: one record per framework, read by the command, the
extras and the tests; a new target is one module and one line."""

from __future__ import annotations

import tomllib

import keras
import numpy as np
import pytest
from paths import ROOT

from glossary import cli, porting, reference
from glossary.port import target, targets

# model.save() reads TensorFlow variables through NumPy's old __array__ protocol; NumPy 2 warns.
pytestmark = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"
)

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_each_target_has_the_extra_of_its_name_which_installs_what_it_needs():
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert set(extras) - {"keras"} == set(targets.TARGETS)
    for name, each in targets.TARGETS.items():
        installed = {requirement.split("==")[0].split("[")[0] for requirement in extras[name]}
        assert set(each.needs) <= installed, name


# A toy target, as a new framework's module would declare it: the NumPy reference of this package
# runs the layers, from an .npz of Keras's own arrays. LSTM only, to stay short.


def _arrays(layer) -> dict[str, np.ndarray]:
    if layer.kind != "LSTM" or layer.directions != 1:
        raise target.PortRefusedError(f"{layer.title}: the toy target takes one-way LSTM layers only")
    return dict(zip(("kernel", "recurrent_kernel", "bias"), layer.weights, strict=True))


def _write(layers) -> bytes:
    return target.npz(target.named(layers, _arrays, "/"))


def _run(layers, content: bytes) -> target.Run:
    loaded = target.read_npz(content)
    for layer in layers:
        weights = [loaded[f"{layer.path}/{name}"] for name in _arrays(layer)]
        sequence, hidden, cell = reference.lstm(layer.x, *weights, return_sequences=True, return_state=True)
        yield [sequence], [[hidden, cell]]


TOY = target.Target("numpy", (), "an .npz of Keras's own arrays", _write, _run)


@pytest.fixture
def with_the_toy_target(monkeypatch):
    """The toy target in the registry (one line), and the model read in this process, which has it."""
    monkeypatch.setitem(targets.TARGETS, TOY.name, TOY)
    monkeypatch.setattr(porting, "_reader", porting._read)


def test_a_new_target_is_one_record_and_one_registry_line(with_the_toy_target, tmp_path, capsys):
    """Registered, the toy target is one of the command's choices, and a model ports to it: written
    only after its layers, run back from the file, agree with Keras."""
    assert "numpy" in cli._parser()._subparsers._group_actions[0].choices["port"].format_help()
    model = keras.Sequential(
        [keras.Input((5, 3)), keras.layers.LSTM(4, return_sequences=True), keras.layers.LSTM(2)]
    )
    model.save(tmp_path / "model.keras")
    out = tmp_path / "model.npz"
    assert cli.main(["port", str(tmp_path / "model.keras"), "--to", "numpy", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[-1] == f"wrote {out}: an .npz of Keras's own arrays of 2 layers"
    assert all(float(line.rsplit(" ", 1)[-1]) <= target.TOLERANCE for line in printed[:-1])
    with np.load(out) as arrays:
        assert sorted(arrays.files) == sorted(
            f"{layer.name}/{name}"
            for layer in model.layers
            for name in ("kernel", "recurrent_kernel", "bias")
        )


def test_what_a_target_cannot_express_is_refused_naming_the_layer(with_the_toy_target, tmp_path, capsys):
    model = keras.Sequential([keras.Input((5, 3)), keras.layers.GRU(4, name="gru")])
    model.save(tmp_path / "model.keras")
    assert cli.main(["port", str(tmp_path / "model.keras"), "--to", "numpy", str(tmp_path / "out.npz")]) == 2
    assert "gru (GRU): the toy target takes one-way LSTM layers only" in capsys.readouterr().err
    assert not (tmp_path / "out.npz").exists()
