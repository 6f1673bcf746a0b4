"""The training page's loss curve: drawn from a real run during the build, each point at its number."""

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from generators import training_charts
from paths import DOCS
from site_build import built_file

SVG = "{http://www.w3.org/2000/svg}"
HISTORY = {"loss": [0.08, 0.02, 0.015], "val_loss": [0.02, 0.012, 0.011]}


def points(svg: ET.Element, series: str) -> list[tuple[float, float]]:
    line = next(element for element in svg.iter(f"{SVG}polyline") if element.get("data-series") == series)
    return [tuple(map(float, point.split(","))) for point in line.get("points").split()]


def test_each_series_has_one_point_per_epoch_in_order():
    svg = ET.fromstring(training_charts.chart(HISTORY))
    for series, values in HISTORY.items():
        drawn = points(svg, series)
        assert len(drawn) == len(values)
        assert [x for x, _ in drawn] == sorted(x for x, _ in drawn)  # epochs left to right


def test_a_point_is_as_high_as_its_value():
    """Heights are proportional to the loss, from the axis at 0: the chart cannot exaggerate a fall."""
    svg = ET.fromstring(training_charts.chart(HISTORY))
    zero = training_charts.TOP + training_charts.HEIGHT - training_charts.TOP - training_charts.BOTTOM
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
    assert training_charts._ticks(0.0, high) == pytest.approx(expected)


def test_the_lines_differ_by_more_than_colour():
    """Training and validation are told apart by dashes, in the lines and in the legend."""
    svg = ET.fromstring(training_charts.chart(HISTORY))
    lines = {
        element.get("data-series"): element.get("stroke-dasharray") for element in svg.iter(f"{SVG}polyline")
    }
    assert lines["loss"] is None and lines["val_loss"]


