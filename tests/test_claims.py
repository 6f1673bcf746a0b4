"""The claims ledger: every claim decided against the installed Keras, shown where its topic lives."""

import json
import re
from pathlib import Path

import pytest
from paths import DOCS, PAGES
from site_build import claims_record

from glossary import claims

MARKER = re.compile(r"<!-- claim: ([A-Z0-9-]+) -->")
MESSAGE_MARKER = re.compile(r"<!-- error-message: ([A-Z0-9-]+) -->")
"""The error-messages page shows a claim's evidence as the message; the claim's box may be elsewhere."""
SHOWN = {
    claim_id: page
    for marker in (MESSAGE_MARKER, MARKER)  # where its box is, if it has one
    for page in PAGES
    for claim_id in marker.findall(page.read_text())
}


@pytest.fixture(scope="session")
def recorded_by_the_build(built_site):
    """The run of the claims that the site's build made and its pages show, by claim ID."""
    return {row["id"]: row for row in json.loads(claims_record(built_site).read_text())["claims"]}


@pytest.mark.parametrize("claim", claims.LEDGER.values(), ids=lambda c: c.id)
def test_claim_is_confirmed(claim, recorded_by_the_build):
    """The site's build ran the check and found what the ledger says: a true claim holds, a false
    one does not (or the check could not run here, and the pages say why)."""
    built = recorded_by_the_build[claim.id]
    assert built["statement"] == claim.statement, f"{claim.id}: the build ran another wording"
    if built["skipped"]:
        pytest.skip(f"{claim.id}: {built['skipped']}")
    assert not built["error"], f"{claim.id} raised: {built['error']}"
    assert built["confirmed"], f"{claim.id}: {built['detail']}"


def first_of_each_module() -> list:
    """The first claim of each claims module: a sample spread over every module's code."""
    first = {}
    for claim in claims.LEDGER.values():
        first.setdefault(claim.check.__module__, claim)
    return list(first.values())


@pytest.mark.parametrize("claim", first_of_each_module(), ids=lambda c: c.id)
def test_a_run_in_another_process_finds_the_same(claim, recorded_by_the_build):
    """A check run here, in another process and after other tests, gives the evidence the build
    recorded, so the pages state what any run states: a check does not depend on what ran before
    it. A sample, not the whole ledger: the build already runs every check once, and running them
    all again was one of the suite's largest costs."""
    result = claims.run(claim)
    built = recorded_by_the_build[claim.id]
    assert (result.skipped or None) == built["skipped"]  # the record writes no reason as null
    if not result.skipped:
        assert (built["holds"], built["detail"]) == (result.evidence.holds, result.evidence.detail)


@pytest.mark.parametrize("claim", claims.LEDGER.values(), ids=lambda c: c.id)
def test_claim_is_shown_on_its_page(claim):
    """Each claim appears, as a marker, on the page its topic lives on, and that section exists."""
    page, _, section = claim.page.partition("#")
    assert claim.id in SHOWN, f"{claim.id} is on no page"
    assert SHOWN[claim.id] == DOCS / page, f"{claim.id} is on {SHOWN[claim.id].name}, not {page}"
    if section:
        headings = re.findall(r"^#+ (.+)$", (DOCS / page).read_text(), flags=re.M)
        slugs = {re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", h.lower()).strip()) for h in headings}
        assert section in slugs, f"{claim.page}: no such section"


def test_pages_name_only_registered_claims():
    """No page shows a claim ID that the ledger does not hold."""
    assert set(SHOWN) <= set(claims.LEDGER)  # the build also stops on one it cannot find


def test_false_claims_say_what_is_true():
    """Every false claim names a true claim that corrects it."""
    for claim in claims.LEDGER.values():
        if not claim.verdict:
            assert claim.corrected_by in claims.LEDGER, claim.id
            assert claims.LEDGER[claim.corrected_by].verdict, claim.id


def test_corrections_say_where_they_hold(built_site):
    """A correction that holds only on some set-ups says which in its row of the corrections table,
    as its claim's box does (the table once called a statement false where Keras's source shows it
    true, on JAX with a GPU)."""
    rows = re.findall(r"<tr>(.*?)</tr>", (built_site / "corrections" / "index.html").read_text(), re.S)
    for claim in claims.LEDGER.values():
        correction = claims.LEDGER.get(claim.corrected_by)
        if claim.verdict or not correction.depends_on:
            continue
        (row,) = [row for row in rows if f">{claim.id}</a>" in row]
        assert "Depends on:" in row, claim.id


def test_claim_markers_in_tests_are_registered():
    """Tests that prove a claim name it with @pytest.mark.claim; every name must be in the ledger."""
    named = {
        claim_id
        for test_file in Path(__file__).parent.glob("test_*.py")
        for claim_id in re.findall(r'mark\.claim\("([^"]+)"\)', test_file.read_text())
    }
    assert named, "some tests name the claim they prove"
    assert named <= set(claims.LEDGER), named - set(claims.LEDGER)


@pytest.mark.parametrize(
    "row, outcome",
    [
        ({"error": "ValueError: x", "skipped": None, "confirmed": False, "verdict": True}, "ERROR"),
        ({"error": None, "skipped": "no GPU", "confirmed": False, "verdict": True}, "SKIPPED"),
        ({"error": None, "skipped": None, "confirmed": True, "verdict": True}, "CONFIRMED"),
        ({"error": None, "skipped": None, "confirmed": True, "verdict": False}, "CONFIRMED_FALSE"),
        ({"error": None, "skipped": None, "confirmed": False, "verdict": True}, "CONTRADICTED"),
    ],
)
def test_a_recorded_row_reads_as_one_outcome(row, outcome):
    """The command, the site, the records and the matrix read a row's outcome the same way."""
    assert claims.Outcome.of(row) is claims.Outcome[outcome]
    assert claims.Outcome.of(row).agrees == (outcome not in ("ERROR", "CONTRADICTED"))


def test_each_claim_lives_in_the_module_of_its_page():
    """``glossary/claims/<section>/<page>.py`` holds the claims of ``docs/<page>.md``, and nothing else."""
    for claim in claims.LEDGER.values():
        page = claim.page.partition("#")[0].removesuffix(".md").replace("-", "_")
        assert claim.check.__module__.rsplit(".", 1)[-1] == page, f"{claim.id} is explained on {claim.page}"


def test_each_page_with_claims_has_a_ledger_page(built_site):
    """The build generates ``claims/<page>/`` with the entries of the claims ``docs/<page>.md``
    explains; no file of the sources stands in for it."""
    explained = {claim.page.partition("#")[0] for claim in claims.LEDGER.values()}
    assert not (DOCS / "claims").exists()
    for page in explained:
        built = built_site / "claims" / page.removesuffix(".md") / "index.html"
        text = built.read_text()
        assert all(
            claim_id in text
            for claim_id, claim in claims.LEDGER.items()
            if claim.page.partition("#")[0] == page
        )


def test_a_converter_that_ends_the_process_is_not_called(monkeypatch):
    """TensorFlow 2.16's TensorFlow Lite converter aborts the process on the porting claims' models
    (the release grid's runs of Keras 3.0 and 3.3): there those claims are skipped, saying why, so
    that `glossary check` goes on to the rest of the ledger."""
    import tensorflow as tf

    monkeypatch.setattr(tf, "__version__", "2.16.2")
    result = claims.run(claims.LEDGER["TFLITE-OPEN-BATCH-FAILS"])
    assert result.skipped == "TensorFlow 2.16.2's TensorFlow Lite converter ends the process here"
