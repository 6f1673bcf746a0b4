"""A run of the ledger as JUnit XML, the test report CI systems show (``glossary check --junit``).

One test case per claim, named by its ID: a failure where its outcome differs from what the
set-up's record expects, skipped where the check cannot run here, and a pass otherwise (a known
difference says so in its output).
"""

from __future__ import annotations

from xml.etree import ElementTree

from glossary.claims.registry import Outcome
from glossary.claims.setups import Judgement
from glossary.terminal import printable


def _text(value: str) -> str:
    """``value`` with the characters XML 1.0 cannot hold (control characters) written as escapes."""
    return printable(value, lines=True)


def junit_xml(rows: list[dict], judgement: Judgement, versions: dict[str, str]) -> str:
    """The JUnit XML document of a run's ``rows``, judged by ``judgement``, on ``versions``."""
    unexpected = {row["id"]: expected for row, expected in judgement.unexpected}
    known = {row["id"] for row in judgement.known}
    on = ", ".join(f"{name} {number}" for name, number in versions.items())
    suite = ElementTree.Element(
        "testsuite",
        name="glossary check",
        tests=str(len(rows)),
        failures=str(len(unexpected)),
        errors="0",
        skipped=str(sum(Outcome.of(row) is Outcome.SKIPPED for row in rows)),
        time=f"{sum(row['seconds'] or 0 for row in rows):.3f}",
    )
    properties = ElementTree.SubElement(suite, "properties")
    ElementTree.SubElement(properties, "property", name="versions", value=_text(on))
    ElementTree.SubElement(properties, "property", name="judged", value=_text(judgement.against))
    for row in rows:
        case = ElementTree.SubElement(
            suite,
            "testcase",
            classname=f"glossary.claims.{row['page'].split('#')[0].removesuffix('.md').replace('/', '.')}",
            name=_text(row["id"]),
            time=f"{row['seconds'] or 0:.3f}",
        )
        measured = Outcome.of(row)
        found = row["error"] or row["detail"] or ""
        if row["id"] in unexpected:
            expected = unexpected[row["id"]]
            message = f"expected {expected.value} on this set-up, found {measured.value}"
            failure = ElementTree.SubElement(case, "failure", message=_text(message), type=measured.value)
            failure.text = _text(f"{row['statement']}\n{measured.value}: {found}")
        elif measured is Outcome.SKIPPED:
            ElementTree.SubElement(case, "skipped", message=_text(row["skipped"] or ""))
        elif row["id"] in known:
            output = ElementTree.SubElement(case, "system-out")
            output.text = _text(f"a known difference on this set-up: {measured.value}: {found}")
    ElementTree.indent(suite)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(suite, encoding="unicode") + "\n"
