// A table wider than the page scrolls sideways in the box Material wraps it in. A reader on the
// keyboard can scroll that box only once it takes the focus: so a box that scrolls becomes a stop
// of the Tab key, named after the table's first header cells; one that fits stays out of the way.
(() => {
  function update() {
    for (const box of document.querySelectorAll(".md-typeset__scrollwrap")) {
      if (box.scrollWidth > box.clientWidth) {
        const headers = [...box.querySelectorAll("th")].slice(0, 3).map((th) => th.textContent.trim());
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", `Table of ${headers.join(", ")}, …: scrolls sideways`);
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    }
  }
  document$.subscribe(update);
  window.addEventListener("resize", update);
})();
