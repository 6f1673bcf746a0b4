"""The set-ups the ledger was run on besides the build's own: the records in ``docs/compatibility/``.

Each is a ``glossary check --output`` file of one Keras, backend and device, written by
``nox -s matrix`` (or by hand on a GPU). The Compatibility page tabulates them, and every claim's
mark on a page names the set-ups where its verdict differs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from markup import escaped

from glossary.claims import Outcome

RECORDS = Path(__file__).resolve().parent.parent / "compatibility"
BACKENDS = {"tensorflow": "TensorFlow", "jax": "JAX", "torch": "PyTorch"}
"""Each backend's name as the pages write it."""


@dataclass(frozen=True)
class SetUp:
    """One recorded run: its file's name, its versions, and each claim's row."""

    name: str
    versions: dict
    rows: dict[str, dict]

    @property
    def on_gpu(self) -> bool:
        """Whether the run had a CUDA GPU (recorded by hand: CI has none)."""
        return "GPU" in self.versions

    @property
    def keras_and_backend(self) -> tuple:
        """Its Keras version and backend, as the build's own run records them."""
        return self.versions.get("Keras"), self.versions.get("backend")

    @property
    def short(self) -> str:
        """What tells it from the build's set-up, in a few words: ``Keras 2``, ``JAX``, ``a GPU``."""
        if str(self.versions.get("Keras", "")).startswith("2."):
            return "Keras 2"
        if self.on_gpu:
            return "a GPU"
        backend = str(self.versions.get("backend", ""))
        return BACKENDS.get(backend) or escaped(backend)

    @property
    def label(self) -> str:
        """Its Keras, backend and GPU, as escaped text: ``Keras 3.15.1 on JAX``."""
        backend = str(self.versions.get("backend", ""))
        said = (
            f"Keras {escaped(self.versions.get('Keras', '?'))} on {BACKENDS.get(backend) or escaped(backend)}"
        )
        if self.on_gpu:
            said += f" with an {escaped(self.versions['GPU'])}"
        return said

    def outcome(self, claim_id: str) -> Outcome | None:
        """What this run found for the claim; None where the run predates it."""
        row = self.rows.get(claim_id)
        return Outcome.of(row) if row is not None else None


def recorded(folder: Path = RECORDS) -> list[SetUp]:
    """Every recorded run, by name, the runs on a GPU last (each is a CPU run with a GPU added)."""
    runs = []
    for path in sorted(folder.glob("*.json")):
        run = json.loads(path.read_text())
        runs.append(SetUp(path.stem, dict(run["versions"]), {row["id"]: row for row in run["claims"]}))
    return sorted(runs, key=lambda run: (run.on_gpu, run.name))


def differing(claim_id: str, runs: list[SetUp]) -> list[SetUp]:
    """The runs whose check of the claim disagrees with the ledger (contradicted, or an error)."""
    return [run for run in runs if (outcome := run.outcome(claim_id)) is not None and not outcome.agrees]
