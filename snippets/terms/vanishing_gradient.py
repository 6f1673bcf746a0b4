from glossary.reference import sigmoid

# A forget gate of sigmoid(1) at each of 100 timesteps: what it leaves of a gradient carried
# back along the cell state. Along that path the gate's value multiplies the gradient, since
# c_t = f_t * c_{t-1} + ...; a gradient going through the sigmoid into its input is scaled by
# its slope instead, at most 1/4.
print(round(float(sigmoid(1.0)) ** 100, 16))
#> 2.48e-14
