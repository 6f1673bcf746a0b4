from glossary.reference import GRU_GATES

print(GRU_GATES.index('reset_gate'))
#> 1
