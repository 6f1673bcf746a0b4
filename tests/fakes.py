"""Fake claims, for testing the command and the records without running Keras."""

from glossary.claims import Claim, Evidence


def fake_claim(claim_id: str, *, verdict: bool = True, holds: bool | None = True, raises=None) -> Claim:
    """A claim whose check finds ``holds`` (or raises ``raises``) at once."""

    def check():
        if raises is not None:
            raise raises
        return Evidence(holds, f"{claim_id} observed")

    return Claim(claim_id, f"Statement of {claim_id}.", verdict, "index.md", check)
