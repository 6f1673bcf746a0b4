"""glossary.port.onnx: Keras weights as an ONNX LSTM or GRU operator, and back, run by ONNX Runtime."""

import numpy as np
import pytest
from port_reference import (
    FEATURES,
    UNITS,
    assert_close,
    assert_identical,
    inputs,
    keras_layer,
    keras_weights,
    one_line,
)

from glossary.port import onnx as port

onnx = pytest.importorskip("onnx")
onnxruntime = pytest.importorskip("onnxruntime")
helper, numpy_helper = onnx.helper, onnx.numpy_helper

# (kind, reset_after): ONNX's GRU has both resets, linear_before_reset=1 and 0.
LAYERS = [("lstm", True), ("gru", True), ("gru", False)]
CASES = pytest.mark.parametrize(
    ("kind", "reset_after", "directions"), [(*layer, directions) for layer in LAYERS for directions in (1, 2)]
)
TO_ONNX = {"lstm": port.lstm_to_onnx, "gru": port.gru_to_onnx}
FROM_ONNX = {"lstm": port.lstm_from_onnx, "gru": port.gru_from_onnx}


def run_onnx(model, x: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """The model's Y made batch-first, (batch, timesteps, directions * units) as Keras concatenates
    a Bidirectional's, and its final states (directions, batch, units): Y_h, and Y_c for an LSTM."""
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1  # a small model; one thread leaves the machine's other core free
    session = onnxruntime.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )
    sequence, *states = session.run(None, {"X": x.transpose(1, 0, 2)})
    timesteps, directions, batch, units = sequence.shape
    return sequence.transpose(2, 0, 1, 3).reshape(batch, timesteps, directions * units), states


def keras_states(states: list[list[np.ndarray]]) -> list[np.ndarray]:
    """Keras's final states per direction stacked as ONNX returns them: (directions, batch, units) each."""
    return [np.stack([direction[index] for direction in states]) for index in range(len(states[0]))]


def onnx_model(kind: str, rng, *, directions: int, reset_after: bool = True, **node_options):
    """An ONNX model built here from random W, R and B, without the converter."""
    operator, gates = ("LSTM", 4) if kind == "lstm" else ("GRU", 3)
    arrays = {
        "W": rng.normal(scale=0.5, size=(directions, gates * UNITS, FEATURES)),
        "R": rng.normal(scale=0.5, size=(directions, gates * UNITS, UNITS)),
        "B": rng.normal(scale=0.5, size=(directions, 2 * gates * UNITS)),
    }
    attributes = {"hidden_size": UNITS, "direction": "bidirectional" if directions == 2 else "forward"}
    if kind == "gru":
        attributes["linear_before_reset"] = int(reset_after)
    outputs = ["Y", "Y_h", "Y_c"] if kind == "lstm" else ["Y", "Y_h"]
    graph = helper.make_graph(
        [helper.make_node(operator, ["X", "W", "R", "B"], outputs, **attributes, **node_options)],
        "handmade",
        [helper.make_tensor_value_info("X", onnx.TensorProto.FLOAT, ["timesteps", "batch", FEATURES])],
        [helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None) for name in outputs],
        [numpy_helper.from_array(array.astype(np.float32), name) for name, array in arrays.items()],
    )
    return helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", port.OPSET)], ir_version=port.IR_VERSION
    )


@CASES
def test_keras_weights_run_in_onnx_runtime(kind, reset_after, directions):
    """A Keras layer's weights as an ONNX operator give Keras's outputs and final states in ONNX Runtime."""
    rng = np.random.default_rng(1)
    weights, x = keras_weights(rng, kind, directions=directions, reset_after=reset_after), inputs(rng)
    output, states = run_onnx(TO_ONNX[kind](weights), x)
    expected, expected_states = keras_layer(kind, weights, x)
    label = f"onnx {kind}{'' if reset_after else ' reset_after=False'} Keras->ONNX"
    assert_close(output, expected, label)
    for got, want in zip(states, keras_states(expected_states), strict=True):
        assert_close(got, want, label)


@CASES
def test_onnx_weights_run_in_keras(kind, reset_after, directions):
    """An ONNX operator's W, R and B, read as Keras weights, give what ONNX Runtime computes with them."""
    rng = np.random.default_rng(2)
    model, x = onnx_model(kind, rng, directions=directions, reset_after=reset_after), inputs(rng)
    output, states = run_onnx(model, x)
    weights = FROM_ONNX[kind](model)
    expected, expected_states = keras_layer(kind, weights, x)
    label = f"onnx {kind}{'' if reset_after else ' reset_after=False'} ONNX->Keras"
    assert_close(expected, output, label)
    for got, want in zip(states, keras_states(expected_states), strict=True):
        assert_close(got, want, label)


