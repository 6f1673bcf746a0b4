"""``glossary port MODEL --to TARGET OUT``: the converted layers are written, and compute what Keras does.

Each written file is loaded back here by its own framework and run beside the Keras layer it came
from, independently of the differences the command prints. A layer or setting that cannot be
converted is one line on the standard error, exit code 2, and no file written or changed.

The models are saved once per module. Keras reads them in a process of its own in the command; all
but one test read them in the test's process instead (`in_process`), which saves Keras's start-up.
"""

import io
import re
import sys
from pathlib import Path

import keras
import numpy as np
import pytest

from glossary import cli, files, porting
from glossary.port import target as port_target
from glossary.port import targets as port_targets
from glossary.port import torch as port_torch

# model.save() reads TensorFlow variables through NumPy's old __array__ protocol; NumPy 2 warns.
pytestmark = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"
)

TARGETS = list(port_targets.TARGETS)
MIXED_LAYERS = ["first", "second", "encoder/both", "gru"]
"""The recurrent layers of the mixed model, by path, in model order."""
CHECKED = 1e-5
"""How close the written layers must come to Keras here: float32 rounding over 5 timesteps."""


def mixed_model() -> keras.Model:
    """Embedding, two stacked LSTMs, a nested model holding a Bidirectional LSTM, Dense, and a GRU."""
    keras.utils.set_random_seed(1)
    tokens = keras.Input((6,), dtype="int32")
    x = keras.layers.Embedding(20, 5)(tokens)
    x = keras.layers.LSTM(4, return_sequences=True, name="first")(x)
    x = keras.layers.LSTM(4, return_sequences=True, name="second")(x)
    encoder = keras.Sequential(
        [
            keras.Input((6, 4)),
            keras.layers.Bidirectional(keras.layers.LSTM(3, return_sequences=True), name="both"),
        ],
        name="encoder",
    )
    x = keras.layers.Dense(5)(encoder(x))
    output, _ = keras.layers.GRU(3, return_state=True, name="gru")(x)
    model = keras.Model(tokens, keras.layers.Dense(1)(output))
    for layer in model.layers + encoder.layers:  # biases away from zero, so that a misplaced one shows
        for weight in layer.weights:
            if "bias" in weight.path:
                weight.assign(np.random.default_rng(2).normal(scale=0.5, size=weight.shape))
    return model


def sequential(*layers, shape=(6, 3)) -> keras.Model:
    return keras.Sequential([keras.Input(shape), *layers])


REFUSED = {
    "simple_rnn": (
        lambda: sequential(keras.layers.SimpleRNN(3, name="simple")),
        "simple (SimpleRNN)",
        "no converter for SimpleRNN",
    ),
    "conv_lstm": (
        lambda: sequential(keras.layers.ConvLSTM1D(2, 3, name="conv"), shape=(4, 5, 2)),
        "conv (ConvLSTM1D)",
        "converts LSTM and GRU layers",
    ),
    "relu": (
        lambda: sequential(keras.layers.LSTM(3, activation="relu", name="lstm")),
        "lstm (LSTM)",
        "activation='relu'",
    ),
    "no_bias": (
        lambda: sequential(keras.layers.GRU(3, use_bias=False, name="gru")),
        "gru (GRU)",
        "use_bias=False",
    ),
    "backwards": (
        lambda: sequential(keras.layers.LSTM(3, go_backwards=True, name="lstm")),
        "lstm (LSTM)",
        "go_backwards=True",
    ),
    "sum": (
        lambda: sequential(keras.layers.Bidirectional(keras.layers.GRU(3), merge_mode="sum", name="bi")),
        "bi (Bidirectional around GRU)",
        "merge_mode='sum'",
    ),
    "stateful": (
        lambda: keras.Sequential(
            [keras.Input((6, 3), batch_size=2), keras.layers.LSTM(3, stateful=True, name="lstm")]
        ),
        "lstm (LSTM)",
        "stateful=True",
    ),
}
"""Models of one layer that no target converts: the layer as the refusal names it, and why."""
HOSTILE_NAME = "evil\x1b[31m\u202e\r\nunits: 999"
"""A layer name with a colour escape, a direction override and a line break: a forged line."""


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """Every model of the module, saved: the path by name."""
    folder = tmp_path_factory.mktemp("models")
    models = {
        "mixed": mixed_model(),
        "reset_before": sequential(
            keras.layers.GRU(4, reset_after=False, return_sequences=True, name="gru"),
            keras.layers.Bidirectional(keras.layers.GRU(3, reset_after=False), name="both"),
        ),
        "masked": keras.Sequential(
            [
                keras.Input((6,)),
                keras.layers.Embedding(9, 3, mask_zero=True),
                keras.layers.LSTM(2, name="lstm"),
            ]
        ),
        "dense": sequential(keras.layers.Dense(2)),
        "hostile_name": sequential(keras.layers.LSTM(2, name=HOSTILE_NAME)),
        **{name: build() for name, (build, _, _) in REFUSED.items()},
    }
    paths = {}
    for name, model in models.items():
        paths[name] = folder / f"{name}.keras"
        model.save(paths[name])
    return paths


