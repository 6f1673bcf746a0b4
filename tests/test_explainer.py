"""``glossary explain`` and ``glossary.explain``: a saved model described with figures that are
Keras's own, and files it cannot safely load refused."""

import json
import re

import keras
import pytest

import glossary
from glossary import cli
from glossary.explainer import TIMES

# model.save() reads TensorFlow variables through NumPy's old __array__ protocol; NumPy 2 warns.
pytestmark = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"
)

layers = keras.layers


def stacked():
    inputs = keras.Input((7, 5))
    sequence = layers.LSTM(4, return_sequences=True, name="first")(inputs)
    return keras.Model(inputs, layers.LSTM(3, return_state=True, name="second")(sequence), name="stacked")


def bidirectional():
    inputs = keras.Input((None, 6))
    wrapped = layers.Bidirectional(layers.LSTM(5, return_sequences=True, name="lstm"), name="both_ways")(
        inputs
    )
    return keras.Model(inputs, wrapped, name="bidirectional")


def grus():
    inputs = keras.Input((9, 3))
    after = layers.GRU(4, return_sequences=True, name="gru_after")(inputs)
    return keras.Model(inputs, layers.GRU(2, reset_after=False, name="gru_before")(after), name="grus")


def simple_rnn():
    return keras.Sequential([keras.Input((4, 2)), layers.SimpleRNN(3, name="simple")], name="simple_rnn")


def relu_lstm():
    return keras.Sequential(
        [keras.Input((6, 2)), layers.LSTM(3, activation="relu", name="relu")], name="relu"
    )


def nested():
    encoder = keras.Sequential([keras.Input((None, 2)), layers.GRU(3, name="inner_gru")], name="encoder")
    inputs = keras.Input((5, 2))
    return keras.Model(inputs, layers.Dense(1)(encoder(inputs)), name="outer")


def masked():
    """An LSTM after Embedding(mask_zero=True): Keras records its input as [x, mask]."""
    token_ids = keras.Input((7,), dtype="int32")
    vectors = layers.Embedding(50, 8, mask_zero=True)(token_ids)
    return keras.Model(token_ids, layers.LSTM(4, name="after_embedding")(vectors), name="masked")


def time_distributed():
    inputs = keras.Input((5, 7, 3))
    return keras.Model(inputs, layers.TimeDistributed(layers.LSTM(4), name="per_slice")(inputs), name="td")


def rnn_around_a_cell():
    inputs = keras.Input((7, 3))
    return keras.Model(inputs, layers.RNN(layers.GRUCell(4), name="generic")(inputs), name="cell")


BUILDERS = {"stacked": stacked, "bidirectional": bidirectional, "grus": grus, "simple_rnn": simple_rnn}
BUILDERS |= {"relu": relu_lstm, "nested": nested, "masked": masked, "time_distributed": time_distributed}
BUILDERS |= {"rnn_cell": rnn_around_a_cell}


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """Each model above, saved as ``NAME.keras`` in a temporary folder."""
    folder = tmp_path_factory.mktemp("models")
    paths = {}
    for name, build in BUILDERS.items():
        paths[name] = folder / f"{name}.keras"
        build().save(paths[name])
    return paths


def explain_text(path, capsys) -> str:
    """What ``glossary explain`` prints for ``path``, made in this process to keep the tests fast.

    The command loads the model in a process of its own and sends the report back as JSON; test_
    explain_files and the round trip below hold that route to this one.
    """
    from glossary import explainer

    return explainer.render(explainer.describe(explainer.load(path))) + "\n"


def block(text: str, title: str) -> str:
    """The part of ``explain``'s text about the layer whose heading starts with ``title``."""
    start = text.index(f"\n{title} (")
    end = text.find("\n\n", start + 1)
    return text[start : end if end != -1 else None]


def row(text: str, label: str) -> list[str]:
    """The cells of the table row that starts with ``label``."""
    line = next(line.strip() for line in text.splitlines() if line.strip().startswith(f"{label}  "))
    return re.split(r"\s{2,}", line)