def loss_table(page: str) -> list[list[float]]:
    """The rows of the loss chart's table on the built page: epoch, training loss, validation loss."""
    table = re.search(r"The numbers of the chart</summary>(.*?)</table>", page, re.S)[1]
    rows = [
        [float(cell) for cell in re.findall(r"<td[^>]*>([\d.]+)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ]
    return [row for row in rows if row]


def test_the_built_page_shows_the_run_it_was_drawn_from(built_site):
    """The chart on the page, its text alternative and its table hold the same run's numbers."""
    page = built_file(built_site, DOCS / "training.md").read_text()
    svg = ET.fromstring(re.search(r'<svg [^>]*class="loss-curve".*?</svg>', page, re.S)[0])
    assert svg.get("role") == "img" and svg.find(f"{SVG}title").text and svg.find(f"{SVG}desc").text
    rows = loss_table(page)
    history = {"loss": [row[1] for row in rows], "val_loss": [row[2] for row in rows]}
    assert [row[0] for row in rows] == list(range(1, len(rows) + 1))
    assert history["loss"][-1] < history["loss"][0]
    assert svg.find(f"{SVG}desc").text == training_charts._summary(history)
    redrawn = ET.fromstring(training_charts.chart(history))  # the table's numbers give the drawn points
    for series in history:
        # The table rounds to 4 decimals, which moves a point by under 0.3 of a unit at this scale.
        flat = [coordinate for point in points(svg, series) for coordinate in point]
        assert [c for point in points(redrawn, series) for c in point] == pytest.approx(flat, abs=0.3)


# ---------------------------------------------------------------------------------------------
# The forecast against the truth, over the windows held out for testing

RUN = {
    "step": [20, 21, 22, 23, 24],
    "truth": [0.5, -0.2, 0.9, -1.1, 0.1],
    "forecast": [0.4, -0.1, 0.7, -0.9, 0.0],
}


def dots(svg: ET.Element, series: str) -> list[tuple[float, float]]:
    group = next(element for element in svg.iter(f"{SVG}g") if element.get("data-series") == series)
    return [(float(dot.get("cx")), float(dot.get("cy"))) for dot in group.iter(f"{SVG}circle")]


def values_of(svg: ET.Element, drawn: list[tuple[float, float]]) -> list[float]:
    """The values of drawn points, read back through the chart's value axis (its tick lines)."""
    ticks = [
        (float(label.text.replace("\N{MINUS SIGN}", "-")), float(label.get("y")) - 4)
        for label in svg.iter(f"{SVG}text")
        if label.get("text-anchor") == "end" and label.get("x") == str(training_charts.LEFT - 8)
    ]
    (v0, y0), (v1, y1) = ticks[0], ticks[-1]
    return [v0 + (y - y0) * (v1 - v0) / (y1 - y0) for _, y in drawn]


def test_the_forecast_chart_has_one_dot_and_one_point_per_window_in_order():
    svg = ET.fromstring(training_charts.forecast_chart(RUN))
    truth, forecast = dots(svg, "truth"), points(svg, "forecast")
    assert len(truth) == len(forecast) == len(RUN["step"])
    assert [x for x, _ in truth] == [x for x, _ in forecast] == sorted(x for x, _ in truth)


def test_the_forecast_chart_draws_each_point_at_its_value():
    """Both series share one value axis, labelled by its ticks: each point reads back as its value."""
    svg = ET.fromstring(training_charts.forecast_chart(RUN))
    for series, drawn in (("truth", dots(svg, "truth")), ("forecast", points(svg, "forecast"))):
        assert values_of(svg, drawn) == pytest.approx(RUN[series], abs=0.01)


def test_the_forecast_chart_tells_the_series_apart_by_shape():
    """The truth is dots, the forecast a line: told apart without colour, in the chart and its legend."""
    svg = ET.fromstring(training_charts.forecast_chart(RUN))
    assert [line.get("data-series") for line in svg.iter(f"{SVG}polyline")] == ["forecast"]
    legend = [
        text.text for text in svg.iter(f"{SVG}text") if text.text in ("forecast", training_charts.TRUTH)
    ]
    assert sorted(legend) == sorted(["forecast", training_charts.TRUTH])


@pytest.mark.parametrize(
    "low, high, expected",
    [(-1.13, 1.09, [-1.5, -1, -0.5, 0, 0.5, 1, 1.5]), (0.2, 0.9, [0.2, 0.4, 0.6, 0.8, 1.0])],
)
def test_the_value_axis_covers_every_value_with_round_ticks(low, high, expected):
    assert training_charts._value_ticks(low, high) == pytest.approx(expected)


def test_the_built_page_shows_the_forecast_of_the_run(built_site):
    """The forecast chart on the page, its text alternative and its table hold the same run's numbers,
    and what the caption says of them holds: the forecast follows the truth."""
    page = built_file(built_site, DOCS / "training.md").read_text()
    svg = ET.fromstring(re.search(r'<svg [^>]*class="forecast-chart".*?</svg>', page, re.S)[0])
    assert svg.get("role") == "img" and svg.find(f"{SVG}title").text and svg.find(f"{SVG}desc").text
    table = re.search(r"The numbers of the forecast chart</summary>(.*?)</table>", page, re.S)[1]
    rows = [
        [
            float(cell.replace("\N{MINUS SIGN}", "-"))
            for cell in re.findall(r"<td[^>]*>([\d.\N{MINUS SIGN}]+)</td>", row)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ]
    rows = [row for row in rows if row]
    truth, forecast = dots(svg, "truth"), points(svg, "forecast")
    steps = range(int(rows[0][0]), int(rows[-1][0]) + 1)
    assert len(truth) == len(forecast) == len(steps)
    run = {
        "step": list(steps),
        "truth": values_of(svg, truth),
        "forecast": values_of(svg, forecast),
    }
    for step, true_value, forecast_value, error in rows:  # each row is the point drawn at its step
        index = int(step) - steps[0]
        assert run["truth"][index] == pytest.approx(true_value, abs=0.01)
        assert run["forecast"][index] == pytest.approx(forecast_value, abs=0.01)
        assert error == pytest.approx(forecast_value - true_value, abs=2e-4)  # three roundings to 4 decimals
    described = re.search(
        r"steps (\d+) to (\d+) .* mean squared error ([\d.]+), largest miss ([\d.]+)",
        svg.find(f"{SVG}desc").text,
    )
    assert (int(described[1]), int(described[2])) == (steps[0], steps[-1])
    errors = np.array(run["forecast"]) - np.array(run["truth"])
    assert float(described[3]) == pytest.approx(np.mean(errors**2), abs=5e-4)
    assert float(described[4]) == pytest.approx(np.abs(errors).max(), abs=0.01)
    assert np.corrcoef(run["forecast"], run["truth"])[0, 1] > 0.9  # "the forecast follows the wave"
    assert np.mean(errors**2) < np.var(run["truth"]) / 10
