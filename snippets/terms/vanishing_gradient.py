from glossary.reference import sigmoid

print(round(float(sigmoid(1.0)) ** 100, 16))
#> 2.48e-14
