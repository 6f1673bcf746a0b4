"""Where each framework keeps the weights of an LSTM and a GRU, written down once as data.

Every converter in `glossary.port` reorders and moves Keras's arrays by reading these
records, so a table built from them describes exactly what the converters do. Gates are named
with Keras's names (`glossary.reference.LSTM_GATES`, `GRU_GATES`), listed in the order
of the framework's own blocks.
"""

from __future__ import annotations

from dataclasses import dataclass

from glossary.reference import GRU_GATES, LSTM_GATES

INPUT_GATE, FORGET_GATE, CANDIDATE, OUTPUT_GATE = LSTM_GATES
UPDATE_GATE, RESET_GATE, _ = GRU_GATES  # the GRU's candidate has the LSTM's name, CANDIDATE

HIDDEN_STATE, CELL_STATE = "hidden_state", "cell_state"


@dataclass(frozen=True)
class Layout:
    """How one framework's layer stores its weights and returns its results."""

    layer: str
    """The framework's class or operator."""
    gates: tuple[str, ...]
    """Keras's gate names, in the order of the framework's blocks of ``units``."""
    gate_letters: tuple[str, ...]
    """The framework's own names for those blocks, in the same order."""
    transposed: bool
    """True where a weight is stored (gates * units, features): the transpose of Keras's
    (features, gates * units)."""
    input_bias: tuple[str, ...]
    """The gates that have a bias added to the input's product."""
    recurrent_bias: tuple[str, ...]
    """The gates that have a bias added to the recurrent product; for a GRU that resets after
    the product, the candidate's sits inside the reset gate."""
    reset_after: bool | None
    """GRU only: True where the reset gate multiplies the recurrent product (Keras's
    ``reset_after=True``), False where it multiplies the previous state before the product."""
    states: tuple[str, ...]
    """The final states in the order the framework returns or carries them."""
    output: str
    """The shape of the sequence of outputs."""
    per_gate: bool = False
    """True where each gate keeps arrays of its own, one per side (Flax's per-gate Dense layers),
    instead of a block of one packed array per side."""


KERAS_LSTM = Layout(
    layer="keras.layers.LSTM",
    gates=LSTM_GATES,
    gate_letters=("i", "f", "c", "o"),
    transposed=False,
    input_bias=LSTM_GATES,
    recurrent_bias=(),
    reset_after=None,
    states=(HIDDEN_STATE, CELL_STATE),
    output="(batch, timesteps, units); Bidirectional concatenates to 2 * units",
)
KERAS_GRU = Layout(
    layer="keras.layers.GRU(reset_after=True)",
    gates=GRU_GATES,
    gate_letters=("z", "r", "h"),
    transposed=False,
    input_bias=GRU_GATES,  # bias[0]
    recurrent_bias=GRU_GATES,  # bias[1]
    reset_after=True,
    states=(HIDDEN_STATE,),
    output="(batch, timesteps, units); Bidirectional concatenates to 2 * units",
)
KERAS_GRU_RESET_BEFORE = Layout(
    layer="keras.layers.GRU(reset_after=False)",
    gates=GRU_GATES,
    gate_letters=("z", "r", "h"),
    transposed=False,
    input_bias=GRU_GATES,
    recurrent_bias=(),
    reset_after=False,
    states=(HIDDEN_STATE,),
    output="(batch, timesteps, units); Bidirectional concatenates to 2 * units",
)

_TORCH_OUTPUT = "(batch, timesteps, directions * units) with batch_first=True, else timesteps first"
TORCH_LSTM = Layout(
    layer="torch.nn.LSTM",
    gates=(INPUT_GATE, FORGET_GATE, CANDIDATE, OUTPUT_GATE),
    gate_letters=("i", "f", "g", "o"),
    transposed=True,
    input_bias=LSTM_GATES,  # bias_ih_l{k}
    recurrent_bias=LSTM_GATES,  # bias_hh_l{k}
    reset_after=None,
    states=(HIDDEN_STATE, CELL_STATE),  # output, (h_n, c_n)
    output=_TORCH_OUTPUT,
)
TORCH_GRU = Layout(
    layer="torch.nn.GRU",
    gates=(RESET_GATE, UPDATE_GATE, CANDIDATE),
    gate_letters=("r", "z", "n"),
    transposed=True,
    input_bias=GRU_GATES,
    recurrent_bias=GRU_GATES,
    reset_after=True,
    states=(HIDDEN_STATE,),
    output=_TORCH_OUTPUT,
)