@pytest.fixture(scope="module")
def loaded(saved):
    """The saved models as Keras loads them: the layers the written files are compared with."""
    return {name: keras.saving.load_model(saved[name]) for name in ("mixed", "reset_before")}


@pytest.fixture
def in_process(monkeypatch):
    """The command reads the model in this process, without the memory cap of its own process."""
    monkeypatch.setattr(porting, "_reader", porting._read)


def run(capsys, *arguments) -> tuple[int, str, str]:
    code = cli.main(["port", *map(str, arguments)])
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    assert err.endswith("\n") and err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith("glossary: error: "), err
    return err


def layer_at(model, path: str):
    *parents, name = path.split("/")
    for parent in parents:
        model = model.get_layer(parent)
    return model.get_layer(name)


def keras_output(model, path: str, x: np.ndarray) -> np.ndarray:
    output = layer_at(model, path)(x)
    return np.asarray(output[0] if isinstance(output, list | tuple) else output)


# ----------------------------------------------------------- what is written, run by its framework


def run_torch(content: bytes, path: str, layer, x: np.ndarray) -> np.ndarray:
    import torch

    state = torch.load(io.BytesIO(content), weights_only=True)
    inner = getattr(layer, "forward_layer", layer)
    mine = {name[len(path) + 1 :]: tensor for name, tensor in state.items() if name.startswith(path + ".")}
    module = getattr(torch.nn, type(inner).__name__)(
        x.shape[-1], inner.units, batch_first=True, bidirectional=inner is not layer
    )
    module.load_state_dict(mine)
    with torch.no_grad():
        output, final = module(torch.from_numpy(x))
    if inner.return_sequences:
        return output.numpy()
    final = final[0] if isinstance(final, tuple) else final
    return np.concatenate(list(final.numpy()), axis=-1)  # each direction's last state, side by side


def run_onnx(content: bytes, path: str, layer, x: np.ndarray, everything: dict) -> np.ndarray:
    import onnx
    import onnxruntime

    onnx.checker.check_model(onnx.load_model_from_string(content))
    session = onnxruntime.InferenceSession(content, providers=["CPUExecutionProvider"])
    feeds = {value.name: everything[value.name.removesuffix("/X")] for value in session.get_inputs()}
    sequence, final = session.run([f"{path}/Y", f"{path}/Y_h"], feeds)
    inner = getattr(layer, "forward_layer", layer)
    if inner.return_sequences:
        timesteps, directions, batch, units = sequence.shape
        return sequence.transpose(2, 0, 1, 3).reshape(batch, timesteps, directions * units)
    return np.concatenate(list(final), axis=-1)


def run_flax(content: bytes, path: str, layer, x: np.ndarray) -> np.ndarray:
    from flax import linen

    with np.load(io.BytesIO(content)) as arrays:
        mine = {name[len(path) + 1 :]: arrays[name] for name in arrays.files if name.startswith(path + "/")}
    params: dict = {}
    for name, array in mine.items():
        *parents, leaf = name.split("/")
        node = params
        for parent in parents:
            node = node.setdefault(parent, {})
        node[leaf] = array
    inner = getattr(layer, "forward_layer", layer)
    cell = getattr(linen, type(inner).__name__ + "Cell")
    rnns = [linen.RNN(cell(inner.units), return_carry=True) for _ in range(1 + (inner is not layer))]
    module = rnns[0] if inner is layer else linen.Bidirectional(*rnns, return_carry=True)
    carry, output = module.apply({"params": params}, x)
    if inner.return_sequences:
        return np.asarray(output)
    carries = [carry] if inner is layer else list(carry)
    hidden = [each[1] if type(inner).__name__ == "LSTM" else each for each in carries]  # Flax's carry: (c, h)
    return np.concatenate([np.asarray(h) for h in hidden], axis=-1)