def formula(text: str) -> str:
    """``text`` with each `` * `` written as the multiplication sign that explain prints."""
    return text.replace(" * ", f" {TIMES} ")


def keras_layer(path, name):
    return keras.saving.load_model(path).get_layer(name)


def output_shapes(layer) -> list[tuple]:
    produced = layer.output
    return [tuple(t.shape) for t in (produced if isinstance(produced, list | tuple) else [produced])]


def test_explain_stacked_lstm(saved, capsys):
    """Each layer of a stack: features, units, weights by gate, formula = count_params(), Keras's outputs."""
    text = explain_text(saved["stacked"], capsys)
    first, second = block(text, "first"), block(text, "second")
    assert "input: (None, 7, 5) = (batch, timesteps, features)" in first
    assert "features: 5, timesteps: 7" in first and "units: 4 " in first
    assert (
        formula("4 * (5 + 4 + 1) * 4 = 160") in first
        and keras_layer(saved["stacked"], "first").count_params() == 160
    )
    assert (
        formula("4 * (4 + 3 + 1) * 3 = 96") in second
        and keras_layer(saved["stacked"], "second").count_params() == 96
    )
    assert row(first, "gate") == ["gate", "kernel", "recurrent_kernel", "bias"]
    for gate in ("input gate", "forget gate", "candidate", "output gate"):
        assert row(first, gate) == [gate, "(5, 4)", "(4, 4)", "(4,)"]
    assert row(first, "packed") == ["packed", "(5, 16)", "(4, 16)", "(16,)"]
    assert [tuple(v.shape) for v in keras_layer(saved["stacked"], "first").weights] == [
        (5, 16),
        (4, 16),
        (16,),
    ]
    assert "hidden state at every timestep  (None, 7, 4) = (batch, timesteps, units)" in first
    assert output_shapes(keras_layer(saved["stacked"], "second")) == [(None, 3), (None, 3), (None, 3)]
    for what in ("last hidden state ", "final hidden state", "final cell state  "):
        assert f"{what}  (None, 3) = (batch, units)" in second
    assert "cuDNN kernel: allowed" in first


def test_explain_figures_are_keras_figures(saved):
    """In every model, describe() reports Keras's count_params(), weight shapes and output shapes."""
    from glossary import explainer

    for path in saved.values():
        model = keras.saving.load_model(path)
        report = explainer.describe(model)
        assert report.parameters == model.count_params()
        for described in report.layers:
            layer = model.get_layer(described.path.split("/")[0])
            if "/" in described.path:
                layer = layer.get_layer(described.path.split("/")[1])
            assert described.parameters == layer.count_params()
            assert [o.shape for o in described.outputs] == output_shapes(layer)
            sides = [layer.forward_layer, layer.backward_layer] if described.merge_mode else [layer]
            if described.layer_type == "TimeDistributed":
                sides = [layer.layer]
            for direction, side in zip(described.directions, sides, strict=True):
                assert direction.parameters == side.count_params()
                assert direction.formula.endswith(f"= {side.count_params()}")
                assert [w.shape for w in direction.weights] == [tuple(v.shape) for v in side.weights]


def test_explain_bidirectional(saved, capsys):
    """Bidirectional: merge mode, both directions with their weights, 2 * units wide, parameters summed."""
    text = explain_text(saved["bidirectional"], capsys)
    wrapper = keras_layer(saved["bidirectional"], "both_ways")
    assert "both_ways (Bidirectional around LSTM, merge_mode='concat')" in text
    assert "forward direction: forward_lstm (LSTM)" in text
    assert "backward direction: backward_lstm (LSTM, go_backwards=True)" in text
    assert text.count(formula("4 * (6 + 5 + 1) * 5 = 240")) == 2
    assert "parameters: 240 + 240 = 480" in text and wrapper.count_params() == 480
    assert "timesteps: any" in text
    assert output_shapes(wrapper) == [(None, None, 10)]
    assert formula("(None, None, 10) = (batch, timesteps, 2 * units)") in text


