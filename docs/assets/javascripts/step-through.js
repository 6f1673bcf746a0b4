// Step through a cell (step-through.md): the reader types a short sequence of numbers (or picks a
// preset), chooses an LSTM or a GRU, and steps through the timesteps; the cell diagram and the
// tables show every gate, the cell state and the hidden state at the chosen timestep. The step
// functions are a port of glossary/reference.py, line for line; the weights are those of a new
// Keras layer, which the build writes into the page (docs/plugins/step_through.py).
// tests/test_step_through.py compares every number shown with the reference and with Keras.
(() => {
  const MOST_TIMESTEPS = 12;
  const LARGEST_INPUT = 100; // far into the flat ends of sigmoid and tanh already
  const LARGEST_BIAS = 20;

  class InputError extends Error {}

  // ---------------------------------------------------------------------------------------------
  // The step functions: glossary/reference.py's, on plain arrays (a row vector is an array, a
  // matrix an array of rows), one line per equation.

  const sigmoid = (z) => 0.5 * (1 + Math.tanh(0.5 * z)); // the reference's form: exp never overflows
  const plus = (a, b) => a.map((value, i) => value + b[i]);
  const times = (a, b) => a.map((value, i) => value * b[i]);
  const matmul = (row, matrix) => matrix[0].map((_, j) => row.reduce((sum, value, i) => sum + value * matrix[i][j], 0));
  const split = (vector, parts) => {
    const size = vector.length / parts;
    return Array.from({ length: parts }, (_, k) => vector.slice(k * size, (k + 1) * size));
  };
  const splitColumns = (matrix, parts) => {
    const rows = matrix.map((row) => split(row, parts));
    return Array.from({ length: parts }, (_, k) => rows.map((row) => row[k]));
  };

  function lstmStep(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias) {
    const z = plus(plus(matmul(x_t, kernel), matmul(h_prev, recurrent_kernel)), bias); // (4 * units)
    const [z_i, z_f, z_c, z_o] = split(z, 4); // four (units) blocks

    const input_gate = z_i.map(sigmoid); // how much of the candidate to write
    const forget_gate = z_f.map(sigmoid); // how much of the old cell state to keep
    const candidate = z_c.map(Math.tanh); // the new values proposed for the cell state
    const output_gate = z_o.map(sigmoid); // how much of the cell state to expose

    const kept = times(forget_gate, c_prev); // the part of the old memory that stays
    const written = times(input_gate, candidate); // what is added to it
    const cell_state = plus(kept, written);
    const hidden_state = times(output_gate, cell_state.map(Math.tanh));
    return { input_gate, forget_gate, candidate, output_gate, kept, written, cell_state, hidden_state };
  }

  function gruStep(x_t, h_prev, kernel, recurrent_kernel, bias, reset_after) {
    const [input_bias, recurrent_bias] = reset_after ? bias : [bias, bias.map(() => 0)];
    const [x_z, x_r, x_h] = split(plus(matmul(x_t, kernel), input_bias), 3); // (units) each
    const [u_z, u_r, u_h] = splitColumns(recurrent_kernel, 3); // (units, units) each
    const [b_z, b_r, b_h] = split(recurrent_bias, 3); // (units) each

    const update_gate = plus(plus(x_z, matmul(h_prev, u_z)), b_z).map(sigmoid); // how much of the old state to keep
    const reset_gate = plus(plus(x_r, matmul(h_prev, u_r)), b_r).map(sigmoid); // how much history the candidate sees
    const candidate = reset_after // Keras's default: reset the recurrent product; else reset the state before it
      ? plus(x_h, times(reset_gate, plus(matmul(h_prev, u_h), b_h))).map(Math.tanh)
      : plus(x_h, matmul(times(reset_gate, h_prev), u_h)).map(Math.tanh);

    const kept = times(update_gate, h_prev); // the part of the old state that stays
    const written = times(update_gate.map((z) => 1 - z), candidate); // what replaces the rest
    const hidden_state = plus(kept, written);
    return { update_gate, reset_gate, candidate, kept, written, hidden_state };
  }

  // Every timestep of one sequence, from zero initial states as Keras starts: what each step read
  // (x, hidden_prev, cell_prev) and everything it computed.
  function run(settings, weights) {
    const { kernel, recurrent_kernel, bias } = weights;
    const units = recurrent_kernel.length;
    let hidden_state = new Array(units).fill(0);
    let cell_state = new Array(units).fill(0);
    return settings.sequence.map((value) => {
      const x_t = [value];
      const step =
        settings.layer === "LSTM"
          ? { x: x_t, hidden_prev: hidden_state, cell_prev: cell_state, ...lstmStep(x_t, hidden_state, cell_state, kernel, recurrent_kernel, bias) }
          : { x: x_t, hidden_prev: hidden_state, ...gruStep(x_t, hidden_state, kernel, recurrent_kernel, bias, settings.layer === "GRU") };
      hidden_state = step.hidden_state;
      cell_state = step.cell_state;
      return step;
    });
  }

  // ---------------------------------------------------------------------------------------------
  // The form

  const NUMBER = /^[+\-\u2212\u2013]?(\d+\.?\d*|\.\d+)([eE][+\-]?\d+)?$/; // − and – read as minus signs
  const QUOTED = 24; // the most of a reader's text an error message repeats

  const quoted = (text) => "“" + (text.length > QUOTED ? text.slice(0, QUOTED) + "…" : text) + "”";

  function number(text, what, largest) {
    if (!NUMBER.test(text)) throw new InputError(`${what} must be a number, not ${quoted(text)}.`);
    const value = Number(text.replace(/[\u2212\u2013]/, "-"));
    if (!(Math.abs(value) <= largest)) {
      throw new InputError(`${what} must lie between −${largest} and ${largest}, not ${quoted(text)}.`);
    }
    return value;
  }

  function read(form, stored) {
    const layer = form.elements.layer.value;
    const units = form.elements.units.value;
    const text = form.elements.sequence.value.trim();
    if (text === "") throw new InputError("The input sequence is empty: type one number per timestep, such as 1, 0, 0.");
    // "0,5" is a decimal comma, or two numbers run together: say so rather than guess.
    const decimalComma = text.match(/\d+,\d+/);
    if (decimalComma) {
      throw new InputError(
        `The input sequence has ${quoted(decimalComma[0])}: write a decimal with a point (0.5), and put a space after each comma between numbers.`
      );
    }
    const pieces = text.split(/[\s,;]+/).filter((piece) => piece !== "");
    if (pieces.length > MOST_TIMESTEPS) {
      throw new InputError(`The input sequence has ${pieces.length} numbers; this page steps through at most ${MOST_TIMESTEPS}.`);
    }
    const sequence = pieces.map((piece, i) => number(piece, `Timestep ${i + 1} of the input`, LARGEST_INPUT));
    const weights = structuredClone(stored.layers[layer][units]);
    if (layer === "LSTM") {
      const bias = number(form.elements.forget_bias.value.trim(), "The forget gate's bias", LARGEST_BIAS);
      const size = Number(units);
      for (let j = size; j < 2 * size; j += 1) weights.bias[j] = bias; // the forget block: Keras's i, f, c, o
    }
    return { layer, units: Number(units), sequence, weights };
  }

  // ---------------------------------------------------------------------------------------------
  // What is shown: each quantity's symbol, name and role in the drawing

  const SVG = "http://www.w3.org/2000/svg";
  const LAYER_NAMES = { LSTM: "LSTM", GRU: "GRU (reset_after=True)", GRU_reset_before: "GRU (reset_after=False)" };
  const QUANTITIES = {
    x: { symbol: "x_t", name: "input", kind: "input" },
    hidden_prev: { symbol: "h_{t−1}", name: "hidden state before", kind: "hidden" },
    cell_prev: { symbol: "c_{t−1}", name: "cell state before", kind: "cell" },
    forget_gate: { symbol: "f_t", name: "forget gate · σ", kind: "gate" },
    input_gate: { symbol: "i_t", name: "input gate · σ", kind: "gate" },
    output_gate: { symbol: "o_t", name: "output gate · σ", kind: "gate" },
    update_gate: { symbol: "z_t", name: "update gate · σ", kind: "gate" },
    reset_gate: { symbol: "r_t", name: "reset gate · σ", kind: "gate" },
    candidate: { symbol: "c\u0303_t", name: "candidate · tanh", kind: "candidate" },
    kept: { symbol: "f_t ⊙ c_{t−1}", name: "kept", kind: "product" },
    written: { symbol: "i_t ⊙ c\u0303_t", name: "written", kind: "product" },
    cell_state: { symbol: "c_t", name: "cell state", kind: "cell" },
    hidden_state: { symbol: "h_t", name: "hidden state", kind: "hidden" },
  };
  const GRU_SYMBOLS = {
    candidate: "h\u0303_t",
    kept: "z_t ⊙ h_{t−1}",
    written: "(1 − z_t) ⊙ h\u0303_t",
  };
  const EQUATIONS = {
    LSTM: {
      forget_gate: "σ(x_t W_f + h_{t−1} U_f + b_f)",
      input_gate: "σ(x_t W_i + h_{t−1} U_i + b_i)",
      candidate: "tanh(x_t W_c + h_{t−1} U_c + b_c)",
      output_gate: "σ(x_t W_o + h_{t−1} U_o + b_o)",
      kept: "f_t ⊙ c_{t−1}",
      written: "i_t ⊙ c\u0303_t",
      cell_state: "f_t ⊙ c_{t−1} + i_t ⊙ c\u0303_t",
      hidden_state: "o_t ⊙ tanh(c_t)",
    },
    GRU: {
      update_gate: "σ(x_t W_z + b_z + h_{t−1} U_z + b′_z)",
      reset_gate: "σ(x_t W_r + b_r + h_{t−1} U_r + b′_r)",
      candidate: "tanh(x_t W_h + b_h + r_t ⊙ (h_{t−1} U_h + b′_h))",
      kept: "z_t ⊙ h_{t−1}",
      written: "(1 − z_t) ⊙ h\u0303_t",
      hidden_state: "z_t ⊙ h_{t−1} + (1 − z_t) ⊙ h\u0303_t",
    },
    GRU_reset_before: {
      update_gate: "σ(x_t W_z + b_z + h_{t−1} U_z)",
      reset_gate: "σ(x_t W_r + b_r + h_{t−1} U_r)",
      candidate: "tanh(x_t W_h + b_h + (r_t ⊙ h_{t−1}) U_h)",
    },
  };
  const equation = (layer, name) =>
    (EQUATIONS[layer] || {})[name] || (layer === "LSTM" ? EQUATIONS.LSTM : EQUATIONS.GRU)[name];
  const symbol = (layer, name) => (layer !== "LSTM" && GRU_SYMBOLS[name]) || QUANTITIES[name].symbol;

  // Where each quantity sits in the drawing (column, row), and the arrows between them.
  const LAYOUT = {
    LSTM: {
      columns: 5,
      nodes: {
        cell_prev: [0, 0], hidden_prev: [0, 1], x: [0, 2],
        kept: [1, 0], forget_gate: [1, 1], input_gate: [1, 2],
        written: [2, 1], candidate: [2, 2],
        cell_state: [3, 0], output_gate: [3, 1],
        hidden_state: [4, 1],
      },
      gates: ["forget_gate", "input_gate", "candidate", "output_gate"],
      bus: { from: 1, to: 2, up: ["candidate", "output_gate"], right: ["forget_gate", "input_gate"] },
    },
    GRU: {
      columns: 4,
      nodes: {
        hidden_prev: [0, 0], x: [0, 1],
        kept: [1, 0], update_gate: [1, 1], reset_gate: [1, 2],
        written: [2, 1], candidate: [2, 2],
        hidden_state: [3, 0],
      },
      bus: { from: 0, to: 1, up: ["candidate"], right: ["update_gate", "reset_gate"] },
    },
  };
  const NODE_WIDTH = 130;
  const GAP_X = 26;
  const GAP_Y = 40;
  const HEAD = 42;
  const ROW = 20;
  const MARGIN = 12;
  const BAR_ZERO = 100; // where a node's bars start, from its left edge
  const BAR_LENGTH = 26; // the length of a bar for a value of 1 or more

  // "−0.000" says nothing a reader can use: a value that rounds to zero is shown as 0.000.
  const shown = (value) => {
    const fixed = value.toFixed(3);
    return fixed === "-0.000" ? "0.000" : fixed.replace("-", "\u2212");
  };

  function svgElement(tag, attributes = {}, text = null) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
    if (text !== null) node.append(richSvg(text));
    return node;
  }

  // A label such as "h_{t−1}" or "W_f" as its pieces: plain text, and subscripts ({ low: "t−1" }).
  function pieces(label) {
    const found = [];
    let last = 0;
    for (const match of label.matchAll(/_\{([^}]*)\}|_(\w)/g)) {
      if (match.index > last) found.push(label.slice(last, match.index));
      found.push({ low: match[1] ?? match[2] });
      last = match.index + match[0].length;
    }
    if (last < label.length) found.push(label.slice(last));
    return found;
  }

  // The label in SVG, its subscripts lowered with tspans (SVG has no <sub>).
  function richSvg(label) {
    const fragment = document.createDocumentFragment();
    for (const piece of pieces(label)) {
      if (typeof piece === "string") {
        fragment.append(piece);
        continue;
      }
      const low = document.createElementNS(SVG, "tspan");
      low.setAttribute("dy", "0.3em");
      low.setAttribute("font-size", "75%");
      low.textContent = piece.low;
      const back = document.createElementNS(SVG, "tspan");
      back.setAttribute("dy", "-0.3em");
      back.textContent = "\u200b";
      fragment.append(low, back);
    }
    return fragment;
  }

  // The label in HTML, with <sub>.
  function richHtml(label) {
    const fragment = document.createDocumentFragment();
    for (const piece of pieces(label)) fragment.append(typeof piece === "string" ? piece : el("sub", {}, piece.low));
    return fragment;
  }

  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
    for (const child of children) node.append(child);
    return node;
  }

  // The diagram of one layer at one size; its numbers are filled in by `show`.
  function draw(settings) {
    const family = settings.layer === "LSTM" ? "LSTM" : "GRU";
    const layout = LAYOUT[family];
    const height = HEAD + settings.units * ROW + 8;
    const left = (column) => MARGIN + column * (NODE_WIDTH + GAP_X);
    const top = (row) => MARGIN + row * (height + GAP_Y);
    const middle = (row) => top(row) + height / 2;
    const centre = (column) => left(column) + NODE_WIDTH / 2;
    const width = left(layout.columns) - GAP_X + MARGIN + 56;
    const busY = top(3) - GAP_Y + 22;
    const svg = svgElement("svg", {
      viewBox: `0 0 ${width} ${busY + 16}`,
      class: "step-through__diagram",
      role: "img",
      "aria-labelledby": "step-through-diagram-title",
      "aria-describedby": "step-through-diagram-description",
    });
    svg.append(
      svgElement("title", { id: "step-through-diagram-title" }),
      svgElement("desc", { id: "step-through-diagram-description" })
    );
    svg.querySelector("title").textContent = `One ${LAYER_NAMES[settings.layer]} cell at the chosen timestep`;
    svg.querySelector("desc").textContent =
      "Each box is one quantity of the step, with one row per unit: its value, and a bar for its sign and size " +
      "(a value of 1 or more fills the bar). The arrows show what each is computed from. The table below the " +
      "figure holds the same numbers.";
    const defs = svgElement("defs");
    const marker = svgElement("marker", {
      id: "step-through-arrow", viewBox: "0 0 10 10", refX: 9, refY: 5,
      markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse",
    });
    marker.append(svgElement("path", { d: "M 0 0 L 10 5 L 0 10 z", class: "step-through__arrowhead" }));
    defs.append(marker);
    svg.append(defs);

    const arrows = svgElement("g", { class: "step-through__arrows" });
    const line = (points, arrow = true) =>
      arrows.append(
        svgElement("polyline", {
          points: points.map((point) => point.join(",")).join(" "),
          ...(arrow ? { "marker-end": "url(#step-through-arrow)" } : {}),
        })
      );
    const at = (name) => layout.nodes[name];
    const rightOf = (name) => [left(at(name)[0]) + NODE_WIDTH, middle(at(name)[1])];
    const leftOf = (name) => [left(at(name)[0]), middle(at(name)[1])];
    const topOf = (name) => [centre(at(name)[0]), top(at(name)[1])];
    const bottomOf = (name) => [centre(at(name)[0]), top(at(name)[1]) + height];

    // The inputs of the step join on one line that every gate reads.
    const busX = left(1) - GAP_X / 2;
    line([rightOf("hidden_prev"), [busX, middle(at("hidden_prev")[1])]], false);
    line([rightOf("x"), [busX, middle(at("x")[1])]], false);
    line([[busX, middle(layout.bus.from)], [busX, busY], [centre(at(layout.bus.up.at(-1))[0]), busY]], false);
    for (const name of layout.bus.right) line([[busX, middle(at(name)[1])], leftOf(name)]);
    for (const name of layout.bus.up) line([[centre(at(name)[0]), busY], bottomOf(name)]);
    arrows.append(svgElement("circle", { cx: busX, cy: middle(layout.bus.from), r: 3.5, class: "step-through__joint" }));

    const plusX = centre(2);
    const stateRow = middle(0);
    const operation = (x, y, sign) => {
      arrows.append(svgElement("circle", { cx: x, cy: y, r: 11, class: "step-through__operation" }));
      arrows.append(svgElement("text", { x, y: y + 5, "text-anchor": "middle", class: "step-through__sign" }, sign));
    };
    if (family === "LSTM") {
      line([rightOf("cell_prev"), leftOf("kept")]);
      line([topOf("forget_gate"), bottomOf("kept")]);
      line([rightOf("input_gate"), [left(2) - GAP_X / 2, middle(2)], [left(2) - GAP_X / 2, middle(1) + 12], [left(2), middle(1) + 12]]);
      line([topOf("candidate"), bottomOf("written")]);
      line([rightOf("kept"), [plusX - 11, stateRow]]);
      line([topOf("written"), [plusX, stateRow + 11]]);
      line([[plusX + 11, stateRow], leftOf("cell_state")]);
      operation(plusX, stateRow, "+");
      const tap = centre(4);
      line([rightOf("cell_state"), [tap, stateRow], topOf("hidden_state")]);
      arrows.append(svgElement("text", { x: tap + 6, y: stateRow + height / 2 + 20, class: "step-through__note" }, "tanh"));
      line([rightOf("output_gate"), leftOf("hidden_state")]);
      line([[tap, stateRow], [width - 6, stateRow]]);
      arrows.append(svgElement("text", { x: width - 8, y: stateRow - 8, "text-anchor": "end", class: "step-through__note" }, "c_t"));
      line([rightOf("hidden_state"), [width - 6, middle(1)]]);
      arrows.append(svgElement("text", { x: width - 8, y: middle(1) - 8, "text-anchor": "end", class: "step-through__note" }, "h_t"));
    } else {
      line([rightOf("hidden_prev"), leftOf("kept")]);
      line([topOf("update_gate"), bottomOf("kept")]);
      line([rightOf("update_gate"), leftOf("written")]);
      line([rightOf("reset_gate"), leftOf("candidate")]);
      line([topOf("candidate"), bottomOf("written")]);
      line([rightOf("kept"), [plusX - 11, stateRow]]);
      line([topOf("written"), [plusX, stateRow + 11]]);
      line([[plusX + 11, stateRow], leftOf("hidden_state")]);
      operation(plusX, stateRow, "+");
      line([rightOf("hidden_state"), [width - 6, stateRow]]);
      arrows.append(svgElement("text", { x: width - 8, y: stateRow - 8, "text-anchor": "end", class: "step-through__note" }, "h_t"));
    }
    svg.append(arrows);

    for (const [name, [column, row]] of Object.entries(layout.nodes)) {
      const quantity = QUANTITIES[name];
      const group = svgElement("g", { class: `step-through__node step-through__node--${quantity.kind}`, "data-node": name });
      const x = left(column);
      const y = top(row);
      group.append(svgElement("rect", { x, y, width: NODE_WIDTH, height, rx: 6, class: "step-through__frame" }));
      group.append(svgElement("text", { x: x + 8, y: y + 17, class: "step-through__symbol" }, symbol(settings.layer, name)));
      group.append(svgElement("text", { x: x + 8, y: y + 32, class: "step-through__name" }, quantity.name));
      const rows = name === "x" ? 1 : settings.units;
      for (let unit = 0; unit < rows; unit += 1) {
        const baseline = y + HEAD + unit * ROW + 12;
        group.append(svgElement("line", { x1: x + BAR_ZERO, x2: x + BAR_ZERO, y1: baseline - 13, y2: baseline + 3, class: "step-through__axis" }));
        group.append(svgElement("rect", { x: x + BAR_ZERO, y: baseline - 11, width: 0, height: 12, class: "step-through__bar", "data-bar": unit }));
        group.append(svgElement("text", { x: x + 66, y: baseline, "text-anchor": "end", class: "step-through__value", "data-quantity": name, "data-unit": unit }));
      }
      svg.append(group);
    }
    return svg;
  }

  // ---------------------------------------------------------------------------------------------
  // Filling in one timestep

  function quantitiesOf(layer) {
    return layer === "LSTM"
      ? ["hidden_prev", "cell_prev", "forget_gate", "input_gate", "candidate", "output_gate", "kept", "written", "cell_state", "hidden_state"]
      : ["hidden_prev", "update_gate", "reset_gate", "candidate", "kept", "written", "hidden_state"];
  }

  // How the step's table says where a quantity comes from: its equation, or for the states it
  // reads, where they come from.
  function source(layer, name) {
    if (name.endsWith("_prev")) {
      const state = name === "hidden_prev" ? "h_t" : "c_t";
      return richHtml(`zero at the first step, then the ${state} of the step before`);
    }
    const written = equation(layer, name);
    return written === symbol(layer, name) ? null : richHtml(`= ${written}`);
  }

  // A table in a box of its own that scrolls sideways where the screen is narrower than the table,
  // reachable with the keyboard; its caption stays outside the box, readable on any screen.
  function scrolling(id, caption, table, attributes = {}) {
    table.setAttribute("aria-labelledby", id);
    return el(
      "div",
      attributes,
      el("p", { class: "step-through__caption", id }, ...caption),
      el("div", { class: "step-through__table", role: "region", "aria-labelledby": id }, table)
    );
  }

  function stepTable(settings) {
    const units = Array.from({ length: settings.units }, (_, unit) => el("th", { scope: "col" }, `unit ${unit + 1}`));
    const rows = quantitiesOf(settings.layer).map((name) => {
      const heading = el("th", { scope: "row" }, richHtml(symbol(settings.layer, name)), el("span", { class: "step-through__row-name" }, ` ${QUANTITIES[name].name.split(" · ")[0]}`));
      const from = source(settings.layer, name);
      if (from) heading.append(el("span", { class: "step-through__equation" }, from));
      return el("tr", {}, heading, ...Array.from({ length: settings.units }, (_, unit) => el("td", { "data-quantity": name, "data-unit": unit })));
    });
    const table = el(
      "table",
      {},
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Quantity"), ...units)),
      el("tbody", {}, ...rows)
    );
    return scrolling("step-through-step", [el("span", { "data-caption": "" })], table, { "data-current": "" });
  }

  function historyTable(settings, steps) {
    const states = settings.layer === "LSTM" ? ["hidden_state", "cell_state"] : ["hidden_state"];
    const top = [el("th", { scope: "col", rowspan: "2" }, "t"), el("th", { scope: "col", rowspan: "2" }, richHtml("x_t"))];
    const units = [];
    for (const name of states) {
      top.push(el("th", { scope: "colgroup", colspan: String(settings.units) }, richHtml(QUANTITIES[name].symbol), ` ${QUANTITIES[name].name}`));
      for (let unit = 0; unit < settings.units; unit += 1) units.push(el("th", { scope: "col" }, `unit ${unit + 1}`));
    }
    const rows = steps.map((step, index) => {
      const cells = [el("th", { scope: "row" }, String(index + 1)), el("td", { "data-quantity": "x", "data-unit": 0, "data-timestep": index + 1 }, shown(step.x[0]))];
      for (const name of states) {
        for (let unit = 0; unit < settings.units; unit += 1) {
          cells.push(el("td", { "data-quantity": name, "data-unit": unit, "data-timestep": index + 1 }, shown(step[name][unit])));
        }
      }
      return el("tr", { "data-row": index + 1 }, ...cells);
    });
    const table = el("table", {}, el("thead", {}, el("tr", {}, ...top), el("tr", {}, ...units)), el("tbody", {}, ...rows));
    return scrolling("step-through-history", ["Every timestep so far: the input and the state the layer passes on"], table);
  }

  function show(container, settings, steps, timestep) {
    const step = steps[timestep - 1];
    container.dataset.timestep = String(timestep);
    for (const node of container.querySelectorAll("[data-current] [data-quantity]")) {
      const value = step[node.dataset.quantity][Number(node.dataset.unit)];
      node.textContent = shown(value);
      const bar = node.parentNode.querySelector(`[data-bar="${node.dataset.unit}"]`);
      if (bar) {
        const length = Math.min(1, Math.abs(value)) * BAR_LENGTH; // gates and tanh lie in (−1, 1); a larger state fills its bar
        bar.setAttribute("width", String(length));
        bar.setAttribute("x", String(Number(bar.previousSibling.getAttribute("x1")) - (value < 0 ? length : 0)));
        bar.classList.toggle("step-through__bar--negative", value < 0);
      }
    }
    for (const row of container.querySelectorAll("[data-row]")) {
      const index = Number(row.dataset.row);
      row.hidden = index > timestep;
      row.classList.toggle("step-through__now", index === timestep);
    }
    const slider = container.querySelector("input[name=timestep]");
    slider.value = String(timestep);
    const position = `Timestep ${timestep} of ${steps.length}`;
    slider.setAttribute("aria-valuetext", position);
    container.querySelector("[data-position]").textContent = position;
    container.querySelector("[data-caption]").replaceChildren(
      `${position} of the ${LAYER_NAMES[settings.layer]}: the input `,
      richHtml("x_t"),
      " is ",
      el("span", { "data-quantity": "x", "data-unit": 0 }, shown(step.x[0]))
    );
    // aria-disabled, not disabled: a disabled button loses the focus, and a reader who steps on
    // with the keyboard would be thrown back to the top of the page at the last timestep.
    container.querySelector("[data-previous]").setAttribute("aria-disabled", String(timestep === 1));
    container.querySelector("[data-next]").setAttribute("aria-disabled", String(timestep === steps.length));
  }

  const ERROR_DELAY = 800; // ms: an error waits for a pause in the typing, or for the field to be left

  // The diagram and the tables scroll sideways in boxes of their own where the screen is narrower
  // than they are; only then is a box a stop of the Tab key (a reader on the keyboard scrolls it
  // with the arrow keys).
  function focusableWhereScrolling(container) {
    for (const box of container.querySelectorAll(".step-through__figure, .step-through__table")) {
      if (box.scrollWidth > box.clientWidth) box.setAttribute("tabindex", "0");
      else box.removeAttribute("tabindex");
    }
  }

  function setUp(container) {
    const form = container.querySelector("form");
    const stored = JSON.parse(document.querySelector("[data-step-through-weights]").textContent);
    const error = container.querySelector("[data-error]");
    const results = container.querySelector("[data-results]");
    const slider = container.querySelector("input[name=timestep]");
    const announced = container.querySelector("[data-announced]");
    let current = null;
    let timestep = 1; // kept while the input is wrong, so that a half-typed number does not lose it
    let pendingError = null;

    const showError = (message) => {
      clearTimeout(pendingError);
      pendingError = null;
      if (error.textContent !== message) error.textContent = message; // an alert is read once per message
      error.hidden = false;
    };
    const compute = ({ typing = false } = {}) => {
      form.querySelector("[data-only='LSTM']").hidden = form.elements.layer.value !== "LSTM";
      let settings;
      try {
        settings = read(form, stored);
      } catch (problem) {
        if (!(problem instanceof InputError)) throw problem;
        results.hidden = true;
        container.dataset.state = "error";
        current = null;
        clearTimeout(pendingError);
        if (typing) pendingError = setTimeout(() => showError(problem.message), ERROR_DELAY);
        else showError(problem.message);
        return;
      }
      clearTimeout(pendingError);
      pendingError = null;
      const steps = run(settings, settings.weights);
      timestep = Math.min(timestep, steps.length);
      error.hidden = true;
      error.textContent = "";
      slider.max = String(steps.length);
      const figure = el("div", { class: "step-through__figure", "data-current": "", role: "group", "aria-label": `Cell diagram of the ${LAYER_NAMES[settings.layer]}` }, draw(settings));
      container.querySelector("[data-diagram]").replaceChildren(figure);
      container.querySelector("[data-tables]").replaceChildren(stepTable(settings), historyTable(settings, steps));
      results.hidden = false;
      current = { settings, steps };
      show(container, settings, steps, timestep);
      focusableWhereScrolling(container);
      container.dataset.state = "ready";
    };
    const go = (wanted, { announce = false } = {}) => {
      if (!current) return;
      timestep = Math.max(1, Math.min(current.steps.length, wanted));
      show(container, current.settings, current.steps, timestep);
      // The slider speaks for itself; a button press, which leaves the focus on the button, is told.
      if (announce) announced.textContent = `Timestep ${timestep} of ${current.steps.length}`;
    };

    // A preset fills in the sequence; a sequence typed by hand selects the preset it equals, if any.
    const edited = (event) => {
      if (event.target === form.elements.preset) {
        if (form.elements.preset.value) form.elements.sequence.value = form.elements.preset.value;
      } else {
        const typed = form.elements.sequence.value.trim();
        const preset = [...form.elements.preset.options].find((option) => option.value === typed);
        form.elements.preset.value = preset ? preset.value : "";
      }
      compute({ typing: event.target.type === "text" });
    };
    form.addEventListener("submit", (event) => event.preventDefault());
    // Every edit recomputes as it happens ("input"). Leaving a text field ("change") only says at
    // once what is wrong with it; a change sent to the form as a whole recomputes.
    form.addEventListener("input", edited);
    form.addEventListener("change", (event) => {
      if (event.target === form) edited(event);
      else if (event.target.type === "text" && pendingError) compute();
    });
    slider.addEventListener("input", () => go(Number(slider.value)));
    container.querySelector("[data-previous]").addEventListener("click", () => go(timestep - 1, { announce: true }));
    container.querySelector("[data-next]").addEventListener("click", () => go(timestep + 1, { announce: true }));
    window.addEventListener("resize", () => focusableWhereScrolling(container));
    compute();
  }

  document$.subscribe(() => {
    const container = document.querySelector("[data-step-through]");
    if (container && !container.dataset.state) setUp(container);
  });
})();