def run_mlx(content: bytes, path: str, layer, x: np.ndarray) -> np.ndarray:
    import mlx.core as mx
    import mlx.nn

    with np.load(io.BytesIO(content)) as arrays:
        mine = {name[len(path) + 1 :]: arrays[name] for name in arrays.files if name.startswith(path + "/")}
    inner = getattr(layer, "forward_layer", layer)
    halves = [""] if inner is layer else ["forward/", "backward/"]
    outputs = []
    for direction, half in enumerate(halves):
        module = getattr(mlx.nn, type(inner).__name__)(x.shape[-1], inner.units)
        module.update({name[len(half) :]: mx.array(a) for name, a in mine.items() if name.startswith(half)})
        result = module(mx.array(np.ascontiguousarray(x[:, ::-1] if direction else x)))
        hidden = np.array(result[0] if isinstance(result, tuple) else result)
        outputs.append(hidden[:, ::-1] if direction else hidden)
    if inner.return_sequences:
        return np.concatenate(outputs, axis=-1)
    return np.concatenate([outputs[0][:, -1], *(o[:, 0] for o in outputs[1:])], axis=-1)


def written_layers_compute_keras(target: str, content: bytes, model, paths: list[str]) -> None:
    """Each layer of ``content``, run by ``target``, gives what the Keras layer gives on a random input."""
    rng = np.random.default_rng(7)
    inputs = {}
    for path in paths:
        features = layer_at(model, path).get_weights()[0].shape[0]
        inputs[path] = rng.standard_normal((2, 5, features)).astype(np.float32)
    for path in paths:
        layer, x = layer_at(model, path), inputs[path]
        if target == "onnx":
            onnx_inputs = {name: value.transpose(1, 0, 2) for name, value in inputs.items()}
            ours = run_onnx(content, path, layer, x, onnx_inputs)
        else:
            ours = {"torch": run_torch, "flax": run_flax, "mlx": run_mlx}[target](content, path, layer, x)
        np.testing.assert_allclose(
            ours, keras_output(model, path, x), atol=CHECKED, err_msg=f"{target}: {path}"
        )


# --------------------------------------------------------------------------------------- writing

LINE = re.compile(r"(?P<title>.+): largest difference (?P<difference>\d\.\de[-+]\d\d)")


def printed(out: str) -> dict[str, float]:
    """The layer lines of the command's output: the difference by title."""
    found = [LINE.fullmatch(line) for line in out.splitlines()[:-1]]
    assert all(found), out
    return {match["title"]: float(match["difference"]) for match in found}


@pytest.mark.parametrize("target", TARGETS)
def test_every_recurrent_layer_is_written_and_computes_what_keras_does(
    target, saved, loaded, tmp_path, capsys, in_process
):
    out = tmp_path / f"mixed.{target}"
    code, stdout, err = run(capsys, saved["mixed"], "--to", target, out)
    assert (code, err) == (0, ""), err
    differences = printed(stdout)
    assert list(differences) == [
        "first (LSTM)",
        "second (LSTM)",
        "encoder/both (Bidirectional LSTM, 2 directions)",
        "gru (GRU)",
    ]
    assert all(difference <= CHECKED for difference in differences.values()), stdout
    assert stdout.splitlines()[-1] == f"wrote {out}: {port_targets.TARGETS[target].file} of 4 layers"
    assert sorted(path.name for path in tmp_path.iterdir()) == [out.name]  # no temporary file left
    written_layers_compute_keras(target, out.read_bytes(), loaded["mixed"], MIXED_LAYERS)


def test_the_model_is_read_by_a_process_of_its_own(saved, loaded, tmp_path, capsys):
    """The command as users run it: Keras loads the file in a child process, the arrays come back."""
    out = tmp_path / "mixed.pt"
    out.write_bytes(b"an older file, replaced whole")
    code, stdout, err = run(capsys, saved["mixed"], "--to", "torch", out)
    assert (code, err) == (0, ""), err
    assert len(printed(stdout)) == 4
    written_layers_compute_keras("torch", out.read_bytes(), loaded["mixed"], MIXED_LAYERS)


