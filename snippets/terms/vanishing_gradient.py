from glossary.reference import sigmoid

# A forget gate of sigmoid(1) at each of 100 timesteps: what it leaves of a gradient carried
# back along the cell state (a sigmoid's slope, not its value, scales a gradient through it).
print(round(float(sigmoid(1.0)) ** 100, 16))
#> 2.48e-14
