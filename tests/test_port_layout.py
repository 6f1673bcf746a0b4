"""glossary.port.layout: the layouts are consistent data, and the converters import no framework."""

import subprocess
import sys

import pytest

from glossary.port.layout import LAYOUTS, keras_layout
from glossary.reference import GRU_GATES, LSTM_GATES


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.layer)
def test_every_layout_names_each_gate_once_and_gives_it_a_bias(layout):
    """A layout lists Keras's gates of its layer once each, with a letter and a bias place for each."""
    keras_gates = LSTM_GATES if layout.reset_after is None else GRU_GATES
    assert sorted(layout.gates) == sorted(keras_gates)
    assert len(layout.gate_letters) == len(set(layout.gate_letters)) == len(layout.gates)
    assert set(layout.input_bias) | set(layout.recurrent_bias) == set(keras_gates)
    assert keras_layout(layout).reset_after == layout.reset_after
    assert len(layout.states) == (2 if layout.reset_after is None else 1)


def test_the_converters_import_no_framework_and_no_keras():
    """Importing every converter leaves PyTorch, ONNX, JAX, Flax, MLX, Keras and TensorFlow unloaded."""
    frameworks = ["torch", "onnx", "onnxruntime", "jax", "flax", "mlx", "keras", "tensorflow"]
    script = (
        "import sys\n"
        "import glossary.port.torch, glossary.port.onnx, glossary.port.flax, glossary.port.mlx\n"
        f"print(sorted(name for name in {frameworks!r} if name in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
