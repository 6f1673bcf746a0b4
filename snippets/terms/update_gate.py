from glossary.reference import GRU_GATES

print(GRU_GATES.index('update_gate'))
#> 0
