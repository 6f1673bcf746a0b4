"""Claims of the page "Variants and neighbours" (``docs/variants.md``)."""

from __future__ import annotations

import numpy as np

from glossary.claims.keras_backend import host_array, keras
from glossary.claims.registry import Evidence, NotApplicable, claim, require_torch
from glossary.claims.samples import built, error_of, sample


@claim(
    "CONVLSTM-PARAMS",
    "`ConvLSTM2D(filters, kernel_size)` on images of `channels` channels has "
    "`4 * filters * (kernel_rows * kernel_columns * (channels + filters) + 1)` parameters, and its "
    "states are images: with `padding='same'`, `(batch, rows, columns, filters)` at each timestep; with "
    "the default `padding='valid'`, each spatial size shrinks by the kernel's size along it minus 1.",
    page="variants.md#convlstm",
)
def convlstm_params():
    found = {}
    for filters, kernel, channels in ((4, (3, 3), 3), (2, (5, 1), 6)):
        layer = keras().layers.ConvLSTM2D(
            filters, kernel, padding="same", return_sequences=True, return_state=True
        )
        sequence, *states = layer(np.zeros((2, 5, 8, 8, channels), "float32"))
        shapes = [tuple(host_array(t).shape) for t in (sequence, *states)]
        formula = 4 * filters * (kernel[0] * kernel[1] * (channels + filters) + 1)
        found[(filters, kernel, channels)] = (layer.count_params(), formula, shapes)
    holds = all(
        counted == formula and shapes == [(2, 5, 8, 8, filters), *[(2, 8, 8, filters)] * 2]
        for (filters, _, _), (counted, formula, shapes) in found.items()
    )
    valid = keras().layers.ConvLSTM2D(2, (5, 1), return_sequences=True, return_state=True)  # 'valid'
    shrunk = [tuple(host_array(t).shape) for t in valid(np.zeros((2, 5, 8, 8, 6), "float32"))]
    holds = holds and shrunk == [(2, 5, 4, 8, 2), *[(2, 4, 8, 2)] * 2]
    shown = "; ".join(
        f"{filters} filters, {kernel} kernel, {channels} channels: {counted} = {formula}, "
        f"output {shapes[0]}, hidden and cell states {shapes[1]} {shapes[2]}"
        for (filters, kernel, channels), (counted, formula, shapes) in found.items()
    )
    return Evidence(holds, f"{shown}; (5, 1) kernel, padding='valid' on 8 x 8 images: {shrunk}")


@claim(
    "CONVLSTM-1D-3D-PARAMS",
    "`ConvLSTM1D` and `ConvLSTM3D` have the parameters of the same formula, with the kernel's length "
    "or volume in place of its area: `4 * filters * (kernel_size * (channels + filters) + 1)`.",
    page="variants.md#convlstm",
)
def convlstm_1d_3d_params():
    found = {}
    for name, kernel, shape in (
        ("ConvLSTM1D", (3,), (None, 5, 8, 4)),
        ("ConvLSTM3D", (3, 3, 2), (None, 5, 6, 6, 6, 4)),
    ):
        zeros = {"kernel_initializer": "zeros", "recurrent_initializer": "zeros"}  # only counted: quicker
        layer = getattr(keras().layers, name)(2, kernel, **zeros)
        layer.build(shape)
        formula = 4 * 2 * (int(np.prod(kernel)) * (4 + 2) + 1)
        found[name] = (layer.count_params(), formula)
    return Evidence(
        all(counted == formula for counted, formula in found.values()),
        "; ".join(
            f"{name}, 2 filters, 4 channels: {counted} = {formula}"
            for name, (counted, formula) in found.items()
        ),
    )


@claim(
    "NO-PEEPHOLES",
    "Keras's LSTM has no peephole connections and no argument that adds them: it holds three weight "
    "arrays, none from the cell state to the gates, and refuses a `use_peepholes` argument as it "
    "refuses any keyword it does not know.",
    page="variants.md#peephole-connections",
)
def no_peepholes():
    said = error_of(lambda: keras().layers.LSTM(4, use_peepholes=True))
    unknown = error_of(lambda: keras().layers.LSTM(4, use_peephole_weights=True))  # a made-up keyword
    layer = keras().layers.LSTM(4)
    layer.build((None, None, 5))
    names = [weight.name.split("/")[-1].split(":")[0] for weight in layer.weights]
    refused = "use_peepholes" in said and said.partition(":")[0] == unknown.partition(":")[0] != ""
    holds = refused and len(names) == 3 and not any("peephole" in name for name in names)
    return Evidence(
        holds, f"use_peepholes: {said.partition(':')[0] or 'accepted'}, as a made-up keyword; weights {names}"
    )


