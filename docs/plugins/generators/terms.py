"""The term registry (`glossary.terms`) on the site: the glossary, the crosswalk, the tooltips."""

from __future__ import annotations

import re


def slug(name: str) -> str:
    """The anchor of a term's entry on the glossary page."""
    return "term-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def glossary(to_root: str) -> str:
    """Each term, alphabetically: its definition, its names elsewhere, and its example with what it prints."""
    from glossary.terms import TERMS

    entries = []
    for term in sorted(TERMS, key=lambda t: t.name.lower()):
        facts = [f"**Keras:** {term.keras}"]
        if term.pytorch:
            facts.append(f"**PyTorch:** {term.pytorch}")
        if term.shape:
            facts.append(f"**Shape:** `{term.shape}`")
        if term.symbol:
            facts.append(f"**Symbol:** ${term.symbol}$")
        if term.literature:
            facts.append(f"**Also called:** {term.literature}")
        entries.append(
            f"### {term.name} {{#{slug(term.name)}}}\n\n{term.definition} "
            f"[Explained on its page.]({to_root}{term.page})\n\n"
            + " · ".join(facts)
            + f'\n\n```python\n--8<-- "snippets/terms/{term.example_name}.py"\n```\n'
        )
    return "\n".join(entries)


def crosswalk(to_root: str) -> str:
    """One row per term: its name in Keras, in PyTorch, as a symbol and in the literature."""
    from glossary.terms import TERMS

    rows = ["| Term | Keras | PyTorch | Symbol | Elsewhere |", "| --- | --- | --- | --- | --- |"]
    for term in TERMS:
        symbol = f"${term.symbol}$" if term.symbol else ""
        link = f"[{term.name}]({to_root}glossary.md#{slug(term.name)})"
        rows.append(f"| {link} | {term.keras} | {term.pytorch} | {symbol} | {term.literature} |")
    return "\n".join(rows)


def abbreviations() -> str:
    """Markdown abbreviations that give every use of a term its definition as a tooltip."""
    from glossary.terms import TERMS

    return "\n".join(f"*[{term.name}]: {term.definition}" for term in TERMS)