def test_the_names_in_each_file(saved, tmp_path, capsys, in_process):
    import onnx
    import torch

    for target in ("torch", "onnx", "mlx"):
        assert run(capsys, saved["mixed"], "--to", target, tmp_path / target)[0] == 0
    state = torch.load(tmp_path / "torch", weights_only=True)
    assert {"first.weight_ih_l0", "encoder/both.weight_hh_l0_reverse", "gru.bias_hh_l0"} <= set(state)
    graph = onnx.load(tmp_path / "onnx").graph
    assert [node.op_type for node in graph.node] == ["LSTM", "LSTM", "LSTM", "GRU"]
    assert [value.name for value in graph.input] == [f"{path}/X" for path in MIXED_LAYERS]
    with np.load(tmp_path / "mlx") as arrays:
        assert {"first/Wx", "encoder/both/backward/Wh", "gru/bhn"} <= set(arrays.files)


def test_a_gru_that_resets_before_its_recurrent_product_goes_to_onnx(
    saved, loaded, tmp_path, capsys, in_process
):
    out = tmp_path / "gru.onnx"
    code, stdout, err = run(capsys, saved["reset_before"], "--to", "onnx", out)
    assert (code, err) == (0, ""), err
    assert list(printed(stdout)) == [
        "gru (GRU, reset_after=False)",
        "both (Bidirectional GRU, 2 directions, reset_after=False)",
    ]
    written_layers_compute_keras("onnx", out.read_bytes(), loaded["reset_before"], ["gru", "both"])


@pytest.mark.parametrize("target", ["torch", "flax", "mlx"])
def test_a_gru_that_resets_before_its_recurrent_product_is_refused_elsewhere(
    target, saved, tmp_path, capsys, in_process
):
    err = refused(capsys, saved["reset_before"], target, tmp_path)
    assert "gru (GRU): reset_after=False" in err and "--to onnx converts this GRU" in err


def test_a_masked_layer_is_written_with_a_warning(saved, tmp_path, capsys, in_process):
    code, stdout, err = run(capsys, saved["masked"], "--to", "torch", tmp_path / "masked.pt")
    assert code == 0 and "lstm (LSTM): largest difference" in stdout
    assert err.count("\n") == 1
    assert err.startswith("glossary: warning: lstm receives a mask in Keras") and "does not apply it" in err


def test_names_from_the_file_are_shown_not_obeyed(saved, tmp_path, capsys, in_process):
    """A layer's name reaches the terminal escaped, each printed line on its own: a line break in
    the name cannot forge a line of the report."""
    code, stdout, err = run(capsys, saved["hostile_name"], "--to", "onnx", tmp_path / "named.onnx")
    assert (code, err) == (0, "")
    assert not any(character in stdout for character in "\x1b\r\u202e")
    lines = stdout.splitlines()
    assert len(lines) == 2 and lines[0].startswith(
        "evil\\x1b[31m\\u202e\\r\\nunits: 999 (LSTM): largest difference"
    )
    assert not any(line.startswith("units: 999") for line in lines)


def test_a_layer_that_differs_from_keras_is_not_written(saved, tmp_path, capsys, in_process, monkeypatch):
    """A converter that misplaces a bias: the command prints the difference, writes nothing, exit code 1."""
    convert = port_torch.lstm_to_torch

    def misplaced(layers):
        state = convert(layers)
        state["bias_ih_l0"] = state["bias_ih_l0"] + 0.1
        return state

    monkeypatch.setattr(port_torch, "lstm_to_torch", misplaced)
    out = tmp_path / "mixed.pt"
    out.write_bytes(b"the previous file")
    code, stdout, err = run(capsys, saved["mixed"], "--to", "torch", out)
    assert code == 1
    assert re.search(r"^first \(LSTM\): largest difference \d\.\de-0[1-3]: MORE than 1e-04$", stdout, re.M)
    assert "gru (GRU): largest difference" in stdout and "wrote" not in stdout
    assert err.count("\n") == 1 and err.startswith("glossary: not written: ") and "is unchanged" in err
    assert out.read_bytes() == b"the previous file"
    assert [path.name for path in tmp_path.iterdir()] == ["mixed.pt"]


