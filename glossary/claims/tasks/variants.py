"""Claims of the page "Variants and neighbours" (``docs/variants.md``)."""

from __future__ import annotations

import numpy as np

from glossary.claims.keras_backend import host_array, keras
from glossary.claims.registry import Evidence, NotApplicable, claim, require_torch
from glossary.claims.samples import error_of


@claim(
    "CONVLSTM-PARAMS",
    "`ConvLSTM2D(filters, kernel_size)` on images of `channels` channels has "
    "`4 * filters * (kernel_rows * kernel_columns * (channels + filters) + 1)` parameters, and its "
    "states are images: `(batch, rows, columns, filters)` at each timestep.",
    page="variants.md#convlstm",
)
def convlstm_params():
    found = {}
    for filters, kernel, channels in ((4, (3, 3), 3), (2, (5, 1), 6)):
        layer = keras().layers.ConvLSTM2D(filters, kernel, padding="same", return_sequences=True)
        shape = tuple(host_array(layer(np.zeros((2, 5, 8, 8, channels), "float32"))).shape)
        formula = 4 * filters * (kernel[0] * kernel[1] * (channels + filters) + 1)
        found[(filters, kernel, channels)] = (layer.count_params(), formula, shape)
    holds = all(
        counted == formula and shape == (2, 5, 8, 8, filters)
        for (filters, _, _), (counted, formula, shape) in found.items()
    )
    shown = "; ".join(
        f"{filters} filters, {kernel} kernel, {channels} channels: {counted} = {formula}, output {shape}"
        for (filters, kernel, channels), (counted, formula, shape) in found.items()
    )
    return Evidence(holds, shown)


@claim(
    "NO-PEEPHOLES",
    "Keras's LSTM has no peephole connections: it refuses a `use_peepholes` argument and holds three "
    "weight arrays, none from the cell state to the gates. PyTorch's `nn.LSTM` has none either.",
    page="variants.md#peephole-connections",
)
def no_peepholes():
    said = error_of(lambda: keras().layers.LSTM(4, use_peepholes=True))
    layer = keras().layers.LSTM(4)
    layer.build((None, None, 5))
    names = [weight.name.split("/")[-1].split(":")[0] for weight in layer.weights]
    refused = "use_peepholes" in said
    try:
        torch_names = [name for name, _ in require_torch().nn.LSTM(5, 4).named_parameters()]
        torch_ok = torch_names == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]
    except NotApplicable:  # the Keras half of the statement still stands
        torch_names, torch_ok = "PyTorch is not installed", True
    holds = refused and len(names) == 3 and torch_ok
    return Evidence(
        holds, f"Keras: {said.split(':')[0] or 'accepted'}, weights {names}; PyTorch: {torch_names}"
    )


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
    "DEFAULT-INITIALIZERS",
    "A new Keras LSTM draws its `kernel` from `glorot_uniform` and its `recurrent_kernel` from "
    "`orthogonal` (its rows are orthonormal); its biases start at zero, the forget gate's at one.",
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
    bias = host_array(cell.bias).reshape(4, 4)[:, 0].tolist()
    holds = (
        names == ["GlorotUniform", "Orthogonal", "Zeros"]
        and orthonormal < 1e-5
        and bias == [0.0, 1.0, 0.0, 0.0]
    )
    return Evidence(
        holds,
        f"{names}; rows of the recurrent kernel orthonormal to {orthonormal:.0e}; "
        f"first bias of each gate {bias}",
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
