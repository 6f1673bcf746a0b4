"""The interactive parts of the site, used with the keyboard alone: every control is reached with
Tab, shows where the focus is, and works with the keys a reader would press."""

from __future__ import annotations

import pytest
from paths import DOCS
from site_build import page_url
from tabs import Watched

TABS_TO_REACH = 150  # presses of Tab allowed to reach a control from the top of the page

ACTIVE = """() => {
    const active = document.activeElement;
    return active ? {name: active.name || "", id: active.id || "",
                     inCalculator: !!active.closest("[data-calculator]"),
                     inTabs: !!active.closest(".tabbed-set")} : null;
}"""


@pytest.fixture
def reader(browser):
    watched = Watched(browser)
    yield watched
    watched.close()


def tab_until(page, wanted) -> dict:
    """Press Tab until the focused element satisfies ``wanted``; fail if it never does."""
    for _ in range(TABS_TO_REACH):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE)
        if active and wanted(active):
            return active
    pytest.fail(f"not reached with {TABS_TO_REACH} presses of Tab")


def focus_is_drawn(page) -> bool:
    """Whether the focused element (with its label) looks different from when it is not focused."""
    page.evaluate("document.activeElement.scrollIntoView({block: 'center'})")
    clip = page.evaluate(
        """() => {
            const element = document.activeElement;
            const boxes = [element, ...(element.labels || [])].map((e) => e.getBoundingClientRect());
            const x = Math.max(0, Math.min(...boxes.map((b) => b.left)) - 4);
            const y = Math.max(0, Math.min(...boxes.map((b) => b.top)) - 4);
            return {x, y, width: Math.max(...boxes.map((b) => b.right)) + 4 - x,
                    height: Math.max(...boxes.map((b) => b.bottom)) + 4 - y};
        }"""
    )
    focused = page.screenshot(clip=clip, animations="disabled")
    page.evaluate("window.__focused = document.activeElement; document.activeElement.blur()")
    blurred = page.screenshot(clip=clip, animations="disabled")
    page.evaluate("window.__focused.focus()")
    return focused != blurred


def test_the_calculator_works_with_the_keyboard_alone(reader, site_url):
    page = reader.open(site_url + page_url(DOCS / "calculator.md"))
    results = page.locator("[data-results]")
    reached = tab_until(page, lambda active: active["inCalculator"])
    assert reached["name"] == "layer"
    controls = [reached["name"]]
    assert focus_is_drawn(page), "layer"
    while True:
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE)
        if not active["inCalculator"] or not active["name"]:
            break
        assert focus_is_drawn(page), active["name"]
        controls.append(active["name"])
    assert controls == [
        "layer", "units", "features", "timesteps", "batch", "layers",
        "return_sequences", "return_state", "bidirectional",
    ]  # fmt: skip
    form = page.locator(".calculator__form")

    form.locator("[name=units]").focus()
    before = results.inner_text()
    page.keyboard.press("Control+A")
    page.keyboard.type("8")
    assert "(None, 8)" in results.inner_text() and results.inner_text() != before

    form.locator("[name=layer]").focus()
    page.keyboard.press("ArrowDown")  # a closed select changes its choice with the arrow keys
    assert form.locator("[name=layer]").input_value() == "GRU"
    assert form.locator("[name=reset_after]").is_visible()

    form.locator("[name=return_sequences]").focus()
    page.keyboard.press("Space")
    assert form.locator("[name=return_sequences]").is_checked()
    assert "(None, 7, 8)" in results.inner_text()
    assert not reader.problems


def test_framework_tabs_switch_with_the_arrow_keys(reader, site_url):
    """Keras, PyTorch and NumPy tabs: Tab reaches the chosen one, an arrow key chooses the next."""
    page = reader.open(site_url + page_url(DOCS / "input-shape.md"))
    reached = tab_until(page, lambda active: active["inTabs"] and active["id"].startswith("__tabbed_"))
    assert focus_is_drawn(page), reached["id"]
    label = page.locator(f"label[for='{reached['id']}']")
    assert label.inner_text().strip() == "Keras"
    page.keyboard.press("ArrowRight")
    chosen = page.evaluate("document.activeElement.id")
    assert page.locator(f"label[for='{chosen}']").inner_text().strip() == "PyTorch"
    assert page.evaluate("document.activeElement.checked")
    assert not reader.problems


def test_a_table_wider_than_the_page_scrolls_with_the_keyboard(reader, site_url):
    """A table that does not fit scrolls in a box that Tab reaches and the arrow keys scroll; one
    that fits is no stop of the Tab key. On a phone, where the porting map is wider than the page."""
    reader.page.set_viewport_size({"width": 390, "height": 844})
    page = reader.open(site_url + page_url(DOCS / "porting.md"))
    page.wait_for_load_state("networkidle")
    boxes = page.locator(".md-typeset__scrollwrap")
    scrolling = [
        i for i in range(boxes.count()) if boxes.nth(i).evaluate("e => e.scrollWidth > e.clientWidth")
    ]
    fitting = [i for i in range(boxes.count()) if i not in scrolling]
    assert scrolling and fitting
    for i in fitting:
        assert boxes.nth(i).get_attribute("tabindex") is None
    box = boxes.nth(scrolling[0])
    assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "region"
    assert "scrolls sideways" in box.get_attribute("aria-label")
    box.focus()
    assert focus_is_drawn(page)
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(e) => e.scrollLeft > 0", arg=box.element_handle())
    assert not reader.problems
