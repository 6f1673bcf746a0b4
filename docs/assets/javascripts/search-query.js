// What a reader types or pastes into the search box is text, not a query. Material hands the box's
// text to lunr, which reads ":" after a word as a field's name, "-" and "+" before a word as
// operators, "~" and "^" as fuzziness and boost, "*" as a wildcard and quotes as a phrase: a pasted
// error message ("size-incompatible: In[0]:") or a typed question (why does Keras warn that an LSTM
// "will not use cuDNN kernels"?) was refused as an invalid query, or lost most of its words. On its
// way to Material's search worker, each query has those characters turned into spaces; the box
// keeps what the reader wrote.
//
// Material finds a word by its beginning (each word of a query becomes "word*") and does not stem:
// "parameters" missed the page "Parameter count", "stopping" missed "stop". So a longer word that
// ends in "s", "ed" or "ing" is sent twice, as typed and without that ending: the shorter form
// finds the word's other forms, and the whole word still ranks the pages that use it as typed
// first ("units" lists the page on units before the one on unit_forget_bias).
(() => {
  const QUERY = 2; // the message that carries a query to the worker, in Material 9.8's bundle
  const ENDING = /^(\p{L}{4,}?)(?:ing|ed|s)$/u;
  const shorter = (word) => (/ss$/i.test(word) ? word : word.replace(ENDING, "$1"));
  const withStem = (word) => (shorter(word) === word ? word : `${word} ${shorter(word)}`);
  const send = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message, ...rest) {
    if (message && message.type === QUERY && typeof message.data === "string") {
      const text = message.data.replace(/[:~^+*"-]+/g, " ");
      message = { ...message, data: text.split(/(\s+)/).map(withStem).join("") };
    }
    return send.call(this, message, ...rest);
  };
})();
