"""The generated diagrams: committed as generated, and labelled with the shapes Keras gives."""

import re
import xml.etree.ElementTree as ET

import diagrams
import keras
import numpy as np
import pytest
from paths import DOCS

from glossary.keras_weights import lstm_gate_weights
from glossary.terms import TERMS

SVG = "{http://www.w3.org/2000/svg}"
FIGURES = diagrams.render_all()
COMMITTED = DOCS / "assets" / "diagrams"


def parsed(name: str) -> ET.Element:
    return ET.fromstring(FIGURES[name])


def labels(svg: ET.Element, attribute: str) -> dict[str, str]:
    """The text of every ``<text>`` carrying ``attribute``, keyed by the attribute's value."""
    return {
        text.get(attribute): "".join(text.itertext())
        for text in svg.iter(f"{SVG}text")
        if text.get(attribute)
    }


def count(svg: ET.Element, role: str) -> int:
    return sum(1 for element in svg.iter() if element.get("data-role") == role)


@pytest.fixture(scope="module")
def forget_gate():
    layer = keras.layers.LSTM(diagrams.UNITS)
    layer.build((None, None, diagrams.FEATURES))
    return lstm_gate_weights(layer)["forget_gate"]


def keras_shape(shape) -> str:
    return str(tuple(shape)).replace("None", "batch")


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_committed_figure_is_what_the_code_draws(name):
    """Each committed SVG equals, byte for byte, the figure drawn from the arrays now."""
    path = COMMITTED / name
    assert path.is_file(), f"{name} is missing: run `python docs/plugins/diagrams.py`"
    assert path.read_text(encoding="utf-8") == FIGURES[name], (
        f"{name} is stale: run `python docs/plugins/diagrams.py`"
    )


def test_no_stray_committed_figures():
    """Every SVG in the diagrams folder is one the code draws."""
    assert sorted(path.name for path in COMMITTED.glob("*.svg")) == sorted(FIGURES)


def test_drawing_twice_gives_the_same_bytes():
    """Drawing is deterministic: a second run gives identical text."""
    assert diagrams.render_all() == FIGURES


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figure_is_a_self_contained_titled_image(name):
    """Each figure parses as SVG with a title, a size and a viewBox, and links to nothing outside."""
    svg = parsed(name)
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text.strip()
    width, height = int(svg.get("width")), int(svg.get("height"))
    assert svg.get("viewBox") == f"0 0 {width} {height}"
    assert not re.search(r"href|url\((?!#)|@import|<image", FIGURES[name])


def test_forget_gate_matrices_have_keras_shapes(forget_gate):
    """Each grid is drawn with as many cells as its array has, and labelled with Keras's shape."""
    svg = parsed("forget-gate-matrices.svg")
    batch = diagrams.BATCH
    x_t = np.ones((batch, diagrams.FEATURES), "float32")
    h_prev = np.ones((batch, diagrams.UNITS), "float32")
    f_t = x_t @ forget_gate.kernel + h_prev @ forget_gate.recurrent_kernel + forget_gate.bias
    expected = {
        "x_t": x_t.shape,
        "W_f": forget_gate.kernel.shape,
        "h_{t-1}": h_prev.shape,
        "U_f": forget_gate.recurrent_kernel.shape,
        "b_f": forget_gate.bias.shape,
        "f_t": f_t.shape,
    }
    assert expected["W_f"] == (5, 4)
    shown = labels(svg, "data-shape")
    grids = {group.get("data-array"): group for group in svg.iter(f"{SVG}g") if group.get("data-array")}
    assert set(shown) == set(grids) == set(expected)
    for name, shape in expected.items():
        assert shown[name] == str(shape), name
        assert len(grids[name].findall(f"{SVG}rect")) == np.prod(shape), name


def test_gate_neurons_count_keras_weights(forget_gate):
    """The neuron view draws one line per weight and one box per bias, and counts them as Keras does."""
    svg = parsed("gate-neurons.svg")
    sizes = {
        "kernel": forget_gate.kernel.size,
        "recurrent": forget_gate.recurrent_kernel.size,
        "bias": forget_gate.bias.size,
    }
    assert sizes == {"kernel": 20, "recurrent": 16, "bias": 4}
    shown = labels(svg, "data-count")
    assert re.search(r"(\d+) weights", shown["kernel"])[1] == str(sizes["kernel"])
    assert re.search(r"(\d+) weights", shown["recurrent"])[1] == str(sizes["recurrent"])
    assert re.search(r"(\d+) biases", shown["bias"])[1] == str(sizes["bias"])
    assert shown["total"] == f"{sum(sizes.values())} parameters"
    assert count(svg, "kernel-weight") == sizes["kernel"]
    assert count(svg, "recurrent-weight") == sizes["recurrent"]
    assert count(svg, "bias") == sizes["bias"]


def test_stacked_figure_has_keras_output_shapes():
    """The stack's labelled shapes are those Keras gives the same stack of layers."""
    inputs = keras.Input(shape=(diagrams.STACK_TIMESTEPS, diagrams.FEATURES))
    expected = {"input": keras_shape(inputs.shape)}
    sequence = inputs
    for level, units in enumerate(diagrams.STACK_UNITS, start=1):
        last = level == len(diagrams.STACK_UNITS)
        sequence = keras.layers.LSTM(units, return_sequences=not last)(sequence)
        expected[f"layer-{level}"] = keras_shape(sequence.shape)
    assert labels(parsed("stacked-lstm.svg"), "data-shape") == expected


def test_unrolled_figure_draws_one_cell_per_timestep():
    """The unrolled chain has one cell per timestep of the sequence Keras returns."""
    x = np.zeros((diagrams.BATCH, diagrams.UNROLLED_TIMESTEPS, diagrams.FEATURES), "float32")
    outputs = keras.layers.LSTM(diagrams.UNITS, return_sequences=True)(x)
    svg = parsed("unrolled-rnn.svg")
    assert count(svg, "timestep") == outputs.shape[1]
    assert f"unrolled over {outputs.shape[1]} timesteps" in "".join(svg.itertext())


def test_cell_figure_uses_the_registry_names():
    """The LSTM cell names its parts with the term registry's names, for every Keras gate block."""
    svg = parsed("lstm-cell.svg")
    text = " ".join("".join(element.itertext()) for element in svg.iter(f"{SVG}text"))
    registry = {term.name for term in TERMS}
    for name in ("forget gate", "input gate", "candidate", "output gate", "cell state", "hidden state"):
        assert name in registry
        assert name in text
    gates = [element.get("data-gate") for element in svg.iter() if element.get("data-gate")]
    assert sorted(gates) == sorted(diagrams.LSTM_GATES)


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_built_site_shows_each_figure(built_site, name):
    """Each figure is copied into the built site and shown by at least one page."""
    assert (built_site / "assets" / "diagrams" / name).read_text(encoding="utf-8") == FIGURES[name]
    image = re.compile(r'<img\b[^>]*\bsrc="[^"]*assets/diagrams/' + re.escape(name) + '"')
    pages = [page for page in built_site.rglob("*.html") if image.search(page.read_text(encoding="utf-8"))]
    assert pages, f"no page shows {name}"
