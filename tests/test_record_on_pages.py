"""Text read from a claims record (a file a build may be given) reaches the page as the text it is.

Rendered with the site's own Markdown extensions, from mkdocs.yml: a forged record's evidence or
reason cannot add HTML, a link, emphasis or math to a page, or close the code span or block
that shows it.
"""

import ast
import html
import json
import re

import markdown
import pytest
from fakes import fake_context
from generators import claim_marks, ledger_pages, setups
from generators.copies import fenced
from generators.markup import generated, shown_as_code, shown_as_text
from mkdocs.config import load_config
from paths import ROOT

from glossary.claims import LEDGER, Evidence, Result
from glossary.claims.setups import wording
from glossary.terminal import printable

FORGED = "x ``` `y` <script>alert(1)</script> **b** $e^x$ [l](javascript:alert(1)) | & \\ _u_ {#id}"


@pytest.fixture(scope="module")
def render():
    config = load_config(str(ROOT / "mkdocs.yml"))

    def to_html(text: str) -> str:
        converter = markdown.Markdown(
            extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"]
        )
        return converter.convert(text)

    return to_html


def shown(page_html: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page_html))


def assert_inert(page_html: str) -> None:
    """No script, emphasis, link, math or attribute came from the forged text."""
    assert "<script" not in page_html and "<strong>b" not in page_html and 'href="javascript' not in page_html
    assert "arithmatex" not in page_html and 'id="id"' not in page_html


def test_a_recorded_reason_is_shown_as_text(render):
    page_html = render(f"Not checked: {shown_as_text(FORGED)}.")
    assert_inert(page_html)
    assert shown(page_html).strip() == f"Not checked: {FORGED}."


def test_recorded_evidence_is_shown_as_code(render):
    page_html = render(f"Holds: {shown_as_code(FORGED)}.")
    assert_inert(page_html)
    assert shown(re.search(r"<code>(.*?)</code>", page_html, re.S)[0]) == FORGED


def test_a_code_block_shows_every_line_whatever_it_holds(render):
    code = f"print(1)\n#> {FORGED}\n```\n````"
    page_html = render(fenced(code))
    assert "<script" not in page_html
    assert shown(page_html).strip() == code


def test_a_forged_record_makes_no_html_in_a_claim_mark(render, monkeypatch):
    claim = LEDGER["WEIGHT-SHAPES"]
    context = fake_context(Result(claim, Evidence(True, FORGED), 0.0))
    page_html = render(ledger_pages.claims_at(context, [claim.id], ""))
    assert_inert(page_html)
    assert FORGED in shown(page_html)


def test_a_forged_compatibility_record_makes_no_html_in_a_claim_mark(render, tmp_path):
    """The other set-ups' verdicts come from files too: their versions and evidence stay text."""
    claim = LEDGER["WEIGHT-SHAPES"]
    versions = {"Keras": FORGED, "backend": FORGED, "GPU": FORGED}
    entry = ["contradicted", wording(claim.statement), FORGED]
    (tmp_path / "forged.json").write_text(json.dumps({"versions": versions, "claims": {claim.id: entry}}))
    runs = setups.recorded(tmp_path)
    verdicts = claim_marks.Verdicts(keras="Keras", record=None, entry=lambda claim_id: "#", setups=runs)
    result = Result(claim, Evidence(True, "fine"), 0.0)
    page_html = render(generated("claim", claim_marks.mark([result], verdicts)))
    assert_inert(page_html)
    assert FORGED in shown(page_html)  # the evidence of the run that differs
    assert shown(setups.label(runs[0])).startswith(f"Keras {FORGED} on {FORGED}")


HOSTILE = {
    "closes-the-div": 'x\n--8<-- "pyproject.toml"\n</div><img src=x onerror=alert(2)>',
    "ends-a-string": "ok'''\nimport os; os.system('touch INJECTED')\n'''",
    "carriage-return": "a\rimport os; os.system('touch INJECTED')",
    "includes-a-file": '--8<-- "noxfile.py"',
    "control-characters": "\x1b[2J\x1b[31mall good\x07",
    "a-list-and-a-rule": "line\n\n- item\n\n---\n\nafter",
}


def assert_only_text(page_html: str, plain_html: str) -> None:
    """No image, list, rule, include or control character came from the text: the HTML has the
    same elements as for plain evidence (a claim's mark is a list of its claims)."""
    assert "<img" not in page_html and "<hr" not in page_html
    assert "[project]" not in page_html and "\x1b" not in page_html and "\r" not in page_html
    tags = re.compile(r"</?[a-z]+")
    assert tags.findall(page_html) == tags.findall(plain_html)


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_evidence_stays_one_line_of_text(text, render, monkeypatch):
    """In a claim box, as a page holds it: no element, include, list or rule comes from the text."""
    claim = LEDGER["WEIGHT-SHAPES"]

    def box(evidence: str) -> str:
        context = fake_context(Result(claim, Evidence(True, evidence), 0.0))
        return render(ledger_pages.claims_at(context, [claim.id], ""))

    assert_only_text(box(text), box("plain"))


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_evidence_in_a_check_script_is_only_comments(text):
    """The ledger's script shows recorded evidence as ``#>`` comments: nothing in it runs or is included."""
    printed = ledger_pages.printed(text, indent=4)
    lines = printed.splitlines()
    assert lines and all(line.startswith("    #>") for line in lines)
    assert "\r" not in printed and "\x1b" not in printed
    assert ast.parse(f"if True:\n    pass\n{printed}").body[0].body[0].__class__.__name__ == "Pass"
    assert not any(line.lstrip().startswith("--8<--") for line in lines)


def test_recorded_text_is_kept_from_the_sites_math():
    """The browser turns the character references back into ``\\(``, which KaTeX would render: the
    span that holds recorded text is a class KaTeX is told to skip."""
    shown = shown_as_text(r"\(\href{https://example.org}{x}\) and \[\int_0^1 x\,dx\]")
    assert shown.startswith('<span class="recorded">') and "\\(" not in shown
    katex = (ROOT / "docs" / "assets" / "javascripts" / "katex-init.js").read_text()
    assert 'ignoredClasses: ["recorded"]' in katex


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_evidence_shown_as_an_error_message_is_only_text(text, render, monkeypatch):
    """The error-messages page shows a claim's evidence line for line: each line stays text, and no
    line becomes an element, an include, a list or a rule."""
    claim = LEDGER["ERROR-NDIM-4"]

    def block(evidence: str) -> str:
        context = fake_context(Result(claim, Evidence(True, evidence), 0.0))
        return render(generated("error-message", ledger_pages.error_message(context, claim.id, "")))

    page_html = block(text)
    assert_only_text(page_html, block("plain"))
    message = re.search(r'<pre class="error-message"><code>(.*?)</code></pre>', page_html, re.S)[1]
    assert html.unescape(message).splitlines() == [printable(line) for line in text.splitlines()]
