// The shape and parameter calculator (calculator.md): from a layer type and its sizes, the shapes
// Keras gives every output and weight, each layer's parameter count with its formula, and the
// Keras code that builds the same model. tests/test_calculator.py compares every figure it shows
// with Keras. Plain JavaScript, no library; document$ (Material) fires on the first load and after
// every instant navigation, and the calculator is set up only where its container is on the page.
(() => {
  // Blocks of `units` columns packed into each weight array: one per gate (and candidate).
  const BLOCKS = { SimpleRNN: 1, GRU: 3, LSTM: 4 };
  // The final states a layer returns with return_state=True, in Keras's order.
  const STATES = { SimpleRNN: ["state_h"], GRU: ["state_h"], LSTM: ["state_h", "state_c"] };
  const LARGEST = 1000000;

  class InputError extends Error {}

  // A tuple as Python prints it: None for an unknown size, a trailing comma for one element.
  const shape = (dims) =>
    "(" + dims.map((d) => (d === null ? "None" : String(d))).join(", ") + (dims.length === 1 ? ",)" : ")");

  function wholeNumber(form, name, { optional = false } = {}) {
    const text = form.elements[name].value.trim();
    if (optional && text === "") return null;
    const what = optional
      ? `${name} must be blank (None: any size) or a positive whole number`
      : `${name} must be a positive whole number`;
    if (!/^\d+$/.test(text) || Number(text) < 1) throw new InputError(`${what}, not “${text}”.`);
    if (Number(text) > LARGEST) throw new InputError(`${name} must be at most ${LARGEST} here, not ${text}.`);
    return Number(text);
  }

  function read(form) {
    const layer = form.elements.layer.value;
    const bidirectional = form.elements.bidirectional.checked;
    const settings = {
      layer,
      resetAfter: layer === "GRU" && form.elements.reset_after.value === "true",
      units: wholeNumber(form, "units"),
      features: wholeNumber(form, "features"),
      timesteps: wholeNumber(form, "timesteps", { optional: true }),
      batch: wholeNumber(form, "batch", { optional: true }),
      layers: Number(form.elements.layers.value),
      returnSequences: form.elements.return_sequences.checked,
      returnState: form.elements.return_state.checked,
      bidirectional,
      mergeMode: bidirectional ? form.elements.merge_mode.value : null,
    };
    if (settings.mergeMode === "None" && settings.layers > 1) {
      throw new InputError(
        "merge_mode=None returns the forward and backward outputs as two separate arrays, and the " +
          "next layer of a stack takes one: choose another merge mode, or a single layer."
      );
    }
    return settings;
  }

  function compute(s) {
    const blocks = BLOCKS[s.layer];
    const biasRows = s.resetAfter ? 2 : 1;
    const directions = s.bidirectional ? ["forward", "backward"] : [""];
    const width = s.bidirectional && s.mergeMode === "concat" ? 2 * s.units : s.units;
    const layers = [];
    let features = s.features;
    for (let index = 1; index <= s.layers; index += 1) {
      const last = index === s.layers;
      const u = s.units;
      const weights = [];
      for (const direction of directions) {
        weights.push({ direction, name: "kernel", dims: [features, blocks * u] });
        weights.push({ direction, name: "recurrent_kernel", dims: [u, blocks * u] });
        weights.push({ direction, name: "bias", dims: biasRows === 2 ? [2, blocks * u] : [blocks * u] });
      }
      const params = directions.length * blocks * (u * features + u * u + biasRows * u);
      const formula =
        (directions.length === 2 ? "2 × " : "") +
        `${blocks} × (${u} × ${features} + ${u} × ${u} + ${biasRows === 2 ? "2 × " : ""}${u}) = ${params}`;
      layers.push({
        index,
        features,
        returnSequences: last ? s.returnSequences : true,
        returnState: last ? s.returnState : false,
        weights,
        params,
        formula,
      });
      features = width;
    }

    const sequence = s.returnSequences ? [s.batch, s.timesteps] : [s.batch];
    const outputs =
      s.mergeMode === "None"
        ? [
            { label: "output (forward)", dims: [...sequence, s.units] },
            { label: "output (backward)", dims: [...sequence, s.units] },
          ]
        : [{ label: "output", dims: [...sequence, width] }];
    if (s.returnState) {
      for (const direction of directions) {
        for (const state of STATES[s.layer]) {
          outputs.push({ label: direction ? `${state} (${direction})` : state, dims: [s.batch, s.units] });
        }
      }
    }
    const total = layers.reduce((sum, layer) => sum + layer.params, 0);
    return { layers, outputs, total, code: code(s, layers, total) };
  }

  function code(s, layers, total) {
    const input = `shape=${shape([s.timesteps, s.features])}` + (s.batch === null ? "" : `, batch_size=${s.batch}`);
    const lines = ["import keras", "", `inputs = keras.Input(${input})`];
    layers.forEach((layer, i) => {
      const options = [String(s.units)];
      if (layer.returnSequences) options.push("return_sequences=True");
      if (layer.returnState) options.push("return_state=True");
      if (s.layer === "GRU" && !s.resetAfter) options.push("reset_after=False");
      const target = i === layers.length - 1 ? "outputs" : "x";
      const source = i === 0 ? "inputs" : "x";
      const call = `keras.layers.${s.layer}(${options.join(", ")})`;
      if (s.bidirectional) {
        const merge = s.mergeMode === "None" ? "None" : `"${s.mergeMode}"`;
        lines.push(`${target} = keras.layers.Bidirectional(`, `    ${call}, merge_mode=${merge}`, `)(${source})`);
      } else {
        lines.push(`${target} = ${call}(${source})`);
      }
    });
    lines.push("model = keras.Model(inputs, outputs)", "print(model.count_params())", `#> ${total}`);
    return lines.join("\n");
  }

  // A small element builder: tag, attributes, children (strings become text, never HTML).
  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    for (const child of children) node.append(child);
    return node;
  }

  const figure = (name, text, tag = "code") => el(tag, { "data-figure": name }, text);
  const scrolling = (table) => el("div", { class: "calculator__table" }, table);

  function render(results, result, s) {
    const outputRows = result.outputs.map((output, i) =>
      el("tr", {}, el("td", {}, String(i)), el("td", {}, output.label), el("td", {}, figure(`output-${i}`, shape(output.dims))))
    );
    const outputs = el(
      "table",
      {},
      el("thead", {}, el("tr", {}, el("th", {}, "#"), el("th", {}, "Returned array"), el("th", {}, "Shape"))),
      el("tbody", {}, ...outputRows)
    );

    const weightRows = [];
    for (const layer of result.layers) {
      const name = s.bidirectional ? `Bidirectional(${s.layer})` : s.layer;
      const flags = layer.returnSequences ? "return_sequences=True" : "return_sequences=False";
      weightRows.push(
        el(
          "tr",
          { class: "calculator__layer" },
          el("th", { colspan: "3" }, `Layer ${layer.index}: ${name}, ${layer.features} features in, ${flags}`)
        )
      );
      for (const weight of layer.weights) {
        const key = `weight-${layer.index}-${weight.direction ? weight.direction + "-" : ""}${weight.name}`;
        const label = weight.direction ? `${weight.direction} ${weight.name}` : weight.name;
        const size = weight.dims.reduce((a, b) => a * b, 1);
        weightRows.push(
          el("tr", {}, el("td", {}, label), el("td", {}, figure(key, shape(weight.dims))), el("td", {}, String(size)))
        );
      }
      weightRows.push(
        el(
          "tr",
          { class: "calculator__sum" },
          el("td", { colspan: "2" }, "parameters: ", figure(`formula-${layer.index}`, layer.formula)),
          el("td", {}, figure(`params-${layer.index}`, String(layer.params), "strong"))
        )
      );
    }
    weightRows.push(
      el(
        "tr",
        { class: "calculator__total" },
        el("th", { colspan: "2" }, "Total parameters (model.count_params())"),
        el("td", {}, figure("params-total", String(result.total), "strong"))
      )
    );
    const weights = el(
      "table",
      {},
      el("thead", {}, el("tr", {}, el("th", {}, "Weight"), el("th", {}, "Shape"), el("th", {}, "Numbers"))),
      el("tbody", {}, ...weightRows)
    );

    // Material's own copy button, as on every code block of the site (its clipboard handler
    // listens on the whole document, so a block written later is served too).
    const copy = el("button", {
      type: "button",
      class: "md-code__button",
      title: "Copy to clipboard",
      "data-clipboard-target": "#calculator-code > code",
      "data-md-type": "copy",
    });
    const source = el(
      "pre",
      { id: "calculator-code" },
      el("nav", { class: "md-code__nav" }, copy),
      el("code", { "data-figure": "code" }, result.code)
    );

    results.replaceChildren(
      el("h3", {}, "What the model returns"),
      scrolling(outputs),
      el("h3", {}, "Weights and parameters"),
      scrolling(weights),
      el("h3", {}, "The same model in Keras"),
      source
    );
  }

  function setUp(container) {
    const form = container.querySelector("form");
    const error = container.querySelector("[data-figure='error']");
    const results = container.querySelector("[data-results]");
    const update = () => {
      for (const label of form.querySelectorAll("[data-only]")) {
        const only = label.dataset.only;
        label.hidden = only === "bidirectional" ? !form.elements.bidirectional.checked : form.elements.layer.value !== only;
      }
      let settings;
      try {
        settings = read(form);
      } catch (problem) {
        if (!(problem instanceof InputError)) throw problem;
        error.textContent = problem.message;
        error.hidden = false;
        results.replaceChildren();
        container.dataset.state = "error";
        return;
      }
      error.hidden = true;
      error.textContent = "";
      render(results, compute(settings), settings);
      container.dataset.state = "ready";
    };
    form.addEventListener("submit", (event) => event.preventDefault());
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  }

  document$.subscribe(() => {
    const container = document.querySelector("[data-calculator]");
    if (container && !container.dataset.state) setUp(container);
  });
})();
