"""The shape calculator page (``calculator.md``) against Keras.

One Chromium page of the built site is driven over a grid of settings; for each, the same model is
built with Keras from symbolic inputs and every figure the page shows (the shape of each returned
array, each weight's shape, each layer's parameter count and the total) must be what Keras
reports. The Keras code the page writes is run for a few settings, and must build a model of the
count the page shows.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import re
from dataclasses import dataclass

import pytest

PAGE = "calculator/"
LAYERS = [("LSTM", True), ("GRU", True), ("GRU", False), ("SimpleRNN", True)]
MERGE_MODES = ["concat", "sum", "mul", "ave", None]
TIMES = "\N{MULTIPLICATION SIGN}"  # how the page writes its formulas
COMPARED = ("output-", "weight-", "params-")  # the figures that Keras also reports
READ_FIGURES = """() => Object.fromEntries(
    [...document.querySelectorAll("[data-calculator] [data-figure]")]
      .filter((element) => !element.hidden)
      .map((element) => [element.dataset.figure, element.textContent]))"""


@dataclass(frozen=True)
class Setting:
    layer: str
    reset_after: bool
    units: int
    features: int
    timesteps: int | None
    batch: int | None
    stack: int
    return_sequences: bool
    return_state: bool
    bidirectional: bool = False
    merge_mode: str | None = "concat"

    def __str__(self):
        parts = [
            self.layer + ("" if self.reset_after else "-reset_before"),
            f"u{self.units}",
            f"f{self.features}",
        ]
        parts += [f"t{self.timesteps}", f"b{self.batch}", f"x{self.stack}"]
        parts += ["seq"] * self.return_sequences + ["state"] * self.return_state
        parts += [f"bi-{self.merge_mode}"] * self.bidirectional
        return "-".join(parts)


def grid() -> list[Setting]:
    """Every layer type (and both GRU biases) with stacks of 1 to 3 and each flag combination,
    then every layer type under Bidirectional with every merge mode; sizes, timesteps and batch
    vary from setting to setting, fixed or None."""
    settings = []
    flags = list(itertools.product([False, True], repeat=2))
    for i, ((layer, reset_after), stack, (sequences, state)) in enumerate(
        itertools.product(LAYERS, [1, 2, 3], flags)
    ):
        settings.append(
            Setting(
                layer, reset_after, units=1 + i % 6, features=1 + (3 * i) % 8,
                timesteps=None if i % 3 == 0 else 2 + i % 5, batch=None if i % 2 else 1 + i % 4,
                stack=stack, return_sequences=sequences, return_state=state,
            )
        )  # fmt: skip
    for i, ((layer, reset_after), merge_mode) in enumerate(itertools.product(LAYERS, MERGE_MODES)):
        settings.append(
            Setting(
                layer, reset_after, units=2 + i % 4, features=1 + (5 * i) % 7,
                timesteps=None if i % 2 else 3 + i % 3, batch=None if i % 3 else 2 + i % 2,
                stack=1 if merge_mode is None else 1 + i % 3,
                return_sequences=i % 2 == 0, return_state=(i // 2) % 2 == 0,
                bidirectional=True, merge_mode=merge_mode,
            )
        )  # fmt: skip
    return settings


SETTINGS = grid()
# The generated code is run for a few: stacks with and without states, both GRU biases, and
# Bidirectional with concat, None (two outputs and four states), ave and sum.
RUN_THE_CODE = [SETTINGS[i] for i in (2, 11, 19, 31, 45, 48, 52, 56, 58, 64)]


@pytest.fixture(scope="module")
def calculator(browser, site_url):
    """One tab on the calculator page, reused by every setting; it records page errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    page.on("console", lambda m: page.problems.append(f"console: {m.text}") if m.type == "error" else None)
    page.goto(site_url + PAGE)
    page.locator("[data-calculator][data-state='ready']").wait_for()
    yield page
    context.close()