@claim(
    "TORCH-NO-PEEPHOLES",
    "PyTorch's `nn.LSTM` has no peephole connections either: its four arrays are the input and "
    "recurrent weights and their biases.",
    page="variants.md#peephole-connections",
    depends_on="PyTorch installed",
)
def torch_no_peepholes():
    torch_names = [name for name, _ in require_torch().nn.LSTM(5, 4).named_parameters()]
    holds = torch_names == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]
    return Evidence(holds, f"nn.LSTM(5, 4): {torch_names}")


@claim(
    "ONNX-LSTM-PEEPHOLES",
    "ONNX's `LSTM` operator takes an optional eighth input, `P`, of peephole weights. This site's "
    "converter (`glossary.port.onnx`) writes a Keras LSTM without it, and refuses to read a model "
    "whose LSTM has one.",
    page="variants.md#peephole-connections",
    depends_on="onnx installed",
)
def onnx_lstm_peepholes():
    try:
        import onnx
        from onnx import helper
    except ImportError:
        raise NotApplicable("onnx is not installed") from None
    from glossary.port import onnx as port

    inputs = onnx.defs.get_schema("LSTM").inputs
    eighth = (inputs[7].name, inputs[7].option == onnx.defs.OpSchema.FormalParameterOption.Optional)
    rng = np.random.default_rng(0)
    weights = [rng.normal(size=shape).astype("float32") for shape in ((5, 16), (4, 16), (16,))]
    model = port.lstm_to_onnx(weights)
    written = list(model.graph.node[0].input)
    node = model.graph.node[0]
    with_p = helper.make_node("LSTM", [*node.input, "", "", "", "P"], list(node.output), hidden_size=4)
    model.graph.node[0].CopyFrom(with_p)
    said = error_of(lambda: port.lstm_from_onnx(model))
    holds = eighth == ("P", True) and "P" not in written and said.startswith("ValueError") and "P" in said
    return Evidence(holds, f"eighth input, optional: {eighth}; written: {written}; with P: {said}")


@claim(
    "TF1-PEEPHOLE-CELL-NEEDS-LEGACY-KERAS",
    "TensorFlow 2.21 still names TensorFlow 1's LSTM cell `tf.compat.v1.nn.rnn_cell.LSTMCell`, but "
    "without `TF_USE_LEGACY_KERAS=1` set before TensorFlow is imported, reading that name raises an "
    "`AttributeError`: '`LSTMCell` is not available with Keras 3', whether or not tf-keras is installed.",
    page="variants.md#peephole-connections",
    depends_on="TensorFlow installed, without TF_USE_LEGACY_KERAS set",
)
def tf1_peephole_cell_needs_legacy_keras():
    import os

    if os.environ.get("TF_USE_LEGACY_KERAS", "").lower() in ("1", "true"):
        raise NotApplicable("TF_USE_LEGACY_KERAS is set here, which the statement is about the lack of")
    try:
        import tensorflow as tf
    except ImportError:
        raise NotApplicable("TensorFlow is not installed") from None
    said = error_of(lambda: tf.compat.v1.nn.rnn_cell.LSTMCell)
    try:
        import tf_keras  # noqa: F401
    except ImportError:
        with_tf_keras = "tf-keras not installed"
    else:
        with_tf_keras = "tf-keras installed"
    holds = said.startswith("AttributeError") and "is not available with Keras 3" in said
    return Evidence(holds, f"TensorFlow {tf.__version__}, {with_tf_keras}: {said}")


@claim(
    "TORCH-LAYER-NAMES",
    "PyTorch names the weights of layer `k` of a stacked `nn.LSTM` with the suffix `_lk`, the "
    "backward half of a bidirectional one with `_reverse`, and adds `weight_hr_lk`, "
    "`(proj_size, hidden_size)`, with `proj_size`; a layer above the first reads "
    "`2 * proj_size` features from a bidirectional one below.",
    page="variants.md#pytorchs-names-for-stacked-and-bidirectional-layers",
    depends_on="PyTorch installed",
)
def torch_layer_names():
    stacked = require_torch().nn.LSTM(
        input_size=5, hidden_size=8, num_layers=2, bidirectional=True, proj_size=3
    )
    shapes = {name: tuple(weights.shape) for name, weights in stacked.named_parameters()}
    expected = {
        "weight_ih_l0": (32, 5), "weight_hh_l0": (32, 3), "weight_hr_l0": (3, 8),
        "weight_ih_l1_reverse": (32, 6), "weight_hr_l1_reverse": (3, 8),
    }  # fmt: skip
    holds = all(shapes.get(name) == shape for name, shape in expected.items()) and len(shapes) == 20
    return Evidence(holds, f"{len(shapes)} arrays; " + ", ".join(f"{n} {shapes.get(n)}" for n in expected))


