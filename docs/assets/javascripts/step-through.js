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
  // The same cell is drawn in two ways. Wide: the flow runs left to right, as on the gates page,
  // and the drawing is scaled to the width of the text. Narrow, on a phone: the same drawing turned
  // a quarter (the flow runs top to bottom, the rows become columns), drawn at the width of the
  // screen without scaling, so that every label keeps its size (12 px or more) and the whole cell
  // fits one screen beside the step buttons. Sizes are in the drawing's units: CSS px in the
  // narrow drawing, which is never scaled.
  const WIDE_FROM = 620; // px of width from which the wide drawing is used; below, it would shrink its labels to 8 px
  const NARROW_WIDTH = { least: 300, most: 460 }; // narrower than 300 px, the narrow drawing scrolls sideways
  const DRAWINGS = {
    wide: {
      flowMargin: 12, acrossMargin: 12, flowGap: 26, acrossGap: 40, bus: 22, acrossEnd: 16, out: 56,
      head: 42, row: 20, foot: 8, inset: 8, symbolAt: 17, nameAt: 32, valueAt: 66, barHeight: 12,
    },
    narrow: {
      flowMargin: 6, acrossMargin: 3, flowGap: 26, acrossGap: 10, bus: 8, acrossEnd: 5, out: 30,
      head: 35, row: 17, foot: 5, inset: 6, symbolAt: 17, nameAt: 31, valueAt: 56, barHeight: 10,
    },
  };
  const NODE_WIDTH = 130; // the wide drawing's; the narrow one's share the screen's width
  const BAR_LENGTH = 26; // the length of a bar for a value of 1 or more (shorter in a narrow node)
  const FULL_NAMES_FROM = 134; // a narrow drawing's node narrower than this names its quantity in short
  const SHORT_NAMES = {
    hidden_prev: "hidden state",
    cell_prev: "cell state",
    forget_gate: "forget · σ",
    input_gate: "input · σ",
    output_gate: "output · σ",
    update_gate: "update · σ",
    reset_gate: "reset · σ",
    candidate: "candidate",
  };
  const SHORT_SYMBOLS = { written: "(1−z_t)⊙h\u0303_t" }; // the GRU's, without its spaces

  // Which drawing suits a box of this width, and at what size.
  function drawingFor(available) {
    if (available >= WIDE_FROM) return { kind: "wide", width: null };
    return { kind: "narrow", width: Math.round(Math.max(NARROW_WIDTH.least, Math.min(NARROW_WIDTH.most, available))) };
  }

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
      low.setAttribute("class", "step-through__low"); // three quarters of the label's size, and 12 px at least
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

  // The diagram of one layer at one size, in the drawing `drawingFor` chose; its numbers are filled
  // in by `show`. The arrows are laid out once, in the drawing's own directions: along the flow
  // (the columns of LAYOUT) and across it (its rows); the wide drawing puts the flow on x, the
  // narrow one on y.
  function draw(settings, drawing) {
    const family = settings.layer === "LSTM" ? "LSTM" : "GRU";
    const layout = LAYOUT[family];
    const narrow = drawing.kind === "narrow";
    const size = DRAWINGS[drawing.kind];
    const nodeWidth = narrow
      ? Math.floor((drawing.width - size.acrossMargin - 2 * size.acrossGap - size.bus - size.acrossEnd) / 3)
      : NODE_WIDTH;
    const nodeHeight = size.head + settings.units * size.row + size.foot;
    const barLength = Math.min(BAR_LENGTH, Math.floor((nodeWidth - size.valueAt - 8) / 2));
    const barZero = narrow ? nodeWidth - 4 - barLength : 100;
    const length = narrow ? nodeHeight : nodeWidth; // a node's extent along the flow
    const breadth = narrow ? nodeWidth : nodeHeight; // and across it
    const left = (column) => size.flowMargin + column * (length + size.flowGap); // along the flow
    const top = (row) => size.acrossMargin + row * (breadth + size.acrossGap); // across it
    const middle = (row) => top(row) + breadth / 2;
    const centre = (column) => left(column) + length / 2;
    const flowEnd = left(layout.columns) - size.flowGap + size.flowMargin + size.out;
    const busY = top(3) - size.acrossGap + size.bus;
    const acrossEnd = busY + size.acrossEnd;
    // A point given along and across the flow, on the page.
    const at = ([along, across]) => (narrow ? [across, along] : [along, across]);
    const [width, height] = at([flowEnd, acrossEnd]);
    const svg = svgElement("svg", {
      viewBox: `0 0 ${width} ${height}`,
      ...(narrow ? { width, height } : {}),
      class: `step-through__diagram step-through__diagram--${drawing.kind}`,
      role: "img",
      "aria-labelledby": "step-through-diagram-title",
      "aria-describedby": "step-through-diagram-description",
      "data-bar-length": barLength,
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
          points: points.map((point) => at(point).join(",")).join(" "),
          ...(arrow ? { "marker-end": "url(#step-through-arrow)" } : {}),
        })
      );
    // A note beside a line: `wide` and `narrow` place it, on the page, for each drawing.
    const note = (text, wide, narrowPlace) => {
      const [x, y, anchor] = narrow ? narrowPlace : wide;
      arrows.append(svgElement("text", { x, y, "text-anchor": anchor, class: "step-through__note" }, text));
    };
    const place = (name) => layout.nodes[name];
    const rightOf = (name) => [left(place(name)[0]) + length, middle(place(name)[1])];
    const leftOf = (name) => [left(place(name)[0]), middle(place(name)[1])];
    const topOf = (name) => [centre(place(name)[0]), top(place(name)[1])];
    const bottomOf = (name) => [centre(place(name)[0]), top(place(name)[1]) + breadth];

    // The inputs of the step join on one line that every gate reads.
    const busX = left(1) - size.flowGap / 2;
    line([rightOf("hidden_prev"), [busX, middle(place("hidden_prev")[1])]], false);
    line([rightOf("x"), [busX, middle(place("x")[1])]], false);
    line([[busX, middle(layout.bus.from)], [busX, busY], [centre(place(layout.bus.up.at(-1))[0]), busY]], false);
    for (const name of layout.bus.right) line([[busX, middle(place(name)[1])], leftOf(name)]);
    for (const name of layout.bus.up) line([[centre(place(name)[0]), busY], bottomOf(name)]);
    const [jointX, jointY] = at([busX, middle(layout.bus.from)]);
    arrows.append(svgElement("circle", { cx: jointX, cy: jointY, r: 3.5, class: "step-through__joint" }));

    const plusX = centre(2);
    const stateRow = middle(0);
    const operation = (along, across, sign) => {
      const [x, y] = at([along, across]);
      arrows.append(svgElement("circle", { cx: x, cy: y, r: 11, class: "step-through__operation" }));
      arrows.append(svgElement("text", { x, y: y + 5, "text-anchor": "middle", class: "step-through__sign" }, sign));
    };
    // Where a state leaves the cell, and its name there.
    const out = (from, across, name) => {
      line([from, [flowEnd - 6, across]]);
      note(name, [flowEnd - 8, across - 8, "end"], [across + 7, flowEnd - 8, "start"]);
    };
    if (family === "LSTM") {
      line([rightOf("cell_prev"), leftOf("kept")]);
      line([topOf("forget_gate"), bottomOf("kept")]);
      line([rightOf("input_gate"), [left(2) - size.flowGap / 2, middle(2)], [left(2) - size.flowGap / 2, middle(1) + 12], [left(2), middle(1) + 12]]);
      line([topOf("candidate"), bottomOf("written")]);
      line([rightOf("kept"), [plusX - 11, stateRow]]);
      line([topOf("written"), [plusX, stateRow + 11]]);
      line([[plusX + 11, stateRow], leftOf("cell_state")]);
      operation(plusX, stateRow, "+");
      const tap = centre(4);
      line([rightOf("cell_state"), [tap, stateRow], topOf("hidden_state")]);
      note("tanh", [tap + 6, stateRow + nodeHeight / 2 + 20, "start"], [stateRow + 8, tap - 6, "start"]);
      line([rightOf("output_gate"), leftOf("hidden_state")]);
      out([tap, stateRow], stateRow, "c_t");
      out(rightOf("hidden_state"), middle(1), "h_t");
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
      out(rightOf("hidden_state"), stateRow, "h_t");
    }
    svg.append(arrows);

    const fullNames = !narrow || nodeWidth >= FULL_NAMES_FROM;
    for (const [name, [column, row]] of Object.entries(layout.nodes)) {
      const quantity = QUANTITIES[name];
      const group = svgElement("g", { class: `step-through__node step-through__node--${quantity.kind}`, "data-node": name });
      const [x, y] = at([left(column), top(row)]);
      const shownSymbol = (!fullNames && settings.layer !== "LSTM" && SHORT_SYMBOLS[name]) || symbol(settings.layer, name);
      group.append(svgElement("rect", { x, y, width: nodeWidth, height: nodeHeight, rx: 6, class: "step-through__frame" }));
      group.append(svgElement("text", { x: x + size.inset, y: y + size.symbolAt, class: "step-through__symbol" }, shownSymbol));
      group.append(
        svgElement("text", { x: x + size.inset, y: y + size.nameAt, class: "step-through__name" }, (!fullNames && SHORT_NAMES[name]) || quantity.name)
      );
      const rows = name === "x" ? 1 : settings.units;
      for (let unit = 0; unit < rows; unit += 1) {
        const baseline = y + size.head + unit * size.row + 12;
        const bar = size.barHeight;
        group.append(svgElement("line", { x1: x + barZero, x2: x + barZero, y1: baseline - bar - 1, y2: baseline + 3, class: "step-through__axis" }));
        group.append(svgElement("rect", { x: x + barZero, y: baseline + 1 - bar, width: 0, height: bar, class: "step-through__bar", "data-bar": unit }));
        group.append(svgElement("text", { x: x + size.valueAt, y: baseline, "text-anchor": "end", class: "step-through__value", "data-quantity": name, "data-unit": unit }));
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

  // A box that scrolls sideways where the screen is narrower than what it holds: above it, a line
  // that says so (as the site's other wide tables do), and a shade on each side that has more to
  // show; `scrollCues` shows them where the box scrolls, and makes it a stop of the Tab key.
  function scrollBox(id, box, what) {
    return el(
      "div",
      { class: "step-through__scroll" },
      el(
        "p",
        { class: "step-through__hint", id: `${id}-hint`, hidden: "" },
        `Wider than the screen: scroll the ${what} sideways for the rest`,
        el("span", { "aria-hidden": "true" }, " →")
      ),
      el("div", { class: "step-through__shade" }, box)
    );
  }

  // A table in a box of its own that scrolls sideways where the screen is narrower than the table,
  // reachable with the keyboard; its caption stays outside the box, readable on any screen.
  function scrolling(id, caption, table, attributes = {}) {
    table.setAttribute("aria-labelledby", id);
    return el(
      "div",
      attributes,
      el("p", { class: "step-through__caption", id }, ...caption),
      scrollBox(id, el("div", { class: "step-through__table", role: "region", "aria-labelledby": id }, table), "table")
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
        const full = Number(node.closest("svg").dataset.barLength);
        const length = Math.min(1, Math.abs(value)) * full; // gates and tanh lie in (−1, 1); a larger state fills its bar
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
  // with the arrow keys), described by the line above it that says it scrolls, and shaded on each
  // side that has more to show.
  const SCROLLERS = ".step-through__figure, .step-through__table";

  function shade(box) {
    const more = [];
    if (box.scrollLeft > 1) more.push("left");
    if (box.scrollLeft + box.clientWidth < box.scrollWidth - 1) more.push("right");
    box.parentNode.dataset.more = more.join(" ");
  }

  function scrollCues(container) {
    // How tall the step buttons are, for what stops below them when they stay on the screen.
    const controls = container.querySelector(".step-through__controls").offsetHeight;
    container.style.setProperty("--step-through-controls", `${controls}px`);
    for (const box of container.querySelectorAll(SCROLLERS)) {
      const hint = box.closest(".step-through__scroll").querySelector(".step-through__hint");
      const scrolls = box.scrollWidth > box.clientWidth;
      if (scrolls) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("aria-describedby", hint.id);
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("aria-describedby");
      }
      hint.hidden = !scrolls;
      shade(box);
    }
  }

  function setUp(container) {
    const form = container.querySelector("form");
    const stored = JSON.parse(document.querySelector("[data-step-through-weights]").textContent);
    const error = container.querySelector("[data-error]");
    const results = container.querySelector("[data-results]");
    const slider = container.querySelector("input[name=timestep]");
    const announced = container.querySelector("[data-announced]");
    const diagram = container.querySelector("[data-diagram]");
    let current = null;
    let timestep = 1; // kept while the input is wrong, so that a half-typed number does not lose it
    let pendingError = null;
    let drawn = null; // the drawing the diagram is in, for the width it was drawn for

    // The diagram in the drawing that suits its box: wide, or on a narrow screen narrow, with the
    // step buttons kept on the screen above it (data-layout, in widgets.css).
    const drawDiagram = () => {
      drawn = drawingFor(diagram.clientWidth);
      container.dataset.layout = drawn.kind;
      const figure = el(
        "div",
        { class: "step-through__figure", "data-current": "", role: "group", "aria-label": `Cell diagram of the ${LAYER_NAMES[current.settings.layer]}` },
        draw(current.settings, drawn)
      );
      diagram.replaceChildren(scrollBox("step-through-diagram", figure, "diagram"));
    };

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
      results.hidden = false; // first, so that the diagram's box has its width
      current = { settings, steps };
      drawDiagram();
      container.querySelector("[data-tables]").replaceChildren(stepTable(settings), historyTable(settings, steps));
      show(container, settings, steps, timestep);
      scrollCues(container);
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
    // A box that scrolls can stop scrolling when the screen turns, and the diagram may want the
    // other drawing, or the narrow one at another width.
    new ResizeObserver(() => {
      if (!current || results.hidden) return;
      const wanted = drawingFor(diagram.clientWidth);
      const redraw = wanted.kind !== drawn.kind || wanted.width !== drawn.width;
      const focused = redraw && diagram.contains(document.activeElement); // the diagram's box, scrolled with the keys
      if (redraw) {
        drawDiagram();
        show(container, current.settings, current.steps, timestep);
      }
      scrollCues(container);
      if (focused) diagram.querySelector(".step-through__figure[tabindex]")?.focus();
    }).observe(diagram);
    container.addEventListener("scroll", (event) => event.target.matches?.(SCROLLERS) && shade(event.target), {
      capture: true,
      passive: true,
    });
    compute();
  }

  document$.subscribe(() => {
    const container = document.querySelector("[data-step-through]");
    if (container && !container.dataset.state) setUp(container);
  });
})();
