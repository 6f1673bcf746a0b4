from glossary.reference import LSTM_GATES

print(LSTM_GATES.index('output_gate'))
#> 3
