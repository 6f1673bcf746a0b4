from glossary.reference import LSTM_GATES

print(LSTM_GATES)
#> ('input_gate', 'forget_gate', 'candidate', 'output_gate')
