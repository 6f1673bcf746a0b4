from glossary.reference import LSTM_GATES

print(LSTM_GATES.index('input_gate'))
#> 0
