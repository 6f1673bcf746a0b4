"""Task-style queries, typed into the site's search as readers type them, find the page that does
the task among the first three pages listed (issue 26). The queries are a few words each, the way
people search, and none comes back empty."""

from __future__ import annotations

import json
import re

import pytest
from site_search import SearchBox, address
from tabs import Watched

AMONG_THE_FIRST = 3
TASK_QUERIES = {
    "forecast a time series with an LSTM": "training.md",
    "time series windows": "time-series-windows.md",
    "sliding window dataset": "time-series-windows.md",
    "walk-forward validation": "time-series-windows.md",
    "train test split for a time series": "time-series-windows.md",
    "how many parameters does an LSTM have": "parameter-count.md",
    "lstm parameter count formula": "parameter-count.md",
    "early stopping": "training.md",
    "stop training when validation loss stops improving": "training.md",
    "what does units mean": "units-and-weight-shapes.md",
    "input shape for an LSTM": "input-shape.md",
    "difference between cell state and hidden state": "cell-state-vs-hidden-state.md",
    "return_sequences vs return_state": "return-sequences-and-state.md",
    "get the hidden state at every timestep": "return-sequences-and-state.md",
    "stack two LSTM layers": "stacked-layers.md",
    "bidirectional LSTM output shape": "bidirectional.md",
    "LSTM vs GRU": "gru.md",
    "GRU reset_after": "gru.md",
    "why do gradients vanish": "vanishing-gradients.md",
    "forget gate bias": "unit-forget-bias.md",
    "mask padded timesteps": "masking.md",
    "pad sequences of different lengths": "text-input.md",
    "text classification with an LSTM": "text-input.md",
    "embedding layer before an LSTM": "text-input.md",
    "sequence to sequence translation": "encoder-decoder.md",
    "pass encoder states to the decoder": "encoder-decoder.md",
    "attention with an LSTM": "attention.md",
    "save and load an LSTM model": "saving-and-serving.md",
    "convert to TensorFlow Lite": "porting.md",
    "convert a Keras LSTM to PyTorch": "porting.md",
    "copy LSTM weights into PyTorch": "pytorch.md",
    "export an LSTM to ONNX": "porting.md",
    "stateful LSTM": "stateful.md",
    "reset states between batches": "stateful.md",
    "dropout vs recurrent_dropout": "dropout.md",
    "will not use cuDNN kernels": "cudnn.md",
    "same results every run": "reproducible-runs.md",
    "predict one reading at a time": "serving-a-stream.md",
    "upgrade from Keras 2 to Keras 3": "migrating-to-keras-3.md",
    "reverse the sequence": "go-backwards.md",
    "TimeDistributed Dense after an LSTM": "dense-after-lstm.md",
    "gate values at every timestep": "inside-the-layer.md",
    "peephole connections": "variants.md",
    "ConvLSTM": "variants.md",
    "step through an LSTM by hand": "step-through.md",
    "what do the gates do": "gates.md",
    "kernel and recurrent_kernel shapes": "units-and-weight-shapes.md",
    "unroll a recurrent network": "rnn-and-unrolling.md",
    "check a Keras upgrade in CI": "cli.md",
    "describe a saved model": "cli.md",
    "calculate the output shape": "calculator.md",
    "SimpleRNN": "simple-rnn.md",
    "is it checked on JAX": "compatibility.md",
}
"""Each query and the page that answers it."""


@pytest.fixture(scope="module")
def search_box(browser, site_url):
    tab = Watched(browser)
    yield SearchBox(tab.open(site_url)), tab
    tab.close()


def test_every_task_query_finds_its_page_among_the_first_three(search_box):
    box, tab = search_box
    missed, ranks = [], []
    for query, source in TASK_QUERIES.items():
        listed = box.pages_for(query)
        assert listed, f"{query!r} finds nothing"
        wanted = address(source)
        rank = listed.index(wanted) + 1 if wanted in listed else None
        ranks.append(rank)
        if rank is None or rank > AMONG_THE_FIRST:
            missed.append(f"{query!r}: {wanted} is {rank or 'not listed'}; first {listed[:3]}")
    assert not missed, "\n".join(missed)
    assert not tab.problems
    print(f"\nranks of the answering pages: {sorted(ranks)}")


MACHINERY = ["Holds on Keras", "How it is checked", "Elsewhere: the same on", "of set-up:", "not yet run on"]
"""Words that only a claim's mark, a set-up toggle or the compatibility matrix writes."""


def test_the_index_holds_no_machinery_and_no_math(built_site):
    """What the build writes to prove a page, and math's TeX source, are not in the search index:
    a result's snippet shows the page's words."""
    documents = json.loads((built_site / "search" / "search_index.json").read_text())["docs"]
    for document in documents:
        if document["location"].startswith(("proof/", "claims/")):
            continue  # the pages about the proof, which explain these words
        text = document["text"]
        assert not [words for words in MACHINERY if words in text], document["location"]
        prose = re.sub(r"<pre>.*?</pre>|<code>.*?</code>", "", text, flags=re.S)  # code may hold "\\["
        assert not re.search(r"\\[(\[]", prose), f"{document['location']}: TeX in the index"
        assert not re.search(r"(?:✓\s+){3}", text), f"{document['location']}: a row of the matrix"