@claim(
    "KERAS-NO-PROJECTION",
    "Keras's LSTM has no projection: it refuses a `proj_size` argument as it refuses any keyword it "
    "does not know, and its recurrent kernel, `(units, 4 * units)`, reads the whole hidden state.",
    page="variants.md#pytorchs-names-for-stacked-and-bidirectional-layers",
)
def keras_no_projection():
    said = error_of(lambda: keras().layers.LSTM(4, proj_size=2))
    unknown = error_of(lambda: keras().layers.LSTM(4, projection_width=2))  # a made-up keyword
    layer = keras().layers.LSTM(4)
    layer.build((None, None, 5))
    shape = tuple(layer.cell.recurrent_kernel.shape)
    refused = "proj_size" in said and said.partition(":")[0] == unknown.partition(":")[0] != ""
    return Evidence(
        refused and shape == (4, 16),
        f"proj_size: {said.partition(':')[0] or 'accepted'}, as a made-up keyword; LSTM(4)'s recurrent "
        f"kernel {shape}",
    )


@claim(
    "DEFAULT-INITIALIZERS",
    "A new Keras LSTM draws its `kernel` from `glorot_uniform` and its `recurrent_kernel` from "
    "`orthogonal` (its rows are orthonormal); its biases start at zero, the forget gate's at one. The "
    "whole recurrent product keeps the length of the hidden state, but each gate's square block alone "
    "shrinks it; a SimpleRNN's recurrent kernel, square and orthogonal, keeps it.",
    page="variants.md#how-the-weights-start",
)
def default_initializers():
    layer = keras().layers.LSTM(4)
    layer.build((None, None, 5))
    cell = layer.cell
    names = [
        type(i).__name__ for i in (cell.kernel_initializer, cell.recurrent_initializer, cell.bias_initializer)
    ]
    recurrent = host_array(cell.recurrent_kernel)
    orthonormal = float(np.max(np.abs(recurrent @ recurrent.T - np.eye(4))))  # float32 rounding: ~1e-7
    blocks_of_bias = host_array(cell.bias).reshape(4, 4)  # one row per gate, in Keras's order
    bias = [float(row[0]) if np.all(row == row[0]) else "mixed" for row in blocks_of_bias]
    h = sample(batch=1, timesteps=1, features=4)[0, 0]
    length = float(np.linalg.norm(h))
    whole = float(np.linalg.norm(h @ recurrent)) / length
    blocks = [float(np.linalg.norm(h @ recurrent[:, 4 * k : 4 * k + 4])) / length for k in range(4)]
    simple = built(keras().layers.SimpleRNN(4), 5).cell.recurrent_kernel
    square = float(np.linalg.norm(h @ host_array(simple))) / length
    holds = (
        names == ["GlorotUniform", "Orthogonal", "Zeros"]
        and orthonormal < 1e-5
        and bias == [0.0, 1.0, 0.0, 0.0]
        and abs(whole - 1) < 1e-5  # float32 rounding of a length
        and max(blocks) < 0.99  # the four squared ratios add up to 1: each block shrinks
        and abs(square - 1) < 1e-5
    )
    shown = ", ".join(f"{ratio:.2f}" for ratio in blocks)
    return Evidence(
        holds,
        f"{names}; rows of the recurrent kernel orthonormal to {orthonormal:.0e}; "
        f"each gate's bias, all entries {bias}; a state's length times {whole:.6f} through the kernel, "
        f"{shown} through each gate's block, {square:.6f} through a SimpleRNN's",
    )


@claim(
    "TORCH-DEFAULT-INIT",
    "PyTorch's `nn.LSTM` starts every weight and bias uniform in `(-1/sqrt(hidden_size), "
    "1/sqrt(hidden_size))`, its forget-gate biases included.",
    page="variants.md#how-the-weights-start",
    depends_on="PyTorch installed",
)
def torch_default_init():
    library = require_torch()
    library.manual_seed(0)
    largest = max(float(weights.detach().abs().max()) for weights in library.nn.LSTM(5, 64).parameters())
    limit = 1 / np.sqrt(64)
    return Evidence(
        largest <= limit and largest > 0.9 * limit,
        f"hidden_size 64: largest |weight| {largest:.4f}, bound {limit:.4f}",
    )
