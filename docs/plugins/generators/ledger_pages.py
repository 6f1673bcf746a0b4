"""The claims ledger on the site: claim marks, error messages, the index, each page's entries.

A page's ``<!-- claim: ID -->`` lines become a mark (`generators.claim_marks`), and
``<!-- error-message: ID -->`` the message a claim's check caught. The ledger's index lists every
claim by the page that explains it; a page's ledger page (``claims/PAGE.md``, generated) holds each
of its claims' statement, verdict and check, as a script that runs after the module's set-up.
"""

from __future__ import annotations

import ast
import html
import inspect
import re
import sys
import textwrap

from mkdocs.exceptions import PluginError

from generators import claim_marks, release_history
from generators.build_context import LEDGER_PAGE, SOURCE, BuildContext, anchor, ledger_page
from generators.copies import copying, fenced, setup_box
from generators.markup import MARKDOWN_MARKS, shown_as_code, shown_as_text
from glossary.terminal import printable

CLAIM_MARKER = re.compile(r"^<!-- claim: (?P<id>[A-Z0-9-]+) -->$", re.M)
CLAIMS_TOGETHER = re.compile(r"^<!-- claim: [A-Z0-9-]+ -->(?:\n\s*<!-- claim: [A-Z0-9-]+ -->)*$", re.M)
"""Claim markers on consecutive lines (blank lines between them): one place of a page, one mark."""


def claims_at(context: BuildContext, claim_ids: list[str], to_root: str) -> str:
    """The mark (and corrections) of the claims whose markers stand together on a page."""
    return claim_marks.claims_at(
        [context.result(claim_id) for claim_id in claim_ids], context.result, context.verdicts(to_root)
    )


def error_message(context: BuildContext, claim_id: str, to_root: str) -> str:
    """The message a claim's check caught, line for line, as Keras printed it, and where it comes from.

    The message is the claim's evidence: read from a record, it is shown as `shown_as_text` shows
    text, less the joining of lines. A ``-`` is a reference too, so that no line can become a
    ``--8<--`` include; ``markdown="0"`` keeps the block out of Markdown's hands.
    """
    result = context.result(claim_id)
    if result.skipped:
        where = (
            f"as recorded in {shown_as_code(context.origin.record)}" if context.origin else "in this build"
        )
        return f"Not produced {where}: {shown_as_text(result.skipped)} ({context.link(claim_id, to_root)})."
    lines = (
        MARKDOWN_MARKS.sub(lambda mark: f"&#{ord(mark[0])};", html.escape(printable(line), quote=False))
        for line in result.evidence.detail.splitlines()
    )
    escaped = "\n".join(lines).replace("-", "&#45;")
    return (
        f'<pre class="error-message" markdown="0"><code>{escaped}</code></pre>\n\n'
        f"Printed by {context.keras_label()} while this site was built: {context.link(claim_id, to_root)}."
    )


def ledger_index(context: BuildContext, to_root: str) -> str:
    """Every claim, under the page that explains it, in the order of the navigation.

    Each line links to the claim's entry on its page's ledger page, where its check is.
    """
    by_page = context.claims_by_page()
    unlisted = sorted(set(by_page) - set(context.titles))
    if unlisted:
        raise PluginError(f"claims are explained on pages missing from the navigation: {unlisted}")
    parts, section_listed = [context.origin_sentence()], None
    for page, (section, title) in context.titles.items():
        if page not in by_page:
            continue
        if section != section_listed:
            parts.append(f"## {section}")
            section_listed = section
        lines = [
            f"- {context.link(result.claim.id, to_root)}, "
            + ("true" if result.claim.verdict else "false")
            + (", not checked in this build" if result.skipped else "")
            + f": {result.claim.statement}"
            for result in by_page[page]
        ]
        checks = f"{to_root}{ledger_page(page)}"
        parts.append(
            f"### {title}\n\n[The page]({to_root}{page}) · [Its checks]({checks})\n\n" + "\n".join(lines)
        )
    return "\n\n".join(parts)


def page_title(context: BuildContext, page: str) -> str:
    """The title the navigation gives ``page``, or its file name where it lists none."""
    return context.titles.get(page, (None, page))[1]


def entries_of(context: BuildContext, page: str, to_root: str) -> str:
    """The ledger page of the claims ``page`` explains: each claim's statement, verdict and check.

    The checks of one page live in one module; its set-up (the module less its checks) is shown
    once, above them, and copying a check copies that set-up with it.
    """
    results = context.claims_by_page().get(page)
    if not results:
        raise PluginError(f"{ledger_page(page)}: no claim of the ledger is explained on {page}")
    title = page_title(context, page)
    module = results[0].claim.check.__module__
    setup = setup_of(module)
    sections = [
        f"The claims made on the page [{title}]({to_root}{page}), each decided by a check that runs "
        f"against Keras. {context.origin_sentence()} The [ledger's index]({to_root}{LEDGER_PAGE}) lists "
        "the claims of every page.",
        f"The checks share the set-up of `{module}`: the module without its checks, that is, its "
        "imports and helpers. Copying a check copies this set-up with it, so the copy runs as a script.",
        setup_box(setup, f"set-up of {module}, the module without its checks"),
    ]
    for result in results:
        claim, claim_id = result.claim, result.claim.id
        facts = [
            f"- **Statement:** {claim.statement}",
            # No timings here: two builds of one commit must give the same page.
            f"- **Verdict:** {'true' if claim.verdict else 'false'}. "
            + claim_marks.verdict_sentence(result, context.verdicts(to_root)),
            f"- **Where it is explained:** [{section_title(claim.page, title)}]({to_root}{claim.page})",
        ]
        other = claim_marks.elsewhere(claim_id, context.setups)
        if other:
            compatibility = f"[Compatibility]({to_root}compatibility.md)"
            facts.insert(2, f"- **Other set-ups:** {other.removeprefix('Elsewhere: ')} ({compatibility})")
        if claim.depends_on:
            facts.append(f"- **Depends on:** {claim.depends_on}")
        if since := release_history.holds_since_mark(claim_id):
            facts.append(f"- **Release history:** {since} ([by release]({to_root}release-history.md))")
        if claim.corrected_by:
            facts.append(f"- **What is true instead:** {context.link(claim.corrected_by, to_root)}")
        check = f"`{claim.check.__module__}.{claim.check.__name__}`"
        sections.append(
            f"## {claim_id} {{#{anchor(claim_id)}}}\n\n"
            + "\n".join(facts)
            + f"\n\nThe check, {check}, as a script that runs it after the set-up above:\n\n"
            + check_script(result, setup)
        )
    return "\n\n".join(sections) + "\n"


