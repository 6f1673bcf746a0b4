"""The training page's loss curve: drawn from a real run during the build, each point at its number."""

import re
import xml.etree.ElementTree as ET

import loss_curve
import pytest
from paths import DOCS
from site_build import built_file

SVG = "{http://www.w3.org/2000/svg}"
HISTORY = {"loss": [0.08, 0.02, 0.015], "val_loss": [0.02, 0.012, 0.011]}


def points(svg: ET.Element, series: str) -> list[tuple[float, float]]:
    line = next(element for element in svg.iter(f"{SVG}polyline") if element.get("data-series") == series)
    return [tuple(map(float, point.split(","))) for point in line.get("points").split()]


def test_each_series_has_one_point_per_epoch_in_order():
    svg = ET.fromstring(loss_curve.chart(HISTORY))
    for series, values in HISTORY.items():
        drawn = points(svg, series)
        assert len(drawn) == len(values)
        assert [x for x, _ in drawn] == sorted(x for x, _ in drawn)  # epochs left to right


def test_a_point_is_as_high_as_its_value():
    """Heights are proportional to the loss, from the axis at 0: the chart cannot exaggerate a fall."""
    svg = ET.fromstring(loss_curve.chart(HISTORY))
    zero = loss_curve.TOP + loss_curve.HEIGHT - loss_curve.TOP - loss_curve.BOTTOM
    drawn = {series: points(svg, series) for series in HISTORY}
    scale = (zero - drawn["loss"][0][1]) / HISTORY["loss"][0]
    for series, values in HISTORY.items():
        for (_, y), value in zip(drawn[series], values, strict=True):
            assert zero - y == pytest.approx(scale * value, abs=0.1)  # coordinates are rounded to 0.1


@pytest.mark.parametrize(
    "high, expected",
    [(0.076, [0, 0.02, 0.04, 0.06]), (1.0, [0, 0.2, 0.4, 0.6, 0.8, 1.0]), (37.0, [0, 10, 20, 30])],
)
def test_the_loss_axis_has_round_ticks_from_zero(high, expected):
    assert loss_curve._ticks(0.0, high) == pytest.approx(expected)


def test_the_lines_differ_by_more_than_colour():
    """Training and validation are told apart by dashes, in the lines and in the legend."""
    svg = ET.fromstring(loss_curve.chart(HISTORY))
    lines = {
        element.get("data-series"): element.get("stroke-dasharray") for element in svg.iter(f"{SVG}polyline")
    }
    assert lines["loss"] is None and lines["val_loss"]


def test_the_built_page_shows_the_run_it_was_drawn_from(built_site):
    """The chart on the page, its text alternative and its table hold the same run's numbers."""
    page = built_file(built_site, DOCS / "training.md").read_text()
    svg = ET.fromstring(re.search(r'<svg [^>]*class="loss-curve".*?</svg>', page, re.S)[0])
    assert svg.get("role") == "img" and svg.find(f"{SVG}title").text and svg.find(f"{SVG}desc").text
    table = re.search(r"The numbers of the chart</summary>(.*?)</table>", page, re.S)[1]
    rows = [
        [float(cell) for cell in re.findall(r"<td[^>]*>([\d.]+)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ]
    rows = [row for row in rows if row]
    history = {"loss": [row[1] for row in rows], "val_loss": [row[2] for row in rows]}
    assert [row[0] for row in rows] == list(range(1, len(rows) + 1))
    assert history["loss"][-1] < history["loss"][0]
    assert svg.find(f"{SVG}desc").text == loss_curve._summary(history)
    redrawn = ET.fromstring(loss_curve.chart(history))  # the table's numbers give the drawn points
    for series in history:
        # The table rounds to 4 decimals, which moves a point by under 0.3 of a unit at this scale.
        flat = [coordinate for point in points(svg, series) for coordinate in point]
        assert [c for point in points(redrawn, series) for c in point] == pytest.approx(flat, abs=0.3)
