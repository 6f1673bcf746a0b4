import os
import subprocess
import sys
import tempfile
import warnings
import zipfile

import keras

from glossary.model_files import Limits

home = os.getcwd()
with tempfile.TemporaryDirectory() as folder:
    os.chdir(folder)  # the messages below name the file as typed: crafted.keras
    with warnings.catch_warnings():  # TensorFlow's variables warn under NumPy 2 while saving
        warnings.simplefilter("ignore", DeprecationWarning)
        keras.Sequential([keras.Input((7, 3)), keras.layers.LSTM(4)]).save("small.keras")
    # --8<-- [start:crafted]
    # A .keras file is a zip archive; its config.json says how wide each layer is.
    with zipfile.ZipFile("small.keras") as saved:
        members = {name: saved.read(name) for name in saved.namelist()}
    members["config.json"] = members["config.json"].replace(b'"units": 4', b'"units": 30000')
    with zipfile.ZipFile("crafted.keras", "w") as crafted:
        for name, content in members.items():
            crafted.writestr(name, content)
    print(os.path.getsize("crafted.keras") < 100_000)  # a small file...
    #> True
    print(4 * (3 + 30000 + 1) * 30000 * 4 / 1e9)  # ...declaring an LSTM of this many GB (float32)
    #> 14.40192
    # --8<-- [end:crafted]

    # --8<-- [start:refused]
    command = [sys.executable, "-m", "glossary", "explain", "crafted.keras"]  # at a shell: glossary explain crafted.keras
    ran = subprocess.run(command, capture_output=True, text=True)
    print(ran.returncode)
    #> 2
    print(ran.stderr.strip())
    '''
    glossary: error: crafted.keras: a layer declares units=30000, more than the limit of 4096 (--max-units raises it; Keras would allocate its weights before reading them)
    '''
    print(Limits())  # the limits a file must stay within, unless raised on the command line
    #> Limits(units=4096, layers=1000, megabytes=128)
    # --8<-- [end:refused]
    os.chdir(home)  # leave the folder before it is deleted