def enter(page, setting: Setting) -> dict[str, str]:
    """Set every field of the form to ``setting``; return the figures the page then shows."""
    form = page.locator("[data-calculator] form")
    form.locator("select[name=layer]").select_option(setting.layer)
    if setting.layer == "GRU":
        form.locator("select[name=reset_after]").select_option(str(setting.reset_after).lower())
    for name in ("units", "features", "timesteps", "batch"):
        value = getattr(setting, name)
        form.locator(f"input[name={name}]").fill("" if value is None else str(value))
    form.locator("select[name=layers]").select_option(str(setting.stack))
    form.locator("input[name=return_sequences]").set_checked(setting.return_sequences)
    form.locator("input[name=return_state]").set_checked(setting.return_state)
    form.locator("input[name=bidirectional]").set_checked(setting.bidirectional)
    if setting.bidirectional:
        form.locator("select[name=merge_mode]").select_option(str(setting.merge_mode))
    return page.evaluate(READ_FIGURES)


SET_FORM = """(values) => {
    const form = document.querySelector("[data-calculator] form");
    for (const [name, value] of Object.entries(values)) {
      const field = form.elements[name];
      if (field.type === "checkbox") field.checked = value; else field.value = value;
      // A select silently takes no option for a value it lacks: fail instead.
      if (field.type !== "checkbox" && field.value !== value) throw new Error(`no ${name} ${value}`);
    }
    form.dispatchEvent(new Event("change", { bubbles: true }));
  }"""


def set_form(page, setting: Setting) -> dict[str, str]:
    """``enter`` in one round trip: the fields are set as ``enter`` sets them and the form's own
    change handler runs once. The grid below needs ~70 settings; typing each field cost ~0.4 s."""
    values = {
        "layer": setting.layer,
        "reset_after": str(setting.reset_after).lower(),
        "units": str(setting.units),
        "features": str(setting.features),
        "timesteps": "" if setting.timesteps is None else str(setting.timesteps),
        "batch": "" if setting.batch is None else str(setting.batch),
        "layers": str(setting.stack),
        "return_sequences": setting.return_sequences,
        "return_state": setting.return_state,
        "bidirectional": setting.bidirectional,
        "merge_mode": str(setting.merge_mode),
    }
    page.evaluate(SET_FORM, values)
    return page.evaluate(READ_FIGURES)


def build(setting: Setting):
    """The model ``setting`` describes, built by Keras on a symbolic input; and its layers."""
    import keras

    inputs = keras.Input(shape=(setting.timesteps, setting.features), batch_size=setting.batch)
    x, layers = inputs, []
    for index in range(setting.stack):
        last = index == setting.stack - 1
        options = {
            "return_sequences": setting.return_sequences if last else True,
            "return_state": setting.return_state and last,
        }
        if setting.layer == "GRU":
            options["reset_after"] = setting.reset_after
        layer = getattr(keras.layers, setting.layer)(setting.units, **options)
        if setting.bidirectional:
            layer = keras.layers.Bidirectional(layer, merge_mode=setting.merge_mode)
        x = layer(x)
        layers.append(layer)
    outputs = list(x) if isinstance(x, (list, tuple)) else [x]
    return keras.Model(inputs, outputs), outputs, layers


def keras_figures(setting: Setting) -> dict[str, str]:
    """What Keras reports for ``setting``, keyed as the page's ``data-figure`` attributes."""
    model, outputs, layers = build(setting)
    figures = {f"output-{i}": str(tuple(output.shape)) for i, output in enumerate(outputs)}
    for number, layer in enumerate(layers, start=1):
        if setting.bidirectional:
            directions = [("forward-", layer.forward_layer), ("backward-", layer.backward_layer)]
        else:
            directions = [("", layer)]
        for prefix, part in directions:
            for weight in part.weights:
                figures[f"weight-{number}-{prefix}{weight.name}"] = str(tuple(weight.shape))
        figures[f"params-{number}"] = str(layer.count_params())
    figures["params-total"] = str(model.count_params())
    return figures


