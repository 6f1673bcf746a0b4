"""MkDocs hooks: what the site states about its own build, taken from the build's environment."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

CHECKED_AGAINST = {
    "Keras": ("keras",),
    "TensorFlow": ("tensorflow-cpu", "tensorflow"),
    "NumPy": ("numpy",),
}
"""The libraries every page's code runs against, and the distributions that may provide each."""


def installed_versions() -> dict[str, str]:
    """The installed version of each library in ``CHECKED_AGAINST``, by its display name."""
    found = {}
    for name, distributions in CHECKED_AGAINST.items():
        for distribution in distributions:
            try:
                found[name] = version(distribution)
                break
            except PackageNotFoundError:
                continue
        else:
            found[name] = "not installed"
    return found


def footer_text() -> str:
    listed = ", ".join(f"{name} {number}" for name, number in installed_versions().items())
    return f"Every page's code was run against {listed}."


def on_config(config):
    config["copyright"] = footer_text()
    return config
