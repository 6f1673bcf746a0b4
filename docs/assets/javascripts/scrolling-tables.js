// Tables, in the box Material wraps each one in (.md-typeset__scrollwrap).
//
// A code name in a cell may wrap after a dot ("keras.layers." then "LSTM") or an underscore inside a
// name ("reset_" then "after"), and nowhere else inside a word: extra.css keeps Material from
// breaking it anywhere, and each such point gets a <wbr>, which adds nothing to the text a reader
// copies or searches.
//
// A table wider than the page scrolls sideways in its box. A reader on the keyboard can scroll that
// box only once it takes the focus: so a box that scrolls becomes a stop of the Tab key, named after
// the table's first header cells; one that fits stays out of the way. Above a box that scrolls, a
// line says how many columns the table has and that the rest lie sideways; the box tells extra.css
// whether more lies to its right (its edge fades) or to its left (a shadow beside the first column,
// which stays in view).
(() => {
  // After a dot between names ("layers.LSTM", not "0.5" or "..."), and after an underscore inside
  // a name ("reset_after", not "__init__"): the text split there keeps the dot or underscore.
  const BREAK_AFTER = /(?<=[A-Za-z0-9)\]]\.)(?=[A-Za-z_])|(?<=[A-Za-z0-9]_)(?=[A-Za-z0-9])/;
  const watched = new WeakSet();

  function markBreaks(code) {
    if (code.querySelector("wbr")) return; // done on an earlier pass
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    for (const node of nodes) {
      const pieces = node.data.split(BREAK_AFTER);
      if (pieces.length < 2) continue;
      const fragment = document.createDocumentFragment();
      pieces.forEach((piece, i) => {
        if (i) fragment.append(document.createElement("wbr"));
        fragment.append(piece);
      });
      node.replaceWith(fragment);
    }
  }

  function columns(box) {
    const row = box.querySelector("tr");
    return row ? [...row.cells].reduce((sum, cell) => sum + cell.colSpan, 0) : 0;
  }

  function showEdges(box) {
    const left = box.scrollLeft > 1;
    const right = box.scrollLeft + box.clientWidth < box.scrollWidth - 1;
    box.toggleAttribute("data-more-left", left);
    box.toggleAttribute("data-more-right", right);
  }

  function hintOf(box) {
    const before = box.previousElementSibling;
    return before && before.classList.contains("table-scroll-hint") ? before : null;
  }

  // A box is measured again whenever it or its table changes size: the window's width, a tab or a
  // details element that shows it.
  const resized = new ResizeObserver((entries) => {
    for (const entry of entries) update(entry.target.closest(".md-typeset__scrollwrap"));
  });

  function update(box) {
    if (!box) return;
    if (!watched.has(box)) {
      watched.add(box);
      box.addEventListener("scroll", () => showEdges(box), { passive: true });
      resized.observe(box);
      if (box.firstElementChild) resized.observe(box.firstElementChild);
    }
    if (box.scrollWidth > box.clientWidth) {
      const headers = [...box.querySelectorAll("th")].slice(0, 3).map((th) => th.textContent.trim());
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", `Table of ${headers.join(", ")}, …: scrolls sideways`);
      let hint = hintOf(box);
      if (!hint) {
        hint = document.createElement("p");
        hint.className = "table-scroll-hint";
        hint.setAttribute("aria-hidden", "true"); // the box's own name says that it scrolls
        box.before(hint);
      }
      hint.textContent = `${columns(box)} columns: scroll the table sideways for the rest →`;
    } else {
      if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
      hintOf(box)?.remove();
    }
    showEdges(box);
  }

  document$.subscribe(() => {
    for (const code of document.querySelectorAll(".md-typeset td code, .md-typeset th code")) {
      markBreaks(code);
    }
    for (const box of document.querySelectorAll(".md-typeset__scrollwrap")) update(box);
  });
})();