def corrections(context: BuildContext, to_root: str) -> str:
    """The table of false statements the ledger holds, each beside what is true instead."""
    rows = ["| What is often said | What Keras shows | Claims |", "| --- | --- | --- |"]
    for claim_id, result in context.results.items():
        claim = result.claim
        if claim.verdict:
            continue
        correction = context.result(claim.corrected_by).claim
        # a correction that holds only on some set-ups says which, as its claim's box does
        truth = correction.statement
        if correction.depends_on:
            truth += f" Depends on: {correction.depends_on}."
        links = context.link(claim_id, to_root) + (
            f", {context.link(claim.corrected_by, to_root)}" if claim.corrected_by else ""
        )
        rows.append(f"| {claim.statement} | {truth} | {links} |")
    return context.origin_sentence() + "\n\n" + "\n".join(rows)


def section_title(explained_on: str, page_title: str) -> str:
    """``The gates, “Forget gate”``: the page's title and the heading of the section ``#`` names."""
    page, _, section = explained_on.partition("#")
    if not section:
        return page_title
    source = (SOURCE / "docs" / page).read_text(encoding="utf-8")
    for heading in re.findall(r"^#{2,6} (.+?)(?: \{[^}]*\})?$", source, re.M):
        if re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", heading.lower()).strip()) == section:
            return f"{page_title}, “{heading.replace('`', '')}”"
    raise PluginError(f"{explained_on}: no such section")


def setup_of(module_name: str) -> str:
    """What a check of ``module_name`` needs above it: the module without its checks.

    The names every shown check uses to run (``checking``) or to say why it cannot
    (``NotApplicable``) are imported with the module's own imports, where they are missing.
    """
    setup = without_checks(inspect.getsource(sys.modules[module_name]))
    tree = ast.parse(setup)
    imported = {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    missing = [name for name in ("NotApplicable", "checking") if name not in imported]
    if not missing:
        return setup
    last_import = max(node.end_lineno for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom)))
    lines = setup.splitlines()
    lines.insert(last_import, f"from glossary.claims.registry import {', '.join(missing)}")
    return "\n".join(lines)


def check_script(result, setup: str) -> str:
    """A claim's check as code a reader can copy and run.

    The block shows the function without its ``@claim`` (the list above gives its arguments) and
    a call to it that prints the evidence this build recorded; its copy button copies ``setup``
    (its module less its checks, shown once above the entries) with them.
    """
    check = result.claim.check
    module = sys.modules[check.__module__]
    source = textwrap.dedent(inspect.getsource(check))
    function = source[re.search(r"^def ", source, re.M).start() :].rstrip()
    # A false statement's check calls the check of the claim that corrects it, often in this module.
    called = sorted(
        node.id
        for node in ast.walk(ast.parse(function))
        if isinstance(node, ast.Name)
        and node.id != check.__name__
        and _is_check(getattr(module, node.id, None))
    )
    imported = f"from {check.__module__} import {', '.join(called)}\n\n\n" if called else ""
    call = "with checking():  # as `glossary check` runs it: Keras's seed at 0, no gradients\n"
    if result.skipped:  # where the check cannot run, it says why, as it did in this build
        call += (
            f"    try:\n        print({check.__name__}().detail)\n    except NotApplicable as reason:\n"
            '        print("not checked here:", reason)\n'
            + printed(f"not checked here: {result.skipped}", indent=8)
        )
    else:
        call += f"    print({check.__name__}().detail)\n" + printed(result.evidence.detail, indent=4)
    code = f"{imported}{function}\n\n\n{call}\n"
    return copying(fenced(code), f"{setup}\n\n\n{code}")


def _is_check(function) -> bool:
    from glossary.claims import LEDGER

    return any(claim.check is function for claim in LEDGER.values())


def without_checks(module_source: str) -> str:
    """A claims module without its ``@claim`` functions: the imports and helpers the checks use."""
    lines = module_source.splitlines()
    for node in reversed(ast.parse(module_source).body):
        decorators = getattr(node, "decorator_list", [])
        if any(isinstance(d, ast.Call) and getattr(d.func, "id", "") == "claim" for d in decorators):
            del lines[decorators[0].lineno - 1 : node.end_lineno]
    return re.sub(r"\n{3,}", "\n\n\n", "\n".join(lines)).strip()


def printed(text: str, indent: int) -> str:
    """``text``, read from a record, as ``#>`` comment lines under the ``print`` that printed it.

    Every line a comment, with its control characters written as escapes: no text can end the
    comment (a carriage return would, for Python) and run as code when the reader runs the
    script, and no line starts with ``--8<--``, which pymdownx.snippets would expand.
    """
    pad = " " * indent
    return "".join(f"{pad}#> {printable(line, lines=False)}".rstrip() + "\n" for line in text.split("\n"))
