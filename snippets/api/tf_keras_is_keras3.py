import keras
import tensorflow as tf

# --8<-- [start:same]
print(tf.keras.__version__ == keras.__version__, keras.__version__.split(".")[0])
#> True 3
# --8<-- [end:same]