@pytest.mark.parametrize("setting", SETTINGS, ids=str)
def test_every_figure_is_what_keras_reports(calculator, setting):
    shown = set_form(calculator, setting)
    assert "error" not in shown, shown.get("error")
    figures = {name: text for name, text in shown.items() if name.startswith(COMPARED)}
    assert figures == keras_figures(setting)
    for number in range(1, setting.stack + 1):
        # The formula, filled in, is arithmetic that comes to the layer's count.
        left, right = shown[f"formula-{number}"].split("=")
        assert re.fullmatch(rf"[\d {TIMES}+()]+", left)
        assert eval(left.replace(TIMES, "*")) == int(right) == int(shown[f"params-{number}"])
    assert "NaN" not in calculator.locator("[data-calculator]").inner_text()
    assert not calculator.problems


@pytest.mark.parametrize("setting", RUN_THE_CODE, ids=str)
def test_the_code_shown_builds_the_model_shown(calculator, setting):
    shown = enter(calculator, setting)
    namespace = {"__name__": "__main__"}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(shown["code"], "<calculator code>", "exec"), namespace)
    model = namespace["model"]
    assert str(model.count_params()) == shown["params-total"]
    assert printed.getvalue().split() == re.findall(r"^#> (.*)$", shown["code"], re.M)
    outputs = [str(tuple(output.shape)) for output in model.outputs]
    assert outputs == [shown[f"output-{i}"] for i in range(len(outputs))]


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("units", "0", "units must be a positive whole number"),
        ("units", "", "units must be a positive whole number"),
        ("units", "2.5", "units must be a positive whole number"),
        ("features", "-3", "features must be a positive whole number"),
        ("features", "five", "features must be a positive whole number"),
        ("timesteps", "x", "timesteps must be blank"),
        ("batch", "0", "batch must be blank"),
    ],
)
def test_a_bad_size_is_named_not_computed(calculator, field, value, message):
    enter(calculator, SETTINGS[0])
    calculator.locator(f"[data-calculator] input[name={field}]").fill(value)
    shown = calculator.evaluate(READ_FIGURES)
    assert message in shown["error"]
    assert not [name for name in shown if name.startswith(("output-", "params-"))]
    assert "NaN" not in calculator.locator("[data-calculator]").inner_text()
    calculator.locator(f"[data-calculator] input[name={field}]").fill("3")
    assert "error" not in calculator.evaluate(READ_FIGURES)


def test_a_stack_cannot_take_two_merged_outputs(calculator):
    """merge_mode=None under a stack is refused on the page, as Keras refuses it."""
    setting = Setting("LSTM", True, 4, 5, 7, None, 2, False, False, bidirectional=True, merge_mode=None)
    shown = enter(calculator, setting)
    assert "merge_mode=None" in shown["error"]
    assert "params-total" not in shown
    with pytest.raises(ValueError, match="expects 1 input"):
        build(setting)


def test_the_calculator_survives_instant_navigation(browser, site_url):
    """Reached by a link (Material swaps the page in), the calculator is set up and answers."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(site_url + "parameter-count/")
    page.wait_for_load_state("networkidle")
    for _ in range(2):  # there, away, and back: set up afresh each time
        page.locator("nav.md-nav a[href$='calculator/'] >> visible=true").first.click()
        page.wait_for_url("**/calculator/")
        page.locator("[data-calculator][data-state='ready']").wait_for()
        page.locator("[data-calculator] input[name=units]").fill("10")
        assert page.locator("[data-figure='params-total']").inner_text() == str(4 * 10 * (5 + 10 + 1))
        page.locator("nav.md-nav a[href$='parameter-count/'] >> visible=true").first.click()
        page.wait_for_url("**/parameter-count/")
    assert not problems
    context.close()


def test_the_copy_button_copies_the_code(browser, site_url):
    """Material's copy button on the generated code copies exactly the code shown."""
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(site_url + PAGE)
    page.locator("[data-calculator][data-state='ready']").wait_for()
    page.locator("[data-calculator] input[name=bidirectional]").check()
    code = page.locator("[data-figure='code']")
    code.hover()
    page.locator("[data-calculator] button[data-md-type='copy']").click()
    assert page.evaluate("navigator.clipboard.readText()").strip() == code.inner_text().strip()
    context.close()
