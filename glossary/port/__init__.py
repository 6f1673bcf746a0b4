"""Keras's LSTM and GRU weights to and from other frameworks, each checked by running that framework.

- `glossary.port.torch`: PyTorch's ``nn.LSTM`` and ``nn.GRU`` state dicts.
- `glossary.port.onnx`: a model of one ONNX ``LSTM`` or ``GRU`` operator.
- `glossary.port.flax`: the parameters of Flax's recurrent cells, linen and nnx.
- `glossary.port.mlx`: the parameters of MLX's ``nn.LSTM`` and ``nn.GRU``.
- `glossary.port.layout`: how each of them lays its weights out, as data.
- `glossary.port.targets`: the targets of ``glossary port``, one `glossary.port.target.Target` each,
  declared beside its converter.

Keras's side is what a layer's ``get_weights()`` returns. No module imports Keras, and a framework
is imported only when its converter or its target runs.
"""
