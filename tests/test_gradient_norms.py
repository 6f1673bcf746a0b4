"""The vanishing-gradients page's chart: the gradient reaching each timestep, from glossary.backprop."""

import itertools
import math
import re
import xml.etree.ElementTree as ET

import pytest
from generators import gradient_chart
from paths import DOCS
from site_build import built_file

SVG = "{http://www.w3.org/2000/svg}"
NORMS = {
    label: [0.5 ** (gradient_chart.TIMESTEPS - t) for t in range(1, gradient_chart.TIMESTEPS + 1)]
    for label in gradient_chart.LAYERS
}
"""Each layer halving its gradient per step back: a straight line on the log scale."""


def points(svg: ET.Element, series: str) -> list[tuple[float, float]]:
    line = next(element for element in svg.iter(f"{SVG}polyline") if element.get("data-series") == series)
    return [tuple(map(float, point.split(","))) for point in line.get("points").split()]


def test_each_layer_has_one_point_per_timestep_ending_at_one():
    svg = ET.fromstring(gradient_chart.chart(NORMS))
    for label in NORMS:
        drawn = points(svg, label)
        assert len(drawn) == gradient_chart.TIMESTEPS
        assert [x for x, _ in drawn] == sorted(x for x, _ in drawn)
        assert drawn[-1][1] == pytest.approx(gradient_chart.TOP)  # the last timestep: 1, at the top


def test_heights_are_logarithms():
    """Equal ratios, equal steps: a gradient that halves per step back is drawn as a straight line."""
    drawn = points(ET.fromstring(gradient_chart.chart(NORMS)), "LSTM")
    steps = [later[1] - earlier[1] for earlier, later in itertools.pairwise(drawn)]
    assert max(steps) == pytest.approx(min(steps), abs=0.15)  # coordinates are rounded to 0.1


def test_the_lines_differ_by_more_than_colour():
    svg = ET.fromstring(gradient_chart.chart(NORMS))
    dashes = [element.get("stroke-dasharray") for element in svg.iter(f"{SVG}polyline")]
    assert len(set(dashes)) == len(gradient_chart.LAYERS)


def test_the_built_page_shows_the_gradients_it_was_drawn_from(built_site):
    """The chart, its text alternative and its table hold the numbers computed now, from the same
    Keras weights and inputs, by glossary.backprop."""
    page = built_file(built_site, DOCS / "vanishing-gradients.md").read_text()
    svg = ET.fromstring(re.search(r'<svg [^>]*class="gradient-norms".*?</svg>', page, re.S)[0])
    assert svg.get("role") == "img" and svg.find(f"{SVG}title").text
    norms = gradient_chart.relative_norms()
    assert svg.find(f"{SVG}desc").text == gradient_chart.summary(norms)
    assert [c for p in points(svg, "GRU") for c in p] == [
        c for p in points(ET.fromstring(gradient_chart.chart(norms)), "GRU") for c in p
    ]
    table = re.search(r"The numbers of the chart</summary>(.*?)</table>", page, re.S)[1]
    first_row = re.findall(r"<td[^>]*>([^<]+)</td>", re.findall(r"<tr>(.*?)</tr>", table, re.S)[1])
    assert first_row[0] == "1"
    for shown, label in zip(first_row[1:], gradient_chart.LAYERS, strict=True):
        assert math.isclose(float(shown), norms[label][0], rel_tol=0.05)  # shown to 2 figures