@CASES
def test_keras_to_onnx_and_back_is_identical(kind, reset_after, directions):
    """Keras weights taken into an ONNX model and read back come back as the same arrays."""
    weights = keras_weights(np.random.default_rng(3), kind, directions=directions, reset_after=reset_after)
    assert_identical(FROM_ONNX[kind](TO_ONNX[kind](weights)), weights)


def test_a_missing_bias_reads_as_zeros():
    """ONNX's B is optional and means zeros; Keras gets a zero bias."""
    model = onnx_model("lstm", np.random.default_rng(4), directions=1)
    model.graph.node[0].input[3] = ""
    model.graph.initializer.pop()
    bias = port.lstm_from_onnx(model)[2]
    assert bias.shape == (4 * UNITS,) and not bias.any()


@pytest.mark.parametrize(
    ("node_options", "message"),
    [
        ({"clip": 3.0}, "clip=3.0 has no Keras equivalent"),
        ({"input_forget": 1}, "input_forget=1 has no Keras equivalent"),
        ({"activations": ["Sigmoid", "Relu", "Tanh"]}, r"activations=\['Sigmoid', 'Relu', 'Tanh'\]"),
    ],
)
def test_settings_keras_lacks_are_refused(node_options, message):
    """An LSTM node with clipping, coupled gates or other activations is refused, naming the setting."""
    model = onnx_model("lstm", np.random.default_rng(5), directions=1, **node_options)
    with pytest.raises(ValueError, match=message) as error:
        port.lstm_from_onnx(model)
    one_line(error.value)


def test_peepholes_and_reverse_are_refused():
    """Peephole weights (input P) and a lone reverse direction have no single Keras layer: refused."""
    rng = np.random.default_rng(6)
    model = onnx_model("lstm", rng, directions=1)
    model.graph.node[0].input.extend(["", "", "", "P"])
    model.graph.initializer.append(numpy_helper.from_array(np.zeros((1, 3 * UNITS), np.float32), "P"))
    with pytest.raises(ValueError, match="peephole") as error:
        port.lstm_from_onnx(model)
    one_line(error.value)
    model = onnx_model("gru", rng, directions=1, reset_after=True)
    (direction,) = [attribute for attribute in model.graph.node[0].attribute if attribute.name == "direction"]
    direction.s = b"reverse"
    with pytest.raises(ValueError, match="direction='reverse'") as error:
        port.gru_from_onnx(model)
    one_line(error.value)


def test_models_without_one_stored_operator_are_refused():
    """A model needs exactly one node of the operator, with W and R stored in it."""
    rng = np.random.default_rng(7)
    with pytest.raises(ValueError, match="expected one LSTM node, found 0") as error:
        port.lstm_from_onnx(onnx_model("gru", rng, directions=1))
    one_line(error.value)
    model = onnx_model("lstm", rng, directions=1)
    model.graph.initializer.pop(0)  # W becomes something the graph would have to compute
    with pytest.raises(ValueError, match="input W \\('W'\\) is not an initializer") as error:
        port.lstm_from_onnx(model)
    one_line(error.value)
    with pytest.raises(ValueError, match=r"expected an onnx\.ModelProto, got dict"):
        port.lstm_from_onnx({"W": 0})


def test_wrong_shapes_are_refused():
    """Arrays of the wrong shape fail with their name and the shape they should have."""
    rng = np.random.default_rng(8)
    model = onnx_model("gru", rng, directions=2)
    del model.graph.initializer[2]
    model.graph.initializer.append(numpy_helper.from_array(np.zeros((2, 5), np.float32), "B"))
    with pytest.raises(
        ValueError, match=r"B expected \(2, 6 \* hidden_size\) = \(2, 24\), got \(2, 5\)"
    ) as error:
        port.gru_from_onnx(model)
    one_line(error.value)
    with pytest.raises(ValueError, match=r"W expected \(1, 4 \* hidden_size, ...\) for 'forward'") as error:
        port.lstm_from_onnx(
            _with_initializer(onnx_model("lstm", rng, directions=1), "W", np.zeros((4, 16, 5)))
        )
    one_line(error.value)
    forward = keras_weights(rng, "lstm")
    backward = keras_weights(rng, "lstm", units=UNITS + 1)
    with pytest.raises(ValueError, match="forward and backward layers differ") as error:
        port.lstm_to_onnx(forward + backward)
    one_line(error.value)
    gru = keras_weights(rng, "gru")
    with pytest.raises(
        ValueError, match=r"bias: expected \(2, 3 \* units\) = \(2, 12\), got shape \(2, 7\)"
    ) as error:
        port.gru_to_onnx([*gru[:2], np.zeros((2, 7), np.float32)])
    one_line(error.value)


def _with_initializer(model, name: str, array: np.ndarray):
    """The model with its initializer ``name`` replaced by ``array``."""
    index = [tensor.name for tensor in model.graph.initializer].index(name)
    model.graph.initializer[index].CopyFrom(numpy_helper.from_array(array.astype(np.float32), name))
    return model