def test_a_write_that_fails_leaves_the_previous_file(saved, tmp_path, capsys, in_process, monkeypatch):
    out = tmp_path / "mixed.npz"
    out.write_bytes(b"the previous file")

    def disk_full(*arguments):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", disk_full)
    code, stdout, err = run(capsys, saved["mixed"], "--to", "mlx", out)
    assert code == 2 and "No space left on device" in one_error_line(err)
    assert len(printed(stdout + "\n")) == 4  # the measurements are shown all the same
    assert out.read_bytes() == b"the previous file"
    assert [path.name for path in tmp_path.iterdir()] == ["mixed.npz"]


# -------------------------------------------------------------------------------------- refusals


def refused(capsys, model, target: str, folder, *, existing: bool = False) -> str:
    """Run the command to write ``folder/out``: exit code 2, one line, nothing written or changed."""
    out = folder / "out"
    if existing:
        out.write_bytes(b"kept as it was")
    code, stdout, err = run(capsys, model, "--to", target, out)
    assert (code, stdout) == (2, ""), (stdout, err)
    one_error_line(err)
    assert [path.name for path in folder.iterdir()] == (["out"] if existing else [])
    if existing:
        assert out.read_bytes() == b"kept as it was"
    return err


@pytest.mark.parametrize("name", REFUSED)
def test_what_cannot_be_converted_is_refused_naming_the_layer(name, saved, tmp_path, capsys, in_process):
    _, title, why = REFUSED[name]
    err = refused(capsys, saved[name], "onnx", tmp_path, existing=name == "relu")
    assert err.startswith(f"glossary: error: {saved[name]}: {title}: ") and why in err, err


def test_a_model_without_a_recurrent_layer_is_refused(saved, tmp_path, capsys, in_process):
    err = refused(capsys, saved["dense"], "torch", tmp_path)
    assert (
        err.startswith(f"glossary: error: {saved['dense']}: model ")
        and "has no recurrent layer to port" in err
    )


@pytest.mark.parametrize(
    "model, problem",
    [
        (lambda folder: folder / "missing.keras", "no such file"),
        (lambda folder: folder / "notes.keras", "not a Keras model"),
    ],
    ids=["missing", "not-a-model"],
)
def test_a_model_file_that_cannot_be_read_is_refused(model, problem, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(porting, "_reader", None)  # refused before any process reads it
    models = tmp_path / "models"
    models.mkdir()
    (models / "notes.keras").write_text("not a model at all\n")
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    assert problem in refused(capsys, model(models), "torch", outputs, existing=True)


def test_an_out_in_a_missing_folder_is_refused_before_the_model_is_read(saved, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(porting, "_reader", None)
    code, stdout, err = run(capsys, saved["mixed"], "--to", "torch", tmp_path / "missing" / "out.pt")
    assert (code, stdout) == (2, "") and "does not exist" in one_error_line(err)
    assert list(tmp_path.iterdir()) == []


def test_the_model_file_itself_is_not_overwritten(saved, capsys, monkeypatch):
    monkeypatch.setattr(porting, "_reader", None)
    before = saved["mixed"].read_bytes()
    code, _, err = run(capsys, saved["mixed"], "--to", "torch", saved["mixed"])
    assert code == 2 and "is the model file itself" in one_error_line(err)
    assert saved["mixed"].read_bytes() == before


def test_an_unknown_target_is_a_usage_error(saved, tmp_path, capsys):
    code, stdout, err = run(capsys, saved["mixed"], "--to", "caffe", tmp_path / "out")
    assert (code, stdout) == (2, "") and "invalid choice: 'caffe'" in one_error_line(err)
    assert list(tmp_path.iterdir()) == []


def test_a_target_that_is_not_installed_is_named_with_its_extra(saved, tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import onnxruntime now fails
    monkeypatch.setattr(porting, "_reader", None)
    err = refused(capsys, saved["mixed"], "onnx", tmp_path, existing=True)
    assert (
        err == 'glossary: error: --to onnx needs onnx and onnxruntime (pip install "lstm-glossary[onnx]")\n'
    )


def test_the_command_page_states_the_tolerance_the_command_uses():
    """docs/cli.md says how close a ported layer must come to Keras: the tolerance `port` applies."""
    page = " ".join((Path(__file__).resolve().parent.parent / "docs" / "cli.md").read_text().split())
    assert f"agrees with Keras to {port_target.TOLERANCE:.0e}".replace("e-0", "e-") in page
