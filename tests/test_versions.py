"""One versions module: installed versions by library, and TensorFlow's quieting variables."""

import numpy as np

from glossary.versions import QUIET_TENSORFLOW, installed, library_versions, quiet_tensorflow


def test_quieting_fills_in_what_the_user_left_unset():
    environment = {"TF_CPP_MIN_LOG_LEVEL": "0"}  # a user who wants TensorFlow's logging keeps it
    assert quiet_tensorflow(environment) is environment
    assert environment == {"TF_CPP_MIN_LOG_LEVEL": "0", "TF_ENABLE_ONEDNN_OPTS": "0"}
    assert set(QUIET_TENSORFLOW) == set(environment)


def test_the_first_installed_distribution_gives_the_version():
    assert installed(["no-such-distribution", "numpy"]) == np.__version__
    assert installed(["no-such-distribution"]) is None


def test_each_library_is_named_with_its_version_or_none():
    found = library_versions(["NumPy", "JAX"])
    assert found["NumPy"] == np.__version__
    assert set(found) == {"NumPy", "JAX"}  # JAX is not installed with the test tools: None
