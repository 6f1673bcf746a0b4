"""Fake claims and build contexts, for testing the command, the records and the site without running Keras."""

from glossary.claims import Claim, Evidence


def fake_claim(claim_id: str, *, verdict: bool = True, holds: bool | None = True, raises=None) -> Claim:
    """A claim whose check finds ``holds`` (or raises ``raises``) at once."""

    def check():
        if raises is not None:
            raise raises
        return Evidence(holds, f"{claim_id} observed")

    return Claim(claim_id, f"Statement of {claim_id}.", verdict, "index.md", check)


def fake_context(*results, **fields):
    """A site build's context holding ``results`` (the site's build code is on the tests' path)."""
    from generators.build_context import BuildContext

    return BuildContext(
        **{
            "run": {},
            "results": {result.claim.id: result for result in results},
            "origin": None,
            "keras": "Keras",
            "versions": "Keras 3",
            "commit": "commit <code>0123456789ab</code>",
            "setups": [],
            "titles": {},
            "repository": "",
        }
        | fields
    )
