// What a reader types or pastes into the search box is text, not a query. Material hands the box's
// text to lunr, which reads ":" after a word as a field's name, "-" and "+" before a word as
// operators, "~" and "^" as fuzziness and boost, "*" as a wildcard and quotes as a phrase: a pasted
// error message ("size-incompatible: In[0]:") or a typed question (why does Keras warn that an LSTM
// "will not use cuDNN kernels"?) was refused as an invalid query, or lost most of its words. On its
// way to Material's search worker, each query has those characters turned into spaces; the box
// keeps what the reader wrote.
(() => {
  const QUERY = 2; // the message that carries a query to the worker, in Material 9.8's bundle
  const send = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message, ...rest) {
    if (message && message.type === QUERY && typeof message.data === "string") {
      message = { ...message, data: message.data.replace(/[:~^+*"-]+/g, " ") };
    }
    return send.call(this, message, ...rest);
  };
})();