def test_explain_gru_reset_after_true_and_false(saved, capsys):
    """GRU: three gates; reset_after=True has 2 bias rows (+2 in the formula) and allows cuDNN, False not."""
    text = explain_text(saved["grus"], capsys)
    after, before = block(text, "gru_after"), block(text, "gru_before")
    assert "gru_after (GRU, reset_after=True)" in after
    for gate in ("update gate", "reset gate", "candidate"):
        assert row(after, gate) == [gate, "(3, 4)", "(4, 4)", "(2, 4)"]
    assert row(after, "packed") == ["packed", "(3, 12)", "(4, 12)", "(2, 12)"]
    assert row(before, "packed") == ["packed", "(4, 6)", "(2, 6)", "(6,)"]
    assert "bias has 2 rows" in after and "bias has 2 rows" not in before
    assert (
        formula("3 * (3 + 4 + 2) * 4 = 108") in after
        and keras_layer(saved["grus"], "gru_after").count_params() == 108
    )
    assert (
        formula("3 * (4 + 2 + 1) * 2 = 42") in before
        and keras_layer(saved["grus"], "gru_before").count_params() == 42
    )
    assert "cuDNN kernel: allowed" in after and "its JAX backend has no cuDNN GRU" in after
    assert "cuDNN kernel: no: reset_after=False" in before
    assert "cell state" not in after, "a GRU has no cell state"


def test_explain_simple_rnn(saved, capsys):
    """SimpleRNN: one block of weights, (features + units + 1) * units parameters, no cuDNN kernel."""
    text = explain_text(saved["simple_rnn"], capsys)
    assert "simple (SimpleRNN)" in text and "one block" in text
    assert row(text, "shape") == ["shape", "(2, 3)", "(3, 3)", "(3,)"]
    assert (
        formula("(2 + 3 + 1) * 3 = 18") in text
        and keras_layer(saved["simple_rnn"], "simple").count_params() == 18
    )
    assert "cuDNN kernel: no: Keras has no cuDNN kernel for SimpleRNN" in text


def test_explain_says_why_cudnn_is_ruled_out(saved, capsys):
    """An LSTM with activation='relu' cannot take the cuDNN kernel, and the reason is named."""
    text = explain_text(saved["relu"], capsys)
    assert "cuDNN kernel: no: activation='relu' (the kernel needs 'tanh')" in text


def test_explain_finds_layers_in_nested_models(saved, capsys):
    """A recurrent layer inside a sub-model is explained, named by its path."""
    text = explain_text(saved["nested"], capsys)
    assert "encoder/inner_gru (GRU, reset_after=True)" in text
    assert formula("3 * (2 + 3 + 2) * 3 = 63") in text


def test_explain_sees_the_input_of_a_masked_layer(saved, capsys):
    """After Embedding(mask_zero=True) the input is [x, mask]: its shape is x's, and the mask is said."""
    text = explain_text(saved["masked"], capsys)
    assert "input: (None, 7, 8) = (batch, timesteps, features), with a mask from an earlier layer" in text
    assert "features: 8, timesteps: 7" in text
    layer = keras_layer(saved["masked"], "after_embedding")
    assert [tuple(t.shape) for t in layer.input] == [(None, 7, 8), (None, 7)]


def test_explain_says_what_a_mask_does_to_cudnn(saved, capsys):
    """A masked layer's cuDNN line says that a mask limits the kernel (TensorFlow, right-padded only)."""
    masked, unmasked = explain_text(saved["masked"], capsys), explain_text(saved["stacked"], capsys)
    assert "cuDNN kernel: allowed by these settings" in masked
    assert "receives a mask: only TensorFlow takes it then, for right-padded sequences" in masked
    assert "but the layer receives a mask" not in unmasked


def test_explain_says_where_the_cudnn_kernel_runs_for_each_kind():
    """An LSTM's cuDNN line names JAX among the backends that take the kernel; a GRU's says that
    Keras's JAX backend has no cuDNN GRU."""
    from glossary import model_report

    assert "JAX" in model_report.GPU_TAKES_IT["LSTM"] and "no cuDNN" not in model_report.GPU_TAKES_IT["LSTM"]
    assert "JAX backend has no cuDNN GRU" in model_report.GPU_TAKES_IT["GRU"]


