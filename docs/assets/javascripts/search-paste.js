// A message pasted into the search box is text, not a query. Material's search reads a ":" after
// a word as a field's name, "-" and "+" before a word as operators, and quotes as a phrase of
// required words; a pasted error message full of them ("size-incompatible: In[0]:") was refused
// as an invalid query, or lost most of its words. Those characters become spaces on the way in.
document.addEventListener("paste", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.classList.contains("md-search__input")) return;
  const text = event.clipboardData ? event.clipboardData.getData("text/plain") : "";
  if (!text) return;
  event.preventDefault();
  const words = text.replace(/[\s:~^+*"-]+/g, " ");
  input.setRangeText(words, input.selectionStart, input.selectionEnd, "end");
  // Material searches when a key is released, as after typing.
  input.dispatchEvent(new Event("input", { bubbles: true }));
  input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
});
