"""The command's page: how to install the package, a CI job that runs the ledger, a sample run.

The install lines and the job name the repository the site is published from
(``extra.repository``), or a checkout where none is set.
"""

from __future__ import annotations

from generators.build_context import BuildContext
from generators.copies import fenced
from glossary.terminal import printable

SAMPLE_ROWS = 8
"""How many rows of a run the glossary command's page shows."""


def package_source(repository: str) -> str:
    """What pip installs the package from: the published repository, or a checkout where none is set."""
    return f"git+{repository}" if repository else "/path/to/lstm-glossary"


def ci_job(repository: str) -> str:
    """A GitHub Actions job that checks the ledger against the Keras a team runs, with its report."""
    job = f"""lstm-claims:
  runs-on: ubuntu-latest
  steps:
    - uses: actions/setup-python@v5
      with:
        python-version: "3.11"
    - name: Install your Keras and backend, and the glossary
      run: |
        python -m pip install keras tensorflow  # the versions you run; or jax, or torch
        python -m pip install "{package_source(repository)}"
    - name: Check the claims against this Keras
      run: glossary check --junit claims.xml
    - name: Keep the report
      if: always()
      uses: actions/upload-artifact@v4
      with:
        name: lstm-claims
        path: claims.xml"""
    return fenced(job, "yaml")


def install_lines(repository: str) -> str:
    """How to install the package and run the ledger: from the published repository, where there is one."""
    source = package_source(repository)
    where = (
        "From the repository the site is published from:"
        if repository
        else "From a checkout of the repository (a published site names its address here):"
    )
    with_keras = f"lstm-glossary[keras] @ {source}" if repository else f"{source}[keras]"
    return (
        f"{where}\n\n"
        + fenced(f'python -m pip install "{source}"\nglossary check', "bash")
        + "\n\nTo get Keras and TensorFlow as well, at the versions the site was checked against, install "
        "the `keras` extra instead. Its TensorFlow is the CPU build, `tensorflow-cpu`. On a machine "
        "with a GPU, install the package without the extra, then the same Keras and "
        "`tensorflow[and-cuda]` of the same version: the two TensorFlow distributions install one "
        "`tensorflow` folder, so one over the other leaves pip with two owners of it (said from "
        "pip's packaging, not run here). PyTorch, for the "
        "PyTorch page, is not included:\n\n"
        + fenced(f'python -m pip install "{with_keras}"', "bash")
        + "\n\nThe frameworks `glossary port` converts for come the same way, with the extra `torch`, "
        "`onnx`, `flax` or `mlx` in place of `keras`."
    )


def check_sample(context: BuildContext) -> str:
    """The head of what `glossary check` printed for this build, with its count and time."""
    from glossary.claims import setups as recorded_setups
    from glossary.cli import check_table

    rows, versions = context.run["claims"], context.run["versions"]
    judgement = recorded_setups.judge(
        rows, *recorded_setups.for_versions(versions, recorded_setups.recorded())
    )
    printed = printable(check_table(versions, rows, width=120, judgement=judgement)).splitlines()
    head, summary = printed[: 3 + SAMPLE_ROWS], printed[3 + len(rows) + 1 : 3 + len(rows) + 3]
    cut = f"… {len(rows) - SAMPLE_ROWS} more rows …"
    lead = (
        f"{context.origin_sentence()} What `glossary check` printed for them, its first rows and its summary:"
    )
    return f"{lead}\n\n" + fenced("\n".join([*head, cut, "", *summary]), "text")
