// Render the math that pymdownx.arithmatex leaves as \( \) and \[ \] spans, with the KaTeX
// served from this site. document$ fires on the first load and after every instant navigation.
document$.subscribe(({ body }) => {
  renderMathInElement(body, {
    delimiters: [
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ],
    // Text copied from a claims record is shown as it is, never as math.
    ignoredClasses: ["recorded"],
    throwOnError: true,
  });
});
