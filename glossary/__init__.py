"""LSTM Glossary: recurrent-network terms, each proven by code that runs against Keras.

- `glossary.reference`: NumPy LSTM, GRU and SimpleRNN layers in Keras's own weight layout.
- `glossary.keras_weights`: a built Keras LSTM's weights as named gate blocks.
- `glossary.shapes`: weight shapes and parameter counts from ``features`` and ``units``.
- `glossary.explain`: the glossary applied to your own Keras model (also ``glossary explain``).
"""

from glossary.explainer import explain

__version__ = "0.1.0"
__all__ = ["explain"]
