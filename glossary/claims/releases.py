"""The release grid: every Keras release line the claims are run on, and what each installs.

One table, read by the noxfile (``nox -s "history(setup='keras3.9-tensorflow')"`` runs one
set-up), by the matrix workflow (one job per set-up) and by the site's release-history page.
It imports nothing, so that nox can read it without the package installed.

Each Keras 3 minor release is paired with the last patch of that minor and, per backend, the
backend release of its time that pip accepts beside it on Python 3.11: TensorFlow 2.15 pins
Keras 2, so Keras 3.0 to 3.3 run on TensorFlow 2.16, the first to take Keras 3; TensorFlow 2.21
takes Keras 3.10 or later. Before Keras 3.4 the backends of the time were built against
NumPy 1, hence the ``numpy<2`` pins. tf-keras runs on the TensorFlow of its own number, the
full ``tensorflow`` package it depends on.
"""

KERAS3 = {
    # minor: (its last patch, TensorFlow, JAX, PyTorch), each the release of its time pip takes
    "3.0": ("3.0.5", "2.16.2", "0.4.20", "2.1.2"),
    "3.1": ("3.1.1", "2.16.2", "0.4.25", "2.2.2"),
    "3.2": ("3.2.1", "2.16.2", "0.4.26", "2.2.2"),
    "3.3": ("3.3.3", "2.16.2", "0.4.26", "2.3.0"),
    "3.4": ("3.4.1", "2.17.1", "0.4.30", "2.3.1"),
    "3.5": ("3.5.0", "2.17.1", "0.4.31", "2.4.0"),
    "3.6": ("3.6.0", "2.18.1", "0.4.35", "2.5.0"),
    "3.7": ("3.7.0", "2.18.1", "0.4.35", "2.5.1"),
    "3.8": ("3.8.0", "2.19.1", "0.4.38", "2.5.1"),
    "3.9": ("3.9.2", "2.19.1", "0.5.3", "2.6.0"),
    "3.10": ("3.10.0", "2.20.0", "0.6.1", "2.7.0"),
    "3.11": ("3.11.3", "2.20.0", "0.7.0", "2.7.1"),
    "3.12": ("3.12.4", "2.20.0", "0.8.0", "2.9.0"),
    "3.13": ("3.13.2", "2.20.0", "0.8.2", "2.10.0"),
    "3.14": ("3.14.1", "2.21.0", "0.9.2", "2.12.0"),
    "3.15": ("3.15.1", "2.21.0", "0.10.2", "2.13.0"),
}

TF_KERAS = {
    # minor: (its last patch, TensorFlow)
    "2.15": ("2.15.1", "2.15.1"),
    "2.16": ("2.16.0", "2.16.2"),
    "2.17": ("2.17.0", "2.17.1"),
    "2.18": ("2.18.0", "2.18.1"),
    "2.19": ("2.19.0", "2.19.1"),
    "2.20": ("2.20.1", "2.20.0"),
    "2.21": ("2.21.0", "2.21.0"),
}

NUMPY_1_BEFORE = (3, 4)
"""Keras 3 minors before this one ran with backends built against NumPy 1."""


def _keras3(minor: str, backend: str) -> tuple[list[str], dict[str, str]]:
    """What a Keras 3 minor on ``backend`` installs, and the environment that selects the backend."""
    keras, tensorflow, jax, torch = KERAS3[minor]
    backend_package = {
        "tensorflow": f"tensorflow-cpu=={tensorflow}",
        "jax": f"jax[cpu]=={jax}",
        "torch": f"torch=={torch}",
    }[backend]
    old_numpy = tuple(int(part) for part in minor.split(".")) < NUMPY_1_BEFORE
    packages = [f"keras=={keras}", backend_package, *(["numpy<2"] if old_numpy else [])]
    return packages, {"KERAS_BACKEND": backend}


LINES = {
    # line: the backend's name in a record's versions, and each set-up of the line, oldest first
    "Keras 3 on TensorFlow": ("tensorflow", [f"keras{minor}-tensorflow" for minor in KERAS3]),
    "Keras 3 on JAX": ("jax", [f"keras{minor}-jax" for minor in KERAS3]),
    "Keras 3 on PyTorch": ("torch", [f"keras{minor}-torch" for minor in KERAS3]),
    "tf-keras (Keras 2)": ("tensorflow", [f"tf-keras{minor}" for minor in TF_KERAS]),
}
"""The lines of the history: a claim's history is read along one line at a time."""

RELEASES = {
    **{
        f"keras{minor}-{backend}": _keras3(minor, backend)
        for backend in ("tensorflow", "jax", "torch")
        for minor in KERAS3
    },
    **{
        f"tf-keras{minor}": (
            [f"tf-keras=={tf_keras}", f"tensorflow=={tensorflow}"],
            {"GLOSSARY_KERAS": "tf_keras"},
        )
        for minor, (tf_keras, tensorflow) in TF_KERAS.items()
    },
}
"""Every set-up of the grid: name -> (what pip installs beside the package, environment)."""