_ONNX_OUTPUT = "Y: (timesteps, directions, batch, units); the backward direction in the input's time order"
ONNX_LSTM = Layout(
    layer="ONNX LSTM",
    gates=(INPUT_GATE, OUTPUT_GATE, FORGET_GATE, CANDIDATE),
    gate_letters=("i", "o", "f", "c"),
    transposed=True,  # W: (directions, 4 * units, features)
    input_bias=LSTM_GATES,  # Wb, the first half of B
    recurrent_bias=LSTM_GATES,  # Rb, the second half
    reset_after=None,
    states=(HIDDEN_STATE, CELL_STATE),  # Y_h, Y_c
    output=_ONNX_OUTPUT,
)
ONNX_GRU = Layout(
    layer="ONNX GRU(linear_before_reset=1)",
    gates=GRU_GATES,
    gate_letters=("z", "r", "h"),
    transposed=True,
    input_bias=GRU_GATES,
    recurrent_bias=GRU_GATES,
    reset_after=True,
    states=(HIDDEN_STATE,),
    output=_ONNX_OUTPUT,
)
ONNX_GRU_RESET_BEFORE = Layout(
    layer="ONNX GRU(linear_before_reset=0)",
    gates=GRU_GATES,
    gate_letters=("z", "r", "h"),
    transposed=True,
    input_bias=GRU_GATES,
    recurrent_bias=GRU_GATES,  # Rbh is added outside the reset gate here, so it sums with Wbh
    reset_after=False,
    states=(HIDDEN_STATE,),
    output=_ONNX_OUTPUT,
)

_FLAX_OUTPUT = "(batch, timesteps, units) from nn.RNN; nn.Bidirectional concatenates to 2 * units"
_FLAX_LSTM = {
    "gates": LSTM_GATES,
    "gate_letters": ("i", "f", "g", "o"),
    "transposed": False,
    "input_bias": (),  # the input's Dense layers have use_bias=False
    "recurrent_bias": LSTM_GATES,
    "reset_after": None,
    "states": (CELL_STATE, HIDDEN_STATE),  # the carry is (c, h)
    "output": _FLAX_OUTPUT,
}
FLAX_LINEN_LSTM = Layout(layer="flax.linen.LSTMCell", per_gate=True, **_FLAX_LSTM)
# linen's optimised cell keeps the parameters of linen's LSTMCell, "for compatibility"
FLAX_LINEN_OPTIMIZED_LSTM = Layout(layer="flax.linen.OptimizedLSTMCell", per_gate=True, **_FLAX_LSTM)
FLAX_NNX_LSTM = Layout(layer="flax.nnx.LSTMCell", per_gate=True, **_FLAX_LSTM)
FLAX_NNX_OPTIMIZED_LSTM = Layout(layer="flax.nnx.OptimizedLSTMCell", **_FLAX_LSTM)
FLAX_LINEN_GRU = Layout(
    layer="flax.linen.GRUCell",
    gates=(RESET_GATE, UPDATE_GATE, CANDIDATE),
    gate_letters=("r", "z", "n"),
    transposed=False,
    per_gate=True,
    input_bias=GRU_GATES,
    recurrent_bias=(CANDIDATE,),  # only the Dense named "hn" has a bias
    reset_after=True,
    states=(HIDDEN_STATE,),
    output=_FLAX_OUTPUT,
)
FLAX_NNX_GRU = Layout(
    layer="flax.nnx.GRUCell",
    gates=(RESET_GATE, UPDATE_GATE, CANDIDATE),
    gate_letters=("r", "z", "n"),
    transposed=False,
    input_bias=GRU_GATES,
    recurrent_bias=(),  # dense_h has use_bias=False: unlike linen's GRUCell, no bias inside the reset
    reset_after=True,
    states=(HIDDEN_STATE,),
    output=_FLAX_OUTPUT,
)

MLX_LSTM = Layout(
    layer="mlx.nn.LSTM",
    gates=LSTM_GATES,
    gate_letters=("i", "f", "g", "o"),
    transposed=True,  # Wx: (4 * units, features)
    input_bias=LSTM_GATES,  # bias, added to the input's product
    recurrent_bias=(),
    reset_after=None,
    states=(HIDDEN_STATE, CELL_STATE),
    output="(batch, timesteps, units) for the hidden states, and the cell states likewise; one direction",
)
MLX_GRU = Layout(
    layer="mlx.nn.GRU",
    gates=(RESET_GATE, UPDATE_GATE, CANDIDATE),
    gate_letters=("r", "z", "n"),
    transposed=True,
    input_bias=GRU_GATES,  # b
    recurrent_bias=(CANDIDATE,),  # bhn
    reset_after=True,
    states=(HIDDEN_STATE,),
    output="(batch, timesteps, units); one direction",
)

LAYOUTS = (
    KERAS_LSTM,
    KERAS_GRU,
    KERAS_GRU_RESET_BEFORE,
    TORCH_LSTM,
    TORCH_GRU,
    ONNX_LSTM,
    ONNX_GRU,
    ONNX_GRU_RESET_BEFORE,
    FLAX_LINEN_LSTM,
    FLAX_LINEN_OPTIMIZED_LSTM,
    FLAX_NNX_LSTM,
    FLAX_NNX_OPTIMIZED_LSTM,
    FLAX_LINEN_GRU,
    FLAX_NNX_GRU,
    MLX_LSTM,
    MLX_GRU,
)
"""Every layout, Keras's first: the rows of a comparison table."""


def keras_layout(target: Layout) -> Layout:
    """The Keras layer that computes what ``target`` computes: the LSTM, or the GRU with its reset."""
    if target.reset_after is None:
        return KERAS_LSTM
    return KERAS_GRU if target.reset_after else KERAS_GRU_RESET_BEFORE
