from glossary.shapes import parameter_count

print(parameter_count('LSTM', features=5, units=4))
#> 160
