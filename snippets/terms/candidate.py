from glossary.reference import LSTM_GATES

print(LSTM_GATES.index('candidate'))
#> 2
