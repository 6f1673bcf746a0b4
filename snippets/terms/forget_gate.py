from glossary.reference import LSTM_GATES

print(LSTM_GATES.index('forget_gate'))
#> 1
