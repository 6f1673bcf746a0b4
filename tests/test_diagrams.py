"""The generated diagrams: committed as generated, and labelled with the shapes Keras gives."""

import itertools
import re
import xml.etree.ElementTree as ET

import keras
import numpy as np
import pytest
from paths import DOCS
from scripts import diagrams

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
    assert path.is_file(), f"{name} is missing: run `python docs/plugins/scripts/diagrams.py`"
    assert path.read_text(encoding="utf-8") == FIGURES[name], (
        f"{name} is stale: run `python docs/plugins/scripts/diagrams.py`"
    )


def test_no_stray_committed_figures():
    """Every SVG in the diagrams folder is one the code draws."""
    assert sorted(path.name for path in COMMITTED.glob("*.svg")) == sorted(FIGURES)


def test_the_command_writes_every_figure(tmp_path, capsys):
    diagrams.main(tmp_path)
    assert {path.name: path.read_text() for path in tmp_path.iterdir()} == diagrams.render_all()
    assert capsys.readouterr().out.splitlines() == [str(tmp_path / name) for name in diagrams.FIGURES]


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


# ---------------------------------------------------------------------------------------------
# The figures of return_sequences and return_state, the two states, Bidirectional, encoder-decoder

CONTENT_WIDTH = 688
"""The width of a page's text column at 1366 x 800, where a figure is shown at most this wide."""
DRAWN_FOR_THE_COLUMN = (
    "return-sequences-and-state.svg",
    "cell-vs-hidden-state.svg",
    "bidirectional.svg",
    "encoder-decoder.svg",
)
"""The figures drawn to fit the text column, whose smallest text must stay readable there."""


def shape_in(label: str) -> str:
    """The shape a label names, ``(batch, 6, 32)`` of ``LSTM(32) → (batch, 6, 32)``."""
    return re.findall(r"\([^()]*\)", label)[-1]


@pytest.mark.parametrize("name", DRAWN_FOR_THE_COLUMN)
def test_text_stays_readable_in_the_text_column(name):
    """Shown in the desktop's text column, no text of the figure is smaller than 11 pixels."""
    svg = parsed(name)
    scale = min(1, CONTENT_WIDTH / int(svg.get("width")))
    sizes = [float(text.get("font-size")) for text in svg.iter(f"{SVG}text")]
    assert min(sizes) * scale >= 11


def test_return_figure_has_keras_shapes_for_every_combination():
    """Each panel's output, state_h and state_c are labelled with the shapes Keras returns for its flags."""
    x = np.zeros((diagrams.BATCH, diagrams.RETURNS_TIMESTEPS, diagrams.FEATURES), "float32")
    svg = parsed("return-sequences-and-state.svg")
    shown = labels(svg, "data-shape")
    expected = {}
    for return_sequences, return_state in diagrams.FLAGS:
        result = keras.layers.LSTM(
            diagrams.UNITS, return_sequences=return_sequences, return_state=return_state
        )(x)
        arrays = result if return_state else (result,)
        panel = f"return_sequences={return_sequences}, return_state={return_state}"
        for name, array in zip(("output", "state_h", "state_c"), arrays, strict=False):
            expected[f"{panel}: {name}"] = str(tuple(array.shape))
    assert len(expected) == 8  # 1 + 3 + 1 + 3 arrays
    assert shown == expected


def test_return_figure_highlights_the_hidden_states_returned():
    """Every h_t is highlighted with return_sequences=True; only the last one without it."""
    svg = parsed("return-sequences-and-state.svg")
    timesteps = diagrams.RETURNS_TIMESTEPS
    for return_sequences, return_state in diagrams.FLAGS:
        panel = f"return_sequences={return_sequences}, return_state={return_state}"
        of_panel = [element for element in svg.iter() if element.get("data-panel") == panel]
        returned = ["".join(t.itertext()) for t in of_panel if t.get("data-role") == "returned-h"]
        boxes = [element for element in of_panel if element.get("data-role") == "timestep"]
        assert len(boxes) == timesteps
        last = [f"h{timesteps}"]
        assert returned == ([f"h{step}" for step in range(1, timesteps + 1)] if return_sequences else last)


