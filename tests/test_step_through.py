"""The step-through page (``step-through.md``) against the NumPy reference and Keras.

One Chromium tab of the built site is set to a grid of layers, sizes, sequences and forget biases;
at every timestep, every number the page shows (in the cell diagram, the step's table and the
table of past timesteps) must be the reference's on the same weights, to the last digit shown.
The hidden and cell states are compared with a Keras layer given those weights as well, and the
weights with those of new Keras layers. Then the page is used as readers use it: bad input, the
keyboard alone, a phone.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass

import numpy as np
import pytest
from paths import DOCS
from site_build import built_file, page_url
from tabs import Watched

from glossary import reference
from glossary.claims.lstm_cell.step_through import LAYERS, UNITS, initial_weights, stored_weights
from glossary.claims.samples import built

PAGE = DOCS / "step-through.md"
SHOWN_DIGITS = 3
ROUNDING = 0.5 * 10**-SHOWN_DIGITS
"""A number shown with three decimals is within half a unit of its last digit of the true value..."""
SUM_ORDER = 1e-12
"""...plus what adding the same float64 products in another order can change (JavaScript sums a
vector-matrix product term by term; NumPy's BLAS in blocks): far below the digits shown."""
FLOAT32 = 1e-5
"""Keras computes in float32 and the page in float64: their states differ by about 1e-7 over a dozen
steps of a few units (float32 rounding, 6e-8 per operation), well within this."""
MINUS = "\N{MINUS SIGN}"
SHOWN = re.compile(rf"^{MINUS}?\d+\.\d{{{SHOWN_DIGITS}}}$")

SEQUENCES = {
    "pulse": "1, 0, 0, 0, 0, 0, 0, 0",
    "steady": "1, 1, 1, 1, 1, 1, 1, 1",
    "alternating": "1, -1, 1, -1, 1, -1, 1, -1",
    "late": "0, 0, 0, 2, 0, 0, 0, 0",
    "ramp": "-2, -1, 0, 1, 2",
    # typed by hand: twelve numbers (the most), every separator, a minus sign, exponents, the limits
    "typed": f"0.5, {MINUS}3; 2.25 1e-1,-0.75  0\t100 -1.5 .3 9 -100 1E-2",
}
FORGET_BIASES = ("1", "3", "-2", "0.25")
LSTM_QUANTITIES = (
    "hidden_prev", "cell_prev", "forget_gate", "input_gate", "candidate", "output_gate",
    "kept", "written", "cell_state", "hidden_state",
)  # fmt: skip
LAYERS_GRU = ("GRU", "GRU_reset_before")
"""The page's two GRUs: ``reset_after=True`` (Keras's default) and ``reset_after=False``."""
GRU_QUANTITIES = ("hidden_prev", "update_gate", "reset_gate", "candidate", "kept", "written", "hidden_state")


@dataclass(frozen=True)
class Setting:
    layer: str
    units: int
    sequence: str
    forget_bias: str = "1"

    def __str__(self):
        name = next(name for name, text in SEQUENCES.items() if text == self.sequence)
        return f"{self.layer}-u{self.units}-{name}" + (
            f"-bias{self.forget_bias}" if self.layer == "LSTM" else ""
        )

    def inputs(self) -> list[float]:
        return [float(piece.replace(MINUS, "-")) for piece in re.split(r"[\s,;]+", self.sequence.strip())]

    def weights(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        arrays = stored_weights()["layers"][self.layer][str(self.units)]
        kernel, recurrent_kernel, bias = (
            np.array(arrays[name]) for name in ("kernel", "recurrent_kernel", "bias")
        )
        if self.layer == "LSTM":
            bias[self.units : 2 * self.units] = float(self.forget_bias)
        return kernel, recurrent_kernel, bias


def grid() -> list[Setting]:
    """Every layer at every size, each with two of the sequences, so that every layer meets every
    sequence; the LSTM's forget bias varies among them. (Every sequence with every layer and size,
    three times as many settings, found nothing more in three times the time.)"""
    sequences = list(SEQUENCES.values())
    settings = []
    for i, (layer, units) in enumerate(itertools.product(LAYERS, UNITS)):
        for k, sequence in enumerate((sequences[i % 6], sequences[(i + 3) % 6])):
            bias = FORGET_BIASES[(2 * i + k) % len(FORGET_BIASES)] if layer == "LSTM" else "1"
            settings.append(Setting(layer, units, sequence, bias))
    return settings


SETTINGS = grid()
CHECKED_WITH_KERAS = [
    setting for setting in SETTINGS if setting.sequence in (SEQUENCES["late"], SEQUENCES["typed"])
]


def expected_steps(setting: Setting) -> list[dict[str, np.ndarray]]:
    """Every quantity of every timestep: the gates from the equations, and the states, which must be
    what ``glossary.reference``'s step functions return."""
    kernel, recurrent_kernel, bias = setting.weights()
    units = setting.units
    hidden, cell = np.zeros(units), np.zeros(units)
    steps = []
    for value in setting.inputs():
        x_t = np.array([value])
        step = {"x": x_t, "hidden_prev": hidden}
        if setting.layer == "LSTM":
            z_i, z_f, z_c, z_o = np.split(x_t @ kernel + hidden @ recurrent_kernel + bias, 4)
            gates = {
                "input_gate": reference.sigmoid(z_i), "forget_gate": reference.sigmoid(z_f),
                "candidate": np.tanh(z_c), "output_gate": reference.sigmoid(z_o),
            }  # fmt: skip
            step |= gates | {"cell_prev": cell, "kept": gates["forget_gate"] * cell}
            step["written"] = gates["input_gate"] * gates["candidate"]
            hidden, cell = reference.lstm_step(x_t, hidden, cell, kernel, recurrent_kernel, bias)
            step |= {"cell_state": cell, "hidden_state": hidden}
            np.testing.assert_allclose(step["kept"] + step["written"], cell, rtol=0, atol=SUM_ORDER)
        else:
            reset_after = setting.layer == "GRU"
            input_bias, recurrent_bias = bias if reset_after else (bias, np.zeros_like(bias))
            x_z, x_r, x_h = np.split(x_t @ kernel + input_bias, 3)
            u_z, u_r, u_h = np.split(recurrent_kernel, 3, axis=-1)
            b_z, b_r, b_h = np.split(recurrent_bias, 3)
            update_gate = reference.sigmoid(x_z + hidden @ u_z + b_z)
            reset_gate = reference.sigmoid(x_r + hidden @ u_r + b_r)
            recurrent = reset_gate * (hidden @ u_h + b_h) if reset_after else (reset_gate * hidden) @ u_h
            candidate = np.tanh(x_h + recurrent)
            step |= {"update_gate": update_gate, "reset_gate": reset_gate, "candidate": candidate}
            step |= {"kept": update_gate * hidden, "written": (1 - update_gate) * candidate}
            hidden = reference.gru_step(x_t, hidden, kernel, recurrent_kernel, bias, reset_after=reset_after)
            step["hidden_state"] = hidden
            np.testing.assert_allclose(step["kept"] + step["written"], hidden, rtol=0, atol=SUM_ORDER)
        steps.append(step)
    return steps


SET_FORM = """(values) => {
    const form = document.querySelector("[data-step-through] form");
    for (const [name, value] of Object.entries(values)) {
      form.elements[name].value = value;
      // A select silently takes no option for a value it lacks: fail instead.
      if (form.elements[name].value !== value) throw new Error(`no ${name} ${value}`);
    }
    form.dispatchEvent(new Event("change", { bubbles: true }));
  }"""

READ_EVERY_TIMESTEP = """() => {
    const container = document.querySelector("[data-step-through]");
    const slider = container.querySelector("input[name=timestep]");
    const timesteps = [];
    for (let t = 1; t <= Number(slider.max); t += 1) {
      slider.value = String(t);
      slider.dispatchEvent(new Event("input", { bubbles: true }));
      const numbers = [...container.querySelectorAll("[data-quantity]")]
        .filter((node) => !node.closest("[hidden]"))
        .map((node) => ({
          where: node.closest("svg") ? "diagram" : node.closest("[data-current]") ? "step" : "history",
          quantity: node.dataset.quantity,
          unit: Number(node.dataset.unit),
          timestep: Number(node.dataset.timestep || t),
          text: node.textContent,
        }));
      timesteps.push({ position: container.querySelector("[data-position]").textContent, numbers });
    }
    return { state: container.dataset.state, timesteps };
  }"""


def set_form(page, setting: Setting) -> dict:
    """Set the form to ``setting`` in one round trip; return every number shown at every timestep."""
    page.evaluate(
        SET_FORM,
        {"layer": setting.layer, "units": str(setting.units), "sequence": setting.sequence,
         "forget_bias": setting.forget_bias},
    )  # fmt: skip
    return page.evaluate(READ_EVERY_TIMESTEP)


def value_of(text: str) -> float:
    assert SHOWN.match(text), f"{text!r} is not a number with {SHOWN_DIGITS} decimals"
    assert text != f"{MINUS}0.000", "a value that rounds to zero is shown as 0.000"
    return float(text.replace(MINUS, "-"))


@pytest.fixture(scope="module")
def stepper(browser, site_url):
    """One tab on the page, reused by every setting; it records page errors."""
    watched = Watched(browser)
    page = watched.open(site_url + page_url(PAGE))
    page.locator("[data-step-through][data-state='ready']").wait_for()
    page.problems = watched.problems
    yield page
    watched.close()


def test_the_weights_are_those_of_new_keras_layers():
    """The stored weights are what Keras's default initializers give, with the page's seed."""
    assert initial_weights() == stored_weights()


def test_the_page_computes_with_the_stored_weights(built_site):
    html = built_file(built_site, PAGE).read_text()
    found = re.findall(r"<script type=\"application/json\" data-step-through-weights>(.*?)</script>", html)
    assert len(found) == 1
    assert json.loads(found[0]) == stored_weights()


@pytest.mark.parametrize("setting", SETTINGS, ids=str)
def test_every_number_shown_is_the_references(stepper, setting):
    shown = set_form(stepper, setting)
    assert shown["state"] == "ready"
    expected = expected_steps(setting)
    assert len(shown["timesteps"]) == len(expected)
    quantities = LSTM_QUANTITIES if setting.layer == "LSTM" else GRU_QUANTITIES
    states = ("hidden_state", "cell_state") if setting.layer == "LSTM" else ("hidden_state",)
    for t, at_t in enumerate(shown["timesteps"], start=1):
        assert at_t["position"] == f"Timestep {t} of {len(expected)}"
        seen = set()
        for number in at_t["numbers"]:
            truth = expected[number["timestep"] - 1][number["quantity"]][number["unit"]]
            difference = abs(value_of(number["text"]) - truth)
            assert difference <= ROUNDING + SUM_ORDER, (t, number, truth)
            seen.add((number["where"], number["quantity"], number["unit"], number["timestep"]))
        # Every quantity of the step is shown, for every unit: in the diagram, in the step's table,
        # and every state of every timestep so far in the history.
        units = range(setting.units)
        wanted = {("diagram", "x", 0, t), ("step", "x", 0, t)}
        wanted |= {
            (where, name, unit, t) for where in ("diagram", "step") for name in quantities for unit in units
        }
        wanted |= {("history", "x", 0, s) for s in range(1, t + 1)}
        wanted |= {("history", name, unit, s) for name in states for unit in units for s in range(1, t + 1)}
        assert seen == wanted
    assert not stepper.problems


def cell_states_after_a_pulse(units: int, forget_bias: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Kept, written and the cell state at every timestep of the pulse, for the page's LSTM."""
    steps = expected_steps(Setting("LSTM", units, SEQUENCES["pulse"], forget_bias))
    return tuple(np.array([step[name] for step in steps]) for name in ("kept", "written", "cell_state"))


def test_what_the_page_says_to_look_for_after_a_pulse():
    """The page's prose on the pulse, checked on the page's layers (the reference gives the numbers the
    page shows): with 1 or 2 units and a forget bias of 1 or 3, kept outweighs written after the
    pulse and the cell state only shrinks; with a negative bias written can outweigh kept and the
    cell state changes sign; with 3 or 4 units some unit's cell state grows again."""
    for units, bias in itertools.product((1, 2), ("1", "3")):
        kept, written, cell = cell_states_after_a_pulse(units, bias)
        assert np.all(np.abs(written[1:]) < np.abs(kept[1:]))
        assert np.all(np.abs(cell[1:]) < np.abs(cell[:-1])) and np.all(np.sign(cell[1:]) == np.sign(cell[0]))
    kept, written, cell = cell_states_after_a_pulse(2, "-2")
    assert np.any(np.abs(written[1:]) > np.abs(kept[1:])) and np.any(np.sign(cell[1:]) != np.sign(cell[0]))
    for units in (3, 4):
        _, _, cell = cell_states_after_a_pulse(units, "1")
        assert np.any(np.abs(cell[2:]) > np.abs(cell[1:-1]))


def test_what_the_page_says_of_the_two_grus():
    """The page's prose on the two GRUs, on the page's weights: they agree while the previous state is
    zero; at the next step the gates still agree and the candidate can differ; after it the gates
    can differ too; with 1 unit they always agree; with one pulse and 2 units no value differs in
    the digits shown, while a steady input and the ramp with 2 to 4 units show a difference."""

    def differences(units, sequence):
        after, before = (expected_steps(Setting(layer, units, SEQUENCES[sequence])) for layer in LAYERS_GRU)
        return [
            {name: float(np.max(np.abs(step[name] - other[name]))) for name in GRU_QUANTITIES}
            for step, other in zip(after, before, strict=True)
        ]

    for units, sequence in itertools.product((1, 2, 3, 4), ("pulse", "steady", "ramp", "late")):
        steps = differences(units, sequence)
        first = 3 if sequence == "late" else 0  # the first timestep whose input is not zero
        assert all(value == 0 for step in steps[: first + 1] for value in step.values())
        assert steps[first + 1]["update_gate"] == steps[first + 1]["reset_gate"] == 0
        if units == 1:
            assert all(value < SUM_ORDER for step in steps for value in step.values())
        else:
            assert steps[first + 1]["candidate"] > SUM_ORDER
            assert max(steps[first + 2]["update_gate"], steps[first + 2]["reset_gate"]) > SUM_ORDER
    assert all(value < ROUNDING for step in differences(2, "pulse") for value in step.values())
    for units, sequence in itertools.product((2, 3, 4), ("steady", "ramp")):
        assert max(step["hidden_state"] for step in differences(units, sequence)) > 2 * ROUNDING


def keras_layer(setting: Setting):
    import keras

    kind, options = LAYERS[setting.layer]
    layer = getattr(keras.layers, kind)(setting.units, return_sequences=True, return_state=True, **options)
    built(layer, 1).set_weights([array.astype("float32") for array in setting.weights()])
    return layer


@pytest.mark.parametrize("setting", CHECKED_WITH_KERAS, ids=str)
def test_the_states_shown_are_what_keras_computes(stepper, setting):
    """The history's hidden states, and the last cell state, are those of a Keras layer with the
    page's weights, given the same sequence."""
    last = set_form(stepper, setting)["timesteps"][-1]["numbers"]
    x = np.array(setting.inputs(), "float32").reshape(1, -1, 1)
    hidden, *final = (np.asarray(output)[0] for output in keras_layer(setting)(x))
    checked = 0
    for number in last:
        if number["where"] == "history" and number["quantity"] == "hidden_state":
            truth = hidden[number["timestep"] - 1, number["unit"]]
        elif number["where"] == "step" and number["quantity"] == "cell_state":
            truth = final[1][number["unit"]]
        else:
            continue
        assert abs(value_of(number["text"]) - truth) <= ROUNDING + FLOAT32, number
        checked += 1
    assert checked == setting.units * len(setting.inputs()) + setting.units * (setting.layer == "LSTM")


@pytest.mark.parametrize(
    "field, text, message",
    [
        ("sequence", "", "The input sequence is empty"),
        ("sequence", "   ", "The input sequence is empty"),
        ("sequence", "1, two, 3", "Timestep 2 of the input must be a number, not “two”"),
        ("sequence", "NaN", "Timestep 1 of the input must be a number"),
        ("sequence", "Infinity", "Timestep 1 of the input must be a number"),
        ("sequence", "0x10", "Timestep 1 of the input must be a number"),
        ("sequence", "1e400", f"Timestep 1 of the input must lie between {MINUS}100 and 100, not “1e400”"),
        ("sequence", "1, 100.5", f"Timestep 2 of the input must lie between {MINUS}100 and 100"),
        (
            "sequence",
            ", ".join(["1"] * 13),
            "The input sequence has 13 numbers; this page steps through at most 12",
        ),
        ("sequence", "<img src=x onerror=alert(1)>", "must be a number"),
        ("sequence", "0,5, 1", "The input sequence has “0,5”: write a decimal with a point"),
        ("sequence", "1 " + "9" * 200, "Timestep 2 of the input must lie between"),
        ("forget_bias", "", "The forget gate's bias must be a number"),
        ("forget_bias", "one", "The forget gate's bias must be a number"),
        ("forget_bias", "21", f"The forget gate's bias must lie between {MINUS}20 and 20"),
    ],
)
def test_bad_input_is_named_not_computed(stepper, field, text, message):
    """Leaving a field with a wrong value says at once what is wrong, in one line that quotes at
    most the start of it, as text; a right value brings the results back."""
    set_form(stepper, SETTINGS[0])
    box = stepper.locator(f"[data-step-through] [name={field}]")
    box.fill(text)
    box.blur()
    error = stepper.locator("[data-step-through] [data-error]")
    assert error.is_visible() and message in error.inner_text()
    assert len(error.inner_text()) < 200
    assert stepper.get_attribute("[data-step-through]", "data-state") == "error"
    assert not stepper.locator("[data-step-through] [data-results]").is_visible()
    assert stepper.locator("[data-step-through] img").count() == 0  # shown as text, never as markup
    assert "NaN" not in stepper.locator("[data-step-through] [data-results]").text_content()
    stepper.locator(f"[data-step-through] [name={field}]").fill(
        SETTINGS[1].sequence if field == "sequence" else "2"
    )
    assert not error.is_visible()
    assert stepper.get_attribute("[data-step-through]", "data-state") == "ready"
    assert not stepper.problems


def test_an_error_waits_for_a_pause_and_typing_keeps_the_timestep(stepper):
    """While a number is half typed (a lone minus sign) the page says nothing until the typing
    pauses, and the reader's timestep survives the moment the input was wrong."""
    set_form(stepper, Setting("LSTM", 2, SEQUENCES["pulse"]))
    stepper.locator("[data-step-through] [name=timestep]").fill("5")
    bias = stepper.locator("[data-step-through] [name=forget_bias]")
    bias.fill("-")
    error = stepper.locator("[data-step-through] [data-error]")
    assert not error.is_visible()  # not yet: the reader may be typing
    error.wait_for(state="visible")  # after a pause
    assert "The forget gate's bias must be a number, not “-”" in error.inner_text()
    bias.fill("-2")
    assert not error.is_visible()
    assert stepper.locator("[data-position]").inner_text() == "Timestep 5 of 8"


def test_a_timestep_is_announced_after_a_button_press_only(stepper):
    """The live region speaks when a button moves the timestep (the focus stays on the button); the
    slider announces its own value, and editing the form announces nothing."""
    set_form(stepper, Setting("GRU", 3, SEQUENCES["ramp"]))
    announced = stepper.locator("[data-step-through] [data-announced]")
    before = announced.text_content()
    stepper.locator("[data-step-through] [name=timestep]").fill("3")
    assert announced.text_content() == before
    stepper.locator("[data-next]").click()
    assert announced.text_content() == "Timestep 4 of 5"
    slider = stepper.locator("[data-step-through] [name=timestep]")
    assert slider.get_attribute("aria-label") == "Timestep"
    assert slider.get_attribute("aria-valuetext") == "Timestep 4 of 5"


def test_a_preset_fills_the_sequence_and_a_typed_preset_is_named(stepper):
    form = stepper.locator("[data-step-through] form")
    form.locator("[name=preset]").select_option(label="a ramp")
    assert form.locator("[name=sequence]").input_value() == SEQUENCES["ramp"]
    assert stepper.locator("[data-position]").inner_text().endswith(" of 5")  # the timestep is kept
    form.locator("[name=sequence]").fill(SEQUENCES["steady"])
    assert form.locator("[name=preset] option:checked").inner_text() == "a steady input"
    form.locator("[name=sequence]").fill("1, 2")
    assert form.locator("[name=preset] option:checked").inner_text() == "your own sequence"
    assert stepper.locator("[data-position]").inner_text().endswith(" of 2")


def test_only_the_lstm_has_a_forget_bias_field(stepper):
    set_form(stepper, Setting("GRU", 2, SEQUENCES["pulse"]))
    assert not stepper.locator("[data-step-through] [name=forget_bias]").is_visible()
    assert not stepper.locator("[data-step-through] svg [data-node=cell_state]").count()
    set_form(stepper, Setting("LSTM", 2, SEQUENCES["pulse"]))
    assert stepper.locator("[data-step-through] [name=forget_bias]").is_visible()


FOCUSED = """() => {
    const active = document.activeElement;
    if (!active.closest("[data-step-through]")) return null;
    if (active.name) return active.name;
    if ("previous" in active.dataset || "next" in active.dataset) return Object.keys(active.dataset)[0];
    return active.classList[0];
  }"""


def test_the_page_is_stepped_with_the_keyboard_alone(browser, site_url):
    """Tab reaches every control in order; Enter and Space step on, the arrow keys move the slider,
    and the focus stays on the Next button at the last timestep."""
    from test_keyboard import focus_is_drawn

    reader = Watched(browser)
    page = reader.open(site_url + page_url(PAGE))
    page.locator("[data-step-through][data-state='ready']").wait_for()
    page.locator("[data-step-through] [name=layer]").focus()
    reached = ["layer"]
    for _ in range(12):
        page.keyboard.press("Tab")
        active = page.evaluate(FOCUSED)
        if active is None:
            break
        assert focus_is_drawn(page), active
        reached.append(active)
    # Nothing scrolls sideways on a desktop's screen: no box of the diagram or tables is a stop.
    assert reached == ["layer", "units", "preset", "sequence", "forget_bias", "previous", "timestep", "next"]

    position = page.locator("[data-position]")
    page.locator("[data-next]").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Space")
    assert position.inner_text() == "Timestep 3 of 8"
    for _ in range(8):
        page.keyboard.press("Enter")
    assert position.inner_text() == "Timestep 8 of 8"
    assert page.evaluate("document.activeElement.dataset.next") == ""
    assert page.get_attribute("[data-next]", "aria-disabled") == "true"
    page.locator("[data-step-through] [name=timestep]").focus()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert position.inner_text() == "Timestep 6 of 8"
    page.keyboard.press("Home")
    assert position.inner_text() == "Timestep 1 of 8"
    assert page.get_attribute("[data-previous]", "aria-disabled") == "true"
    assert not reader.problems
    reader.close()


def test_the_page_works_on_a_phone(browser, site_url):
    """On a phone's screen the page does not scroll sideways (the history table scrolls in its own
    box; the diagram, drawn narrow, fits), every control is large enough to tap, and a tap steps on."""
    reader = Watched(browser, viewport="phone", is_mobile=True, has_touch=True)
    page = reader.open(site_url + page_url(PAGE))
    page.locator("[data-step-through][data-state='ready']").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")
    controls = page.locator(
        "[data-step-through] select, [data-step-through] input, [data-step-through] button"
    )
    for i in range(controls.count()):
        box = controls.nth(i).bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, controls.nth(i).evaluate("e => e.outerHTML")
    page.locator("[data-next]").tap()
    page.locator("[data-next]").tap()
    assert page.locator("[data-position]").inner_text() == "Timestep 3 of 8"
    step_table = page.locator("[data-step-through] [data-current] table")
    assert step_table.locator("[data-quantity=hidden_state]").first.is_visible()
    box = step_table.bounding_box()
    assert box["x"] + box["width"] <= page.evaluate("window.innerWidth")  # the step's numbers fit the screen
    # What is wider than the screen scrolls in a box of its own, which the keyboard can reach; what
    # fits is no stop of the Tab key.
    history = page.locator("[data-step-through] .step-through__table >> nth=1")
    assert history.evaluate("e => e.scrollWidth > e.clientWidth") and history.get_attribute("tabindex") == "0"
    figure = page.locator("[data-step-through] .step-through__figure")
    assert figure.evaluate("e => e.scrollWidth <= e.clientWidth") and figure.get_attribute("tabindex") is None
    caption = page.locator("#step-through-history")
    assert caption.evaluate("e => e.scrollWidth <= e.clientWidth")  # the caption wraps, never cut off
    assert not reader.problems
    reader.close()


def test_the_page_survives_instant_navigation(browser, site_url):
    """Reached by a link (Material swaps the page in), the page is set up again and steps."""
    reader = Watched(browser)
    page = reader.open(site_url + page_url(DOCS / "gates.md"))
    for _ in range(2):
        page.locator("nav.md-nav a[href$='step-through/'] >> visible=true").first.click()
        page.wait_for_url("**/step-through/")
        page.locator("[data-step-through][data-state='ready']").wait_for()
        page.locator("[data-next]").click()
        assert page.locator("[data-position]").inner_text() == "Timestep 2 of 8"
        page.locator("nav.md-nav a[href$='gates/'] >> visible=true").first.click()
        page.wait_for_url("**/gates/")
    assert not reader.problems
    reader.close()


# A phone's screen (390 by 844, touch). The diagram is drawn narrow, its flow running downwards, at
# the width of the text and unscaled; the step buttons stay on the screen above it while the reader
# scrolls; no label is under 12 px; what scrolls sideways says so; Material's "Back to top" button
# covers no control.

PHONE_SETTINGS = [
    Setting("LSTM", 2, SEQUENCES["pulse"]),  # the page as it opens
    Setting("LSTM", 4, SEQUENCES["late"], "3"),  # the tallest diagram
    Setting("GRU", 4, SEQUENCES["ramp"]),
    Setting("GRU_reset_before", 1, SEQUENCES["steady"]),
]
SMALLEST_LEGIBLE = 12  # px, as rendered: a label's computed size times its drawing's scale
DESKTOP = {"width": 1366, "height": 800}


@pytest.fixture(scope="module")
def phone(browser, site_url):
    """One tab on the page on a phone, reused by the phone's tests; it records page errors."""
    watched = Watched(browser, viewport="phone", is_mobile=True, has_touch=True)
    page = watched.open(site_url + page_url(PAGE))
    page.locator("[data-step-through][data-state='ready']").wait_for()
    page.problems = watched.problems
    yield page
    watched.close()


def set_settings(page, setting: Setting) -> None:
    """The form set to ``setting``, at timestep 1, the page scrolled to its top."""
    page.evaluate(
        SET_FORM,
        {"layer": setting.layer, "units": str(setting.units), "sequence": setting.sequence,
         "forget_bias": setting.forget_bias},
    )  # fmt: skip
    page.locator("[data-step-through] [name=timestep]").fill("1")
    page.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")


SEEN_WHOLE = """(selector) => {
    // Inside the screen, and what a tap reaches at each corner and at the centre: nothing covers it.
    const target = document.querySelector(selector);
    const r = target.getBoundingClientRect();
    const out = (a, b) => a - b > 0.5; // beyond, by more than how a box's edge is rounded to pixels
    const beyond = out(0, r.left) || out(0, r.top) || out(r.right, innerWidth) || out(r.bottom, innerHeight);
    if (beyond) return false;
    const points = [
      [r.left + 2, r.top + 2], [r.right - 2, r.top + 2], [r.left + 2, r.bottom - 2],
      [r.right - 2, r.bottom - 2], [(r.left + r.right) / 2, (r.top + r.bottom) / 2],
    ];
    return points.every(([x, y]) => target.contains(document.elementFromPoint(x, y)));
  }"""

FIGURE = "[data-step-through] .step-through__figure"


@pytest.mark.parametrize("setting", PHONE_SETTINGS, ids=str)
def test_on_a_phone_the_figure_and_the_next_button_share_the_screen(phone, setting):
    """Having chosen the settings, the reader presses Next and scrolls to the diagram: whether it is
    brought into view from above (a swipe until its end shows), from below, or as Playwright does,
    the whole diagram and the Next button are on the screen together, neither covering the other,
    and a tap on Next steps on without moving the diagram."""
    set_settings(phone, setting)
    steps = len(setting.inputs())
    phone.locator("[data-next]").tap()
    assert phone.locator("[data-position]").inner_text() == f"Timestep 2 of {steps}"
    figure = phone.locator(FIGURE)
    placements = {
        "its end brought up to the screen's bottom": lambda: figure.evaluate(
            "e => e.scrollIntoView({block: 'end', behavior: 'instant'})"
        ),
        "its top brought to the screen's top": lambda: figure.evaluate(
            "e => e.scrollIntoView({block: 'start', behavior: 'instant'})"
        ),
        "scrolled into view by Playwright": figure.scroll_into_view_if_needed,
    }
    for timestep, (how, place) in enumerate(placements.items(), start=2):
        phone.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")
        place()
        assert phone.evaluate(SEEN_WHOLE, f"{FIGURE} svg"), how  # the drawing, not only its box
        assert phone.evaluate(SEEN_WHOLE, "[data-next]"), how
        before = figure.bounding_box()
        phone.locator("[data-next]").tap()
        assert phone.locator("[data-position]").inner_text() == f"Timestep {timestep + 1} of {steps}"
        assert figure.bounding_box() == before, how
    assert not phone.problems


SMALLEST_LABEL = """() => {
    const container = document.querySelector("[data-step-through]");
    const labels = container.querySelectorAll(
      "svg text, svg tspan, table th, table td, table span, table sub, " +
      ".step-through__caption, .step-through__caption sub, .step-through__hint"
    );
    let smallest = { size: Infinity };
    for (const label of labels) {
      if (!label.textContent.trim() || !label.getClientRects().length) continue; // not shown
      const svg = label.closest("svg");
      const matrix = svg ? svg.getScreenCTM() : null;
      const scale = matrix ? Math.hypot(matrix.a, matrix.b) : 1;
      const size = parseFloat(getComputedStyle(label).fontSize) * scale;
      if (size < smallest.size) smallest = { size, text: label.textContent, tag: label.tagName };
    }
    return smallest;
  }"""


def test_on_a_phone_no_label_is_under_12_px(phone):
    """Every label of the diagram (names, values, subscripts, notes) and of the tables, at every
    layer and size, renders at 12 px or more on the phone's screen."""
    for layer, units in itertools.product(LAYERS, UNITS):
        set_settings(phone, Setting(layer, units, SEQUENCES["pulse"]))
        smallest = phone.evaluate(SMALLEST_LABEL)
        assert smallest["size"] >= SMALLEST_LEGIBLE - 0.01, (layer, units, smallest)
    assert not phone.problems


BACK_TO_TOP = """() => {
    // Material's button, if shown: the controls of the page it covers.
    const top = document.querySelector(".md-top");
    const style = top && getComputedStyle(top);
    if (!top || top.hidden || style.display === "none" || Number(style.opacity) === 0) return null;
    const a = top.getBoundingClientRect();
    return [...document.querySelectorAll("[data-step-through] :is(select, input, button)")]
      .filter((control) => control.getClientRects().length)
      .filter((control) => {
        const b = control.getBoundingClientRect();
        return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      })
      .map((control) => control.name || control.textContent.trim());
  }"""


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_back_to_top_covers_no_control(browser, site_url, screen):
    """Scrolling up anywhere from the form to the end of the tables makes Material show its "Back to
    top" button, near the top of the screen, where the step buttons are: on this page it is left out
    on a phone, and sits in the corner beside the text on a desktop, over no control of the page."""
    options = {"is_mobile": True, "has_touch": True} if screen == "phone" else {}
    reader = Watched(browser, viewport="phone", **options)
    page = reader.open(site_url + page_url(PAGE))
    if screen == "desktop":
        page.set_viewport_size(DESKTOP)
    page.locator("[data-step-through][data-state='ready']").wait_for()
    start, end = page.evaluate(
        """() => {
          const box = document.querySelector("[data-step-through]").getBoundingClientRect();
          return [scrollY + box.top - innerHeight, scrollY + box.bottom];
        }"""
    )
    shown = 0
    for y in range(max(0, int(start)), int(end), 150):
        page.evaluate("y => window.scrollTo({top: y + 200, behavior: 'instant'})", y)
        page.wait_for_timeout(50)
        page.evaluate("y => window.scrollTo({top: y, behavior: 'instant'})", y)  # a swipe upwards
        page.wait_for_timeout(250)  # Material's button fades in
        covered = page.evaluate(BACK_TO_TOP)
        if covered is not None:
            shown += 1
            assert covered == [], (y, covered)
    if screen == "desktop":
        assert shown, "the button never showed: the test scrolled wrongly"
    assert not reader.problems
    reader.close()


SCROLL_CUE = """async (selector) => {
    const box = document.querySelector(selector);
    await Promise.all(box.parentNode.getAnimations({ subtree: true }).map((shade) => shade.finished));
    const hint = box.closest(".step-through__scroll")?.querySelector(".step-through__hint");
    return {
      scrolls: box.scrollWidth > box.clientWidth,
      hint: Boolean(hint?.getClientRects().length) && hint.textContent,
      more: box.parentNode.dataset.more,
      tabindex: box.getAttribute("tabindex"),
      shade: getComputedStyle(box.parentNode, "::after").opacity,
    };
  }"""

NEXT_FRAMES = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"

SAME_NUMBERS = """() => {
    // The diagram's numbers and the step table's (with its caption's), by quantity and unit.
    const read = (root) => Object.fromEntries([...root.querySelectorAll("[data-quantity]")]
      .map((node) => [`${node.dataset.quantity} ${node.dataset.unit}`, node.textContent]));
    const container = document.querySelector("[data-step-through]");
    const current = container.querySelector("[data-tables] [data-current]");
    return [read(container.querySelector("svg")), read(current)];
  }"""


def test_on_a_phone_what_scrolls_sideways_says_so(browser, site_url):
    """At 390 px the diagram fits the width of the text, whatever the layer and size. A box wider
    than the screen (the table of past timesteps, and the diagram on a 320 px screen, narrower than
    the narrow drawing) says so in a line above it and with a shade on each side that has more,
    and takes the focus; turned to 390 px again, the diagram fits again, with the same numbers."""
    reader = Watched(browser, viewport="phone", is_mobile=True, has_touch=True)
    page = reader.open(site_url + page_url(PAGE))
    page.locator("[data-step-through][data-state='ready']").wait_for()
    for layer in LAYERS:
        set_settings(page, Setting(layer, 4, SEQUENCES["alternating"]))
        cue = page.evaluate(SCROLL_CUE, FIGURE)
        assert not cue["scrolls"] and not cue["hint"] and not cue["more"] and cue["tabindex"] is None, layer
    history = "[data-step-through] .step-through__table[aria-labelledby=step-through-history]"
    cue = page.evaluate(SCROLL_CUE, history)
    assert cue["scrolls"] and "sideways for the rest" in cue["hint"] and cue["tabindex"] == "0"
    assert cue["more"] == "right" and cue["shade"] == "1"
    page.locator(history).evaluate("e => { e.scrollLeft = e.scrollWidth; }")
    page.wait_for_function(f"document.querySelector('{history}').parentNode.dataset.more === 'left'")

    page.set_viewport_size({"width": 320, "height": 640})
    page.wait_for_function(f"(f => f.scrollWidth > f.clientWidth)(document.querySelector('{FIGURE}'))")
    page.evaluate(NEXT_FRAMES)  # the page's resize observer has drawn the diagram again
    cue = page.evaluate(SCROLL_CUE, FIGURE)
    assert cue["hint"] and cue["more"] == "right" and cue["tabindex"] == "0"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # the page itself does not scroll
    diagram, table = page.evaluate(SAME_NUMBERS)
    assert diagram == table

    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_function(f"(f => f.scrollWidth <= f.clientWidth)(document.querySelector('{FIGURE}'))")
    page.evaluate(NEXT_FRAMES)
    cue = page.evaluate(SCROLL_CUE, FIGURE)
    assert not cue["hint"] and not cue["more"] and cue["tabindex"] is None
    diagram, table = page.evaluate(SAME_NUMBERS)
    assert diagram == table
    assert not reader.problems
    reader.close()


@pytest.mark.accessibility
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violation_on_a_phone(browser, site_url, scheme):
    """The page as a phone shows it, stepped on and scrolled to the diagram (the step buttons held
    on the screen, the table of past timesteps in a box that scrolls), audited by axe-core as
    tests/test_accessibility.py audits every page."""
    from axe import violations

    reader = Watched(browser, viewport="phone", is_mobile=True, has_touch=True, color_scheme=scheme)
    page = reader.open(site_url + page_url(PAGE))
    page.locator("[data-step-through][data-state='ready']").wait_for()
    page.locator("[data-next]").tap()
    page.locator(FIGURE).evaluate("e => e.scrollIntoView({block: 'end', behavior: 'instant'})")
    found = violations(page)
    assert not found, "\n".join(found)
    reader.close()