def test_explain_time_distributed(saved, capsys):
    """TimeDistributed runs the LSTM on each slice along axis 1: one more axis in and out."""
    text = explain_text(saved["time_distributed"], capsys)
    assert "per_slice (TimeDistributed around LSTM; run on each slice along axis 1)" in text
    assert "input: (None, 5, 7, 3) = (batch, slices, timesteps, features)" in text
    assert "features: 3, timesteps: 7" in text
    assert "last hidden state of each slice  (None, 5, 4) = (batch, slices, units)" in text
    assert output_shapes(keras_layer(saved["time_distributed"], "per_slice")) == [(None, 5, 4)]


def test_explain_rnn_around_a_cell(saved, capsys):
    """keras.layers.RNN(GRUCell(4)) has a GRU's weights, and never takes the cuDNN kernel."""
    text = explain_text(saved["rnn_cell"], capsys)
    assert "generic (RNN(GRUCell), reset_after=True)" in text
    assert formula("3 * (3 + 4 + 2) * 4 = 108") in text
    assert keras_layer(saved["rnn_cell"], "generic").count_params() == 108
    assert "cuDNN kernel: no: RNN runs its cell step by step; only the GRU layer takes the kernel" in text


def test_explain_json(saved, capsys):
    """--json gives the same figures as data."""
    assert cli.main(["explain", str(saved["stacked"]), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    first, second = document["layers"]
    assert (first["path"], first["features"], first["units"], first["timesteps"]) == ("first", 5, 4, 7)
    assert first["parameters"] == 160 and second["return_state"] is True
    assert [output["shape"] for output in second["outputs"]] == [[None, 3]] * 3
    assert first["directions"][0]["gates"] == ["input gate", "forget gate", "candidate", "output gate"]


def test_explain_in_python_prints(capsys):
    """``glossary.explain(model)`` prints the description of a model in memory, fixed batch size included."""
    inputs = keras.Input(batch_shape=(3, 7, 5))
    stateful = layers.LSTM(4, stateful=True, name="lstm_in_memory")
    assert glossary.explain(keras.Model(inputs, stateful(inputs))) is None
    out = capsys.readouterr().out
    assert "lstm_in_memory (LSTM)" in out and "input: (3, 7, 5) = (batch, timesteps, features)" in out
    assert formula("4 * (5 + 4 + 1) * 4 = 160") in out and stateful.count_params() == 160


def test_explain_reads_h5(tmp_path, capsys):
    """A legacy .h5 file is explained too."""
    keras.Sequential([keras.Input((7, 5)), layers.LSTM(2, name="from_h5")]).save(tmp_path / "m.h5")
    assert formula("4 * (5 + 2 + 1) * 2 = 64") in explain_text(tmp_path / "m.h5", capsys)


def test_explain_refuses_python_code_and_never_runs_it(tmp_path, capsys):
    """A Lambda layer needs unsafe deserialisation: refused (exit code 2), and its code does not run."""
    marker = tmp_path / "the_lambda_ran"
    writes_marker = eval(f"lambda x: (open({str(marker)!r}, 'w').close(), x)[1]")
    model = keras.Sequential([keras.Input((7, 5)), layers.Lambda(writes_marker), layers.LSTM(3)])
    model.save(tmp_path / "lambda.keras")
    marker.unlink()  # building the model ran the lambda once, on a symbolic input
    assert cli.main(["explain", str(tmp_path / "lambda.keras")]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "safe_mode=True" in err and "unsafe deserialisation" in err
    assert "Lambda" in err and "Traceback" not in err
    assert not marker.exists(), "the Lambda layer's code ran while loading"


def test_explain_refuses_files_it_cannot_explain(tmp_path, capsys):
    """Missing file, a text file named .keras, a model with no recurrent layer: one line, exit code 2."""
    (tmp_path / "x.keras").write_text("not a model")
    keras.Sequential([keras.Input((3,)), layers.Dense(2)]).save(tmp_path / "dense.keras")
    expected = {
        "missing.keras": "no such file",
        "x.keras": "not a Keras model",
        "dense.keras": "has no recurrent layer (LSTM, GRU, SimpleRNN, an RNN around one of their cells, or a "
        "wrapper around one); its layer types: Dense",
    }
    for name, message in expected.items():
        assert cli.main(["explain", str(tmp_path / name)]) == 2
        out, err = capsys.readouterr()
        assert out == "" and err.count("\n") == 1, err
        assert err.startswith("glossary: error: ") and message in err


NOT_DESCRIBED = {
    "TimeDistributed around Bidirectional around LSTM": lambda inputs: layers.TimeDistributed(
        layers.Bidirectional(layers.LSTM(3))
    )(keras.layers.Reshape((1, 7, 3))(inputs)),
    "RNN around StackedRNNCells": lambda inputs: layers.RNN([layers.LSTMCell(3), layers.GRUCell(2)])(inputs),
    "ConvLSTM1D": lambda inputs: layers.ConvLSTM1D(2, 3)(layers.Reshape((7, 3, 1))(inputs)),
    "Bidirectional around LSTM forward and GRU backward": lambda inputs: layers.Bidirectional(
        layers.LSTM(3), backward_layer=layers.GRU(5, go_backwards=True)
    )(inputs),
}


@pytest.mark.parametrize("structure", NOT_DESCRIBED)
def test_forms_it_does_not_take_apart_are_named_not_hidden(structure, tmp_path, capsys):
    """A recurrent layer in another form is listed as not described, beside the layers that are."""
    inputs = keras.Input((7, 3))
    model = keras.Model(inputs, [layers.LSTM(2, name="plain")(inputs), NOT_DESCRIBED[structure](inputs)])
    path = tmp_path / "model.keras"
    model.save(path)
    text = explain_text(path, capsys)
    assert text.startswith(f"Model {model.name!r}: 1 recurrent layer,") and "; 1 more not described" in text
    assert "plain (LSTM)" in text
    assert f"({structure}): not described: explain describes LSTM, GRU and SimpleRNN layers" in text


def test_a_shared_layer_lists_each_call(tmp_path, capsys):
    """One LSTM called on 5 and on 9 timesteps: no single timestep count, and no single output."""
    short, long = keras.Input((5, 3)), keras.Input((9, 3))
    shared = layers.LSTM(4, return_sequences=True, name="shared")
    path = tmp_path / "shared.keras"
    keras.Model([short, long], [shared(short), shared(long)]).save(path)
    text = explain_text(path, capsys)
    assert "input: called on (None, 5, 3) and (None, 9, 3) in the model" in text
    assert "features: 3, timesteps: any (5 and 9 in this model)" in text
    assert "hidden state at every timestep  (None, None, 4) = (batch, timesteps, units)" in text


def test_a_time_distributed_gru_title_keeps_its_settings_together(tmp_path, capsys):
    inputs = keras.Input((5, 7, 3))
    path = tmp_path / "td_gru.keras"
    keras.Model(inputs, layers.TimeDistributed(layers.GRU(3), name="td")(inputs)).save(path)
    text = explain_text(path, capsys)
    assert "td (TimeDistributed around GRU, reset_after=True; run on each slice along axis 1)" in text


def test_every_report_survives_its_trip_as_json(saved):
    """`ModelReport.from_dict(report.to_dict())` is the report, for every model above."""
    from glossary import explainer

    for path in saved.values():
        report = explainer.describe(explainer.load(path))
        assert explainer.ModelReport.from_dict(json.loads(json.dumps(report.to_dict()))) == report


def test_the_command_prints_the_report(saved, capsys):
    """End to end, through the process that loads the model: the text this file's tests read."""
    assert cli.main(["explain", str(saved["bidirectional"])]) == 0
    out, err = capsys.readouterr()
    assert err == "" and out == explain_text(saved["bidirectional"], capsys)
