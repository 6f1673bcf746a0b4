from glossary import shapes

print(shapes.parameter_count("LSTM", features=3, units=4), shapes.weight_shapes("LSTM", features=3, units=4))
#> 128 {'kernel': (3, 16), 'recurrent_kernel': (4, 16), 'bias': (16,)}