@pytest.fixture(scope="module")
def steady_keras_run():
    """The cell-state page's run in Keras: its snippet's weights in a keras.layers.LSTM, and c_t and
    h_t after each timestep (the final states of the run cut after that timestep)."""
    run = diagrams.steady_run()
    x, weights = run["x"], run["weights"]
    layer = keras.layers.LSTM(weights[1].shape[0], return_state=True)
    layer.build(x.shape)
    layer.set_weights(weights)
    steps = [layer(x[:, : step + 1]) for step in range(x.shape[1])]
    return {
        "c": [0.0] + [float(np.asarray(c)[0, 0]) for _, _, c in steps],  # the zero state at t = 0
        "h": [0.0] + [float(np.asarray(h)[0, 0]) for _, h, _ in steps],
    }


def test_cell_vs_hidden_chart_plots_what_keras_computes(steady_keras_run):
    """Each point of the chart is Keras's c_t or h_t at its timestep, drawn at its height."""
    svg = parsed("cell-vs-hidden-state.svg")
    heights = {}
    for series in ("c", "h"):
        points = [
            element
            for element in svg.iter()
            if element.get("data-series") == series and element.get("data-value")
        ]
        assert [int(point.get("data-step")) for point in points] == list(range(len(steady_keras_run[series])))
        for point, value in zip(points, steady_keras_run[series], strict=True):
            assert float(point.get("data-value")) == pytest.approx(value, abs=1e-4)
            y = float(point.get("cy") or float(point.get("y")) + float(point.get("height")) / 2)
            heights[y] = value
    # One straight scale for both series: the height grows with the value at one rate.
    (y0, v0), (y1, v1) = min(heights.items()), max(heights.items())
    for y, value in heights.items():
        assert y == pytest.approx(y1 + (y0 - y1) * (value - v1) / (v0 - v1), abs=0.02)
    shown = labels(svg, "data-label")
    assert shown["c"].startswith(f"{steady_keras_run['c'][-1]:.3f}")
    assert shown["h"].startswith(f"{steady_keras_run['h'][-1]:.3f}")


def test_cell_vs_hidden_chart_shows_what_it_says(steady_keras_run):
    """What the chart's words say of the run: c_t climbs past 1 at every step; h_t stays in (-1, 1)."""
    c, h = steady_keras_run["c"], steady_keras_run["h"]
    assert all(later > earlier for earlier, later in itertools.pairwise(c))
    assert max(c) > 1 and max(abs(value) for value in h) < 1
    text = " ".join(
        "".join(element.itertext()) for element in parsed("cell-vs-hidden-state.svg").iter(f"{SVG}text")
    )
    assert f"{len(c) - 1} timesteps" in text


def test_bidirectional_figure_has_keras_shapes():
    """The joined widths are Keras's: every timestep with return_sequences=True, one row without."""
    x = np.random.default_rng(0).normal(size=(diagrams.BATCH, diagrams.RETURNS_TIMESTEPS, diagrams.FEATURES))
    x = x.astype("float32")
    sequence = keras.layers.Bidirectional(keras.layers.LSTM(diagrams.UNITS, return_sequences=True))
    last = keras.layers.Bidirectional(keras.layers.LSTM(diagrams.UNITS))
    sequence.build(x.shape)
    last.build(x.shape)
    last.set_weights(sequence.get_weights())
    joined, final = np.asarray(sequence(x)), np.asarray(last(x))
    svg = parsed("bidirectional.svg")
    assert labels(svg, "data-shape") == {"sequence": str(joined.shape), "last": str(final.shape)}
    assert final.shape[-1] == 2 * diagrams.UNITS
    timesteps = x.shape[1]
    assert count(svg, "forward-timestep") == count(svg, "backward-timestep") == timesteps


