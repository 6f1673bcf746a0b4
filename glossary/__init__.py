"""LSTM Glossary: recurrent-network terms, each proven by code that runs against Keras.

- :mod:`glossary.reference`: NumPy LSTM, GRU and SimpleRNN layers in Keras's own weight layout.
- :mod:`glossary.keras_weights`: a built Keras LSTM's weights as named gate blocks.
- :mod:`glossary.shapes`: weight shapes and parameter counts from ``features`` and ``units``.
"""

__version__ = "0.1.0"
