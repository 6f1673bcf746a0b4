"""A Keras model's recurrent layers: which layers are (or wrap) an LSTM, GRU or SimpleRNN, and what.

Which layers hold one, what wraps what, and what kind each is. Keras is imported only when a
function here runs.
"""

from __future__ import annotations

from glossary.layer_kinds import KINDS

RECURRENT = tuple(KINDS)
"""The layer types explained; a ``Bidirectional`` wrapper around one of them is explained too."""


DESCRIBED_FORMS = (
    "explain describes LSTM, GRU and SimpleRNN layers, or an RNN around one of their cells, alone, "
    "in one TimeDistributed wrapper, or in one Bidirectional wrapper of two equal halves"
)
"""What a recurrent layer must be for the report to take it apart."""


def recurrent_layers(model, prefix: str):
    """Each layer that is or wraps a recurrent layer, with its path, in model order, nested too."""
    for layer in getattr(model, "layers", []):
        path = f"{prefix}{layer.name}"
        if _recurrent_within(layer):
            yield layer, path
        elif getattr(layer, "layers", None) is not None:
            yield from recurrent_layers(layer, prefix=f"{path}/")
        elif wrapped_layer(layer) is not None and _holds_recurrent(wrapped_layer(layer)):
            yield layer, path  # a wrapper around a model that holds one: not described


def wrapped_layer(layer):
    """The layer a ``Bidirectional`` or ``TimeDistributed`` wraps (the forward one), else None."""
    import keras

    if isinstance(layer, keras.layers.Bidirectional):
        return layer.forward_layer
    if isinstance(layer, keras.layers.TimeDistributed):
        return layer.layer
    return None


def _recurrent_within(layer) -> bool:
    """Whether ``layer`` is a recurrent layer or cell of any kind, or a wrapper (of wrappers) around one.

    A cell (``LSTMCell``) called as a layer on its own counts. A model inside a wrapper is looked
    into by `_holds_recurrent`.
    """
    import keras

    cells = (keras.layers.LSTMCell, keras.layers.GRUCell, keras.layers.SimpleRNNCell)
    if isinstance(layer, (keras.layers.RNN, keras.layers.StackedRNNCells, *cells)):
        return True
    inner = wrapped_layer(layer)
    return inner is not None and _recurrent_within(inner)


def _holds_recurrent(layer) -> bool:
    """Whether ``layer``, or any layer inside it (a nested model's, a wrapper's), is recurrent."""
    if _recurrent_within(layer):
        return True
    inner = wrapped_layer(layer)
    if inner is not None:
        return _holds_recurrent(inner)
    return any(_holds_recurrent(sub) for sub in getattr(layer, "layers", None) or [])


def is_described(layer) -> bool:
    """Whether the report takes ``layer`` apart: see `DESCRIBED_FORMS`.

    A Bidirectional whose backward layer differs from its forward one (another type or size) is
    not: Keras's own output shapes for it assume two equal halves, and are wrong.
    """
    inner = wrapped_layer(layer)
    if inner is None:
        return kind_of(layer) is not None
    if wrapped_layer(inner) is not None or kind_of(inner) is None:
        return False
    backward = getattr(layer, "backward_layer", None)
    return backward is None or (kind_of(backward), backward.cell.units) == (kind_of(inner), inner.cell.units)


def structure_of(layer) -> str:
    """What ``layer`` is, wrappers first: ``TimeDistributed around Bidirectional around LSTM``."""
    inner = wrapped_layer(layer)
    backward = getattr(layer, "backward_layer", None)
    if backward is not None and structure_of(backward) != structure_of(inner):
        return f"Bidirectional around {structure_of(inner)} forward and {structure_of(backward)} backward"
    if inner is not None:
        return f"{type(layer).__name__} around {structure_of(inner)}"
    cell = getattr(layer, "cell", None)
    if type(layer).__name__ == "RNN" and cell is not None:
        return f"RNN around {type(cell).__name__}"
    if type(layer).__name__.endswith("Cell"):
        return f"{type(layer).__name__} called as a layer"
    return type(layer).__name__


def inner_layer(layer):
    """The recurrent layer a ``Bidirectional`` or ``TimeDistributed`` wraps, or ``layer`` itself."""
    inner = wrapped_layer(layer)
    return layer if inner is None else inner


def kind_of(layer) -> str | None:
    """``LSTM``, ``GRU`` or ``SimpleRNN`` for such a layer, or an ``RNN`` around one such cell."""
    import keras

    if not isinstance(layer, keras.layers.RNN):
        return None
    for kind in RECURRENT:
        if isinstance(layer.cell, getattr(keras.layers, f"{kind}Cell")):
            return kind
    return None


def type_name(layer) -> str:
    """What the layer is called: ``LSTM``, or ``RNN(LSTMCell)`` for the generic layer around a cell."""
    kind = kind_of(layer)
    return kind if type(layer).__name__ == kind else f"{type(layer).__name__}({type(layer.cell).__name__})"


def masked_in_a_call(layer) -> bool:
    """Whether a mask reaches ``layer`` in any of its calls in the model."""
    for node in getattr(layer, "_inbound_nodes", []):
        tensors = getattr(node, "input_tensors", None) or []
        if any("bool" in str(tensor.dtype) for tensor in tensors[1:]):
            return True
    return False


def activation_name(activation) -> str:
    """An activation's name as Keras's configs write it: ``tanh``, ``sigmoid``."""
    return getattr(activation, "__name__", type(activation).__name__)