def test_bidirectional_figure_outlines_what_the_default_returns():
    """The outlined halves are those Keras's default return joins: the forward layer's h after the
    last timestep and the backward layer's h after the first (the last it reads)."""
    x = np.random.default_rng(1).normal(size=(diagrams.BATCH, diagrams.RETURNS_TIMESTEPS, diagrams.FEATURES))
    x = x.astype("float32")
    units, timesteps = diagrams.UNITS, x.shape[1]
    sequence = keras.layers.Bidirectional(keras.layers.LSTM(units, return_sequences=True))
    last = keras.layers.Bidirectional(keras.layers.LSTM(units))
    sequence.build(x.shape)
    last.build(x.shape)
    last.set_weights(sequence.get_weights())
    joined, final = np.asarray(sequence(x)), np.asarray(last(x))
    outlined = {
        element.get("data-direction"): int(element.get("data-step"))
        for element in parsed("bidirectional.svg").iter()
        if element.get("data-role") == "default-output"
    }
    assert outlined == {"forward": timesteps, "backward": 1}
    np.testing.assert_allclose(final[:, :units], joined[:, outlined["forward"] - 1, :units], atol=1e-6)
    np.testing.assert_allclose(final[:, units:], joined[:, outlined["backward"] - 1, units:], atol=1e-6)


def test_encoder_decoder_figure_has_the_shapes_of_the_pages_model():
    """The shapes are those of the encoder-decoder page's model in Keras, for its sequences of 6."""
    sizes = diagrams.TRANSLATION
    source = keras.Input((sizes["length"],), dtype="int32")
    decoder_input = keras.Input((sizes["length"],), dtype="int32")
    embedded = keras.layers.Embedding(sizes["vocabulary"], sizes["embedding"])(source)
    _, hidden_state, cell_state = keras.layers.LSTM(sizes["units"], return_state=True)(embedded)
    decoder_embedded = keras.layers.Embedding(sizes["vocabulary"], sizes["embedding"])(decoder_input)
    decoded, _, _ = keras.layers.LSTM(sizes["units"], return_sequences=True, return_state=True)(
        decoder_embedded, initial_state=[hidden_state, cell_state]
    )
    probabilities = keras.layers.Dense(sizes["vocabulary"], activation="softmax")(decoded)
    expected = {
        "source": source.shape, "embedded": embedded.shape, "states": hidden_state.shape,
        "decoder_input": decoder_input.shape, "decoder_embedded": decoder_embedded.shape,
        "decoded": decoded.shape, "probabilities": probabilities.shape,
    }  # fmt: skip
    assert hidden_state.shape == cell_state.shape
    svg = parsed("encoder-decoder.svg")
    shown = {key: shape_in(label) for key, label in labels(svg, "data-shape").items()}
    assert shown == {key: keras_shape(shape) for key, shape in expected.items()}
    assert count(svg, "encoder-timestep") == count(svg, "decoder-timestep") == sizes["length"]


def test_encoder_decoder_figure_shows_the_pages_first_sequence():
    """The tokens drawn are those the page's data section prints for its first sequence."""
    snippet = (DOCS.parent / "snippets" / "tasks" / "encoder_decoder.py").read_text()
    printed = re.search(r"print\(source\[0\], decoder_input\[0\], target\[0\][^)]*\)\n#> (.*)", snippet)[1]
    source, decoder_input, target = (
        [int(token) for token in group.split()] for group in re.findall(r"\[([^]]*)\]", printed)[:3]
    )
    tokens = labels(parsed("encoder-decoder.svg"), "data-token")
    length = len(source)
    assert [tokens[f"encoder-timestep-{step}"] for step in range(1, length + 1)] == [str(t) for t in source]
    assert [tokens[f"target-{step}"] for step in range(1, length + 1)] == [str(t) for t in target]
    assert decoder_input[0] == 1 and tokens["decoder-timestep-1"] == "start"  # token 1 is kept for start
    assert [tokens[f"decoder-timestep-{step}"] for step in range(2, length + 1)] == [
        str(t) for t in decoder_input[1:]
    ]
