"""MkDocs hooks: what the site states about itself, produced while it builds.

- The end of every page carries a stamp: the commit the site was built from and the Keras,
  TensorFlow and NumPy versions its claims were checked against, taken from the claims run, with
  links to report a problem with the page and to edit its source (``extra.repository``).
- Every claim of the ledger is run against that Keras before any page is written (or read from a
  recorded run of this ledger on the same versions: ``CLAIMS_RECORD``); a claim whose check
  disagrees with the ledger stops the build. A page shows a claim with
  ``<!-- claim: ID -->``; ``<!-- claims-ledger -->`` expands to the index of the whole ledger,
  ``<!-- claims-of: PAGE -->`` to the entries (statement, verdict, check) of one page's claims,
  and ``<!-- corrections -->`` to the table of corrected statements.
- The term registry renders ``<!-- glossary-terms -->`` (each term with its example, run now,
  and what it printed) and ``<!-- crosswalk -->``, and every page gets a tooltip on each use of
  a term, through Markdown abbreviations.
"""

from __future__ import annotations

import ast
import hashlib
import html
import inspect
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import quote, urlsplit

import claim_marks
import navigation
import release_history
import setups
from complete_copies import copying, fenced, setup_box
from markup import MARKDOWN_MARKS, generated, shown_as_code, shown_as_text
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from glossary.terminal import printable
from glossary.versions import quiet_tensorflow

CHECKED_AGAINST = ("Keras", "TensorFlow", "NumPy")
"""The libraries every page's code runs against."""

CLAIMS_RECORD = "GLOSSARY_CLAIMS_RECORD"
"""Names a ``glossary check --output`` file. Where it exists, the build shows the claims' results
recorded there instead of running every claim again (about half of a build's time); it must record the
whole ledger on the versions installed here. Where it does not exist yet, the build runs the claims
and writes it. The tests' second build of the site reuses the first build's run this way."""
CLAIM_MARKER = re.compile(r"^<!-- claim: (?P<id>[A-Z0-9-]+) -->$", re.M)
CLAIMS_TOGETHER = re.compile(r"^<!-- claim: [A-Z0-9-]+ -->(?:\n\s*<!-- claim: [A-Z0-9-]+ -->)*$", re.M)
"""Claim markers on consecutive lines (blank lines between them): one place of a page, one mark."""
ERROR_MESSAGE_MARKER = re.compile(r"^<!-- error-message: (?P<id>[A-Z0-9-]+) -->$", re.M)
CLAIMS_OF_MARKER = re.compile(r"^<!-- claims-of: (?P<page>[a-z0-9-]+\.md) -->$", re.M)
LEDGER_PAGE = "claims.md"
"""The ledger's index: every claim, by the page that explains it, linked to its entry."""
LEDGER_FOLDER = "claims"
"""Where each page's entries are: ``claims/gates.md`` holds the checks of ``gates.md``'s claims, so
that a reader who follows one claim's link loads one page's checks, not the whole ledger's."""
_results = {}
_stamp: dict[str, str] = {}
"""What every page's stamp says: the versions of the claims run (``versions``, as one phrase) and
the commit the site is built from (``commit``)."""
_origin: dict[str, str] = {}
"""Where this build's verdicts come from: empty when it ran the claims, else the record's file
name and SHA-256."""
_run: dict = {}
"""This build's run of the ledger, as `glossary check --output` writes it: versions and rows."""
_setups: list[setups.SetUp] = []
"""The other set-ups the ledger was run on (`glossary.claims.setups`), read once per build."""


def on_pre_build(config):
    """Run every claim (or read a recorded run); stop the build if one disagrees with the ledger.

    Whatever stops the build is one line, with anything read from the record or the environment
    (a path, a claim's ID or evidence) shown with its control characters escaped.
    """
    quiet_tensorflow()  # before the checks import it
    from glossary.claims import record

    try:
        ledger_run = _ledger_run()
    except PluginError as stopped:
        raise PluginError(printable(str(stopped), lines=False)) from None
    failures = [
        f"claim {row['id']} should {'hold' if row['verdict'] else 'fail'} but its check "
        + (f"raised {row['error']}" if row["error"] else f"says: {row['detail']}")
        for row in record.failed(ledger_run["claims"])
    ]
    if failures:
        source = f" (as recorded in {os.environ[CLAIMS_RECORD]})" if _origin else ""
        message = "; ".join(failures) + f"{source} (`glossary check` shows every claim)"
        raise PluginError(printable(message, lines=False))
    _results.clear()
    _results.update({row["id"]: record.as_result(row) for row in ledger_run["claims"]})
    _run.clear()
    _run.update(ledger_run)
    _stamp.update(versions=_versions_phrase(ledger_run["versions"]), commit=_source_commit(SOURCE))
    # The matrix's run of this build's own Keras and backend says nothing the build did not find.
    own = (ledger_run["versions"].get("Keras"), ledger_run["versions"].get("backend"))
    _setups[:] = [
        run
        for run in setups.recorded()
        if run.on_gpu or (run.versions["Keras"], run.versions["backend"]) != own
    ]


def _ledger_run() -> dict:
    """The run this build shows: read from ``CLAIMS_RECORD``, or made now (and written there)."""
    from glossary.claims import LEDGER, record

    saved = Path(os.environ[CLAIMS_RECORD]) if os.environ.get(CLAIMS_RECORD) else None
    try:
        exists = saved is not None and (saved.exists() or saved.is_symlink())
        if exists and not saved.is_file():
            raise PluginError(f"{CLAIMS_RECORD}: {saved} is not a regular file; name a file to write")
        writable = saved is None or exists or (saved.parent.is_dir() and os.access(saved.parent, os.W_OK))
    except OSError as error:  # a name too long for the system, say
        raise PluginError(f"{CLAIMS_RECORD}: {saved} cannot be used ({error.strerror or error})") from None
    if not writable:
        raise PluginError(f"{CLAIMS_RECORD}: {saved.parent} is not a folder this build can write in")
    if exists:
        try:
            ledger_run = record.load_for_this_ledger(saved)
            digest = hashlib.sha256(saved.read_bytes()).hexdigest()
        except record.UnusableRecordError as unusable:
            fix = "delete the file, and the build runs the claims and writes it again"
            raise PluginError(f"{CLAIMS_RECORD}: {unusable}; {fix}") from None
        except OSError as error:
            said = error.strerror or error
            raise PluginError(f"{CLAIMS_RECORD}: {saved} cannot be read ({said})") from None
        _origin.update(record=saved.name, sha256=digest)
        return ledger_run
    ledger_run = record.run_all(LEDGER.values())
    _origin.clear()
    if saved is not None:
        try:
            record.write(ledger_run, saved)
        except OSError as error:
            said = error.strerror or error
            raise PluginError(f"{CLAIMS_RECORD}: {saved} cannot be written ({said})") from None
    return ledger_run


def on_files(files, config):
    """Add the ledger's page of each page with claims, ``claims/PAGE.md``: generated, never written."""
    from glossary.claims import LEDGER

    explained = sorted({claim.page.partition("#")[0] for claim in LEDGER.values()})
    for page in explained:
        files.append(
            File.generated(config, f"{LEDGER_FOLDER}/{page}", content=f"<!-- claims-of: {page} -->\n")
        )
    return files


def on_page_markdown(markdown, page, config, files):
    """Expand the claim boxes and the generated sections of a page, and add the terms' tooltips."""
    to_root = "../" * page.file.src_uri.count("/")
    markdown = CLAIMS_TOGETHER.sub(lambda m: _claims_at(CLAIM_MARKER.findall(m[0]), to_root), markdown)
    markdown = ERROR_MESSAGE_MARKER.sub(
        lambda m: generated("error-message", _error_message(m["id"], to_root)), markdown
    )
    if CLAIMS_OF_MARKER.search(markdown):
        # Out of the search index, which every page loads: the checks were two fifths of it. The
        # index page lists each claim's ID and statement, and a search finds them there.
        page.meta.setdefault("search", {"exclude": True})
        titles = _nav_titles(config["nav"])
        markdown = CLAIMS_OF_MARKER.sub(
            # The title outside the generated part, where MkDocs finds a page's title.
            lambda m: (
                f"# Claims ledger: {titles.get(m['page'], (None, m['page']))[1]}\n\n"
                + generated("claims-of", _entries_of(m["page"], titles, to_root))
            ),
            markdown,
        )
    markdown = _with_its_questions(markdown, page.file.src_uri)
    markdown = markdown.replace(INSTALL_MARKER, _install_lines(config))
    markdown = markdown.replace(CI_JOB_MARKER, _ci_job(config))
    sections = {
        "<!-- claims-ledger -->": lambda to_root: _ledger_index(config["nav"], to_root),
        "<!-- corrections -->": _corrections,
        "<!-- glossary-terms -->": _glossary,
        "<!-- crosswalk -->": _crosswalk,
        "<!-- questions -->": _questions,
        "<!-- compatibility -->": _compatibility,
        "<!-- check-sample -->": _check_sample,
    }
    for marker, render in sections.items():
        if marker in markdown:  # rendering runs examples: only for the page that shows them
            name = marker.strip("<!-> ")
            # The matrix's cells (✓, skipped, not run) are no answer to a reader's words.
            shown = generated(name, render(to_root), searched=name != "compatibility")
            markdown = markdown.replace(marker, shown)
    return markdown + "\n\n" + _abbreviations()


def _versions_phrase(versions: dict) -> str:
    """The run's Keras (with its backend), TensorFlow and NumPy, as a phrase of escaped text."""
    shown = [f"{name} {versions[name]}" for name in CHECKED_AGAINST if versions.get(name)]
    if shown and versions.get("backend"):
        shown[0] += f" ({versions['backend']} backend)"
    phrase = ", ".join(shown[:-1]) + (" and " if len(shown) > 1 else "") + shown[-1] if shown else "?"
    return html.escape(printable(phrase, lines=False))


SOURCE = Path(__file__).resolve().parent.parent.parent
"""The project's root: the git checkout the site is built from."""


def _source_commit(root: Path) -> str:
    """The commit ``root`` holds, as escaped HTML, saying so where files differ from it."""

    def git(*arguments: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", "-C", str(root), *arguments], capture_output=True, text=True, timeout=30
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    if not commit or not re.fullmatch(r"[0-9a-f]{40}", commit):
        return "a tree that is not a git checkout"
    changed = git("status", "--porcelain", "--untracked-files=no")
    return f"commit <code>{commit[:12]}</code>" + (" with changes not yet committed" if changed else "")


def on_post_page(output, page, config):
    """End the page's article with its stamp and its links to report a problem and to edit it."""
    if "</article>" not in output or not _stamp:
        return output
    cited = set(re.findall(r'(?:href="[^"]*#|id=")claim-([a-z0-9-]+)"', output))
    claims = [
        result for result in _results.values() if anchor(result.claim.id).removeprefix("claim-") in cited
    ]
    checked = sum(not result.skipped for result in claims)
    if claims:
        counted = (
            f"the {len(claims)} claims on this page were" if len(claims) > 1 else "the claim on this page was"
        )
        if checked < len(claims):
            counted = (
                f"{checked} of the {len(claims)} claims on this page {'was' if checked == 1 else 'were'}"
            )
        said = f"Built from {_stamp['commit']}; {counted} checked against {_stamp['versions']}."
        unchecked = len(claims) - checked
        if unchecked:
            boxes = "its box says" if unchecked == 1 else "their boxes say"
            said += f" {unchecked} could not run there; {boxes} why."
    else:
        said = f"Built from {_stamp['commit']}, with {_stamp['versions']}."
    links = _correction_links(page, config)
    stamp = (
        '<aside class="page-stamp" data-generated="stamp" aria-label="Where this page comes from">'
        f"<p>{said}</p>{links}</aside>"
    )
    at = output.rindex("</article>")
    return output[:at] + stamp + output[at:]


def _repository(config) -> str:
    """The repository the site is published from (``extra.repository``), or ``""`` where none is set."""
    repository = (config["extra"].get("repository") or "").rstrip("/")
    parts = urlsplit(repository)
    if repository and (parts.scheme != "https" or not parts.netloc or parts.query or parts.fragment):
        raise PluginError(
            f"extra.repository must be an https address, not {printable(repository, lines=False)}"
        )
    return repository


INSTALL_MARKER = "<!-- install -->"
CI_JOB_MARKER = "<!-- ci-job -->"
SAMPLE_ROWS = 8
"""How many rows of a run the glossary command's page shows."""


def _package_source(config) -> str:
    """What pip installs the package from: the published repository, or a checkout where none is set."""
    repository = _repository(config)
    return f"git+{repository}" if repository else "/path/to/lstm-glossary"


def _ci_job(config) -> str:
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
        python -m pip install "{_package_source(config)}"
    - name: Check the claims against this Keras
      run: glossary check --junit claims.xml
    - name: Keep the report
      if: always()
      uses: actions/upload-artifact@v4
      with:
        name: lstm-claims
        path: claims.xml"""
    return fenced(job, "yaml")


def _install_lines(config) -> str:
    """How to install the package and run the ledger: from the published repository, where there is one."""
    repository = _repository(config)
    source = _package_source(config)
    said = (
        "From the repository the site is published from:"
        if repository
        else "From a checkout of the repository (a published site names its address here):"
    )
    with_keras = f"lstm-glossary[keras] @ {source}" if repository else f"{source}[keras]"
    return (
        f"{said}\n\n"
        + fenced(f'python -m pip install "{source}"\nglossary check', "bash")
        + "\n\nTo get Keras and TensorFlow as well, at the versions the site was checked against, install "
        "the `keras` extra instead (PyTorch, for the PyTorch page, is not included):\n\n"
        + fenced(f'python -m pip install "{with_keras}"', "bash")
        + "\n\nThe frameworks `glossary port` converts for come the same way, with the extra `torch`, "
        "`onnx`, `flax` or `mlx` in place of `keras`."
    )


def _check_sample(to_root: str) -> str:
    """The head of what `glossary check` printed for this build, with its count and time."""
    from glossary.claims import setups as recorded_setups
    from glossary.cli import check_table

    rows, versions = _run["claims"], _run["versions"]
    judgement = recorded_setups.judge(
        rows, *recorded_setups.for_versions(versions, recorded_setups.recorded())
    )
    printed = printable(check_table(versions, rows, width=120, judgement=judgement)).splitlines()
    head, summary = printed[: 3 + SAMPLE_ROWS], printed[3 + len(rows) + 1 : 3 + len(rows) + 3]
    cut = f"… {len(rows) - SAMPLE_ROWS} more rows …"
    said = f"{_origin_sentence()} What `glossary check` printed for them, its first rows and its summary:"
    return f"{said}\n\n" + fenced("\n".join([*head, cut, "", *summary]), "text")


def _correction_links(page, config) -> str:
    """Links to report a problem with ``page`` and to edit its source; none without a repository.

    Plain links to the repository: a page fetches nothing from it when it is viewed.
    """
    repository = _repository(config)
    if not repository:
        return ""
    source = f"docs/{page.file.src_uri}"
    if page.file.src_uri.startswith(f"{LEDGER_FOLDER}/"):  # its entries come from the page's claims module
        explained = page.file.src_uri.removeprefix(f"{LEDGER_FOLDER}/")
        results = _claims_by_page().get(explained)
        if results:
            source = results[0].claim.check.__module__.replace(".", "/") + ".py"
    title = f"Problem on the page {page.title}"
    body = (
        f"Page: {page.canonical_url or page.url}\n"
        f"Built from: {re.sub(r'<[^>]+>', '', _stamp['commit'])}\n"
        f"Checked against: {html.unescape(_stamp['versions'])}\n\n"
        "What is wrong, and what you expected:\n"
    )
    report = f"{repository}/issues/new?title={quote(title)}&body={quote(body)}"
    edit = f"{repository}/edit/main/{quote(source)}"
    return (
        f'<p class="page-links"><a href="{html.escape(report)}">Report a problem with this page</a>'
        f' · <a href="{html.escape(edit)}">Edit this page</a></p>'
    )


INTRODUCTION = re.compile(r"\A(?P<intro>\s*# .+\n\n(?:.+\n)+)")
"""A page's title and first paragraph."""


def _with_its_questions(markdown: str, source: str) -> str:
    """``markdown`` with the FAQ's questions that the page answers, listed after its first paragraph.

    Each links to the part of the page that answers it. A reader who arrives with a question sees
    that it is answered here, and where. The site's search finds the page by the question's words:
    Material ranks a page's introduction above its sections, so the list belongs there (under a
    heading of its own, or beside the section that answers it, 6 of the 32 questions missed the
    top three).
    """
    from glossary.questions import QUESTIONS

    answered = [question for question in QUESTIONS if question.page.partition("#")[0] == source]
    if not answered:
        return markdown
    introduction = INTRODUCTION.match(markdown)
    if introduction is None:
        raise PluginError(f"{source}: no first paragraph to put the questions it answers after")
    links = [
        f"    - [{question.question}](#{question.page.partition('#')[2]})"
        if "#" in question.page
        else f"    - {question.question} (the whole page answers it)"
        for question in answered
    ]
    box = '!!! question "Questions this page answers"\n\n' + "\n".join(links)
    listed = generated("questions-answered", box)
    return introduction["intro"] + "\n" + listed + "\n\n" + markdown[introduction.end() :]


def _glossary(to_root: str) -> str:
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
            f"### {term.name} {{#{_slug(term.name)}}}\n\n{term.definition} "
            f"[Explained on its page.]({to_root}{term.page})\n\n"
            + " · ".join(facts)
            + f'\n\n```python\n--8<-- "snippets/terms/{term.example_name}.py"\n```\n'
        )
    return "\n".join(entries)


def _crosswalk(to_root: str) -> str:
    from glossary.terms import TERMS

    rows = ["| Term | Keras | PyTorch | Symbol | Elsewhere |", "| --- | --- | --- | --- | --- |"]
    for term in TERMS:
        symbol = f"${term.symbol}$" if term.symbol else ""
        link = f"[{term.name}]({to_root}glossary.md#{_slug(term.name)})"
        rows.append(f"| {link} | {term.keras} | {term.pytorch} | {symbol} | {term.literature} |")
    return "\n".join(rows)


def _abbreviations() -> str:
    from glossary.terms import TERMS

    return "\n".join(f"*[{term.name}]: {term.definition}" for term in TERMS)


def _slug(name: str) -> str:
    return "term-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def anchor(claim_id: str) -> str:
    """The anchor of a claim's entry on its ledger page."""
    return "claim-" + claim_id.lower()


def ledger_page(explained_on: str) -> str:
    """The ledger page (from the docs' root) of the claims explained on ``explained_on``."""
    return f"{LEDGER_FOLDER}/{explained_on.partition('#')[0]}"


def entry(claim_id: str, to_root: str) -> str:
    """The address of a claim's entry, from a page ``to_root`` below the docs' root."""
    return f"{to_root}{ledger_page(_result(claim_id).claim.page)}#{anchor(claim_id)}"


def _keras_label() -> str:
    """The Keras the verdicts hold on, and where they come from when a record gave them."""
    import keras

    label = f"Keras {keras.__version__} ({keras.backend.backend()} backend)"
    if _origin:
        label += f", as recorded in {shown_as_code(_origin['record'])} (SHA-256 {_origin['sha256'][:12]})"
    return label


def _origin_sentence() -> str:
    """Where the verdicts of this build come from, for the top of the ledger."""
    if not _origin:
        return "Every verdict below was found by running its check while this site was built."
    return (
        f"Every verdict below was read from the recorded run {shown_as_code(_origin['record'])} "
        f"(SHA-256 `{_origin['sha256']}`), made on the versions this site was built with by the "
        "checks as they are shown here, not by running them during this build."
    )


def _result(claim_id: str):
    if claim_id not in _results:
        raise PluginError(f"no claim {claim_id} in the ledger")
    return _results[claim_id]


def _error_message(claim_id: str, to_root: str) -> str:
    """The message a claim's check caught, line for line, as Keras printed it, and where it comes from.

    The message is the claim's evidence: read from a record, it is shown as `shown_as_text` shows
    text, less the joining of lines. A ``-`` is a reference too, so that no line can become a
    ``--8<--`` include; ``markdown="0"`` keeps the block out of Markdown's hands.
    """
    result = _result(claim_id)
    if result.skipped:
        where = f"as recorded in {shown_as_code(_origin['record'])}" if _origin else "in this build"
        return f"Not produced {where}: {shown_as_text(result.skipped)} ({_link(claim_id, to_root)})."
    lines = (
        MARKDOWN_MARKS.sub(lambda mark: f"&#{ord(mark[0])};", html.escape(printable(line), quote=False))
        for line in result.evidence.detail.splitlines()
    )
    shown = "\n".join(lines).replace("-", "&#45;")
    return (
        f'<pre class="error-message" markdown="0"><code>{shown}</code></pre>\n\n'
        f"Printed by {_keras_label()} while this site was built: {_link(claim_id, to_root)}."
    )


def _link(claim_id: str, to_root: str) -> str:
    return f"[{claim_id}]({entry(claim_id, to_root)})"


def _verdicts(to_root: str) -> claim_marks.Verdicts:
    """What a claim's mark says of where its verdict comes from, for a page ``to_root`` below the root."""
    return claim_marks.Verdicts(
        keras=_keras_label(),
        record=_origin.get("record"),
        entry=lambda claim_id: entry(claim_id, to_root),
        setups=_setups,
    )


def _claims_at(claim_ids: list[str], to_root: str) -> str:
    """The mark (and corrections) of the claims whose markers stand together on a page."""
    return claim_marks.claims_at([_result(claim_id) for claim_id in claim_ids], _result, _verdicts(to_root))


def _nav_titles(nav) -> dict[str, tuple[str, str]]:
    """Each page of the navigation, as (the section it is listed in, its own title)."""
    return {page.source: (page.section, page.title) for page in navigation.pages(nav)}


def _claims_by_page() -> dict[str, list]:
    """The results of this build, by the page that explains their claims, in ledger order."""
    by_page: dict[str, list] = {}
    for result in _results.values():
        by_page.setdefault(result.claim.page.partition("#")[0], []).append(result)
    return by_page


def _ledger_index(nav, to_root: str) -> str:
    """Every claim, under the page that explains it, in the order of the navigation.

    Each line links to the claim's entry on its page's ledger page, where its check is.
    """
    by_page = _claims_by_page()
    titles = _nav_titles(nav)
    unlisted = sorted(set(by_page) - set(titles))
    if unlisted:
        raise PluginError(f"claims are explained on pages missing from the navigation: {unlisted}")
    parts, section_shown = [_origin_sentence()], None
    for page, (section, title) in titles.items():
        if page not in by_page:
            continue
        if section != section_shown:
            parts.append(f"## {section}")
            section_shown = section
        lines = [
            f"- {_link(result.claim.id, to_root)}, "
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


def _entries_of(page: str, titles: dict, to_root: str) -> str:
    """The ledger page of the claims ``page`` explains: each claim's statement, verdict and check.

    The checks of one page live in one module; its set-up (the module less its checks) is shown
    once, above them, and copying a check copies that set-up with it.
    """
    results = _claims_by_page().get(page)
    if not results:
        raise PluginError(f"{ledger_page(page)}: no claim of the ledger is explained on {page}")
    title = titles.get(page, (None, page))[1]
    module = results[0].claim.check.__module__
    setup = _setup_of(module)
    sections = [
        f"The claims made on the page [{title}]({to_root}{page}), each decided by a check that runs "
        f"against Keras. {_origin_sentence()} The [ledger's index]({to_root}{LEDGER_PAGE}) lists "
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
            + claim_marks.verdict_sentence(result, _verdicts(to_root)),
            f"- **Where it is explained:** [{_section_title(claim.page, title)}]({to_root}{claim.page})",
        ]
        other = claim_marks.elsewhere(claim_id, _setups)
        if other:
            compatibility = f"[Compatibility]({to_root}compatibility.md)"
            facts.insert(2, f"- **Other set-ups:** {other.removeprefix('Elsewhere: ')} ({compatibility})")
        if claim.depends_on:
            facts.append(f"- **Depends on:** {claim.depends_on}")
        if since := release_history.holds_since_mark(claim_id):
            facts.append(f"- **Release history:** {since} ([by release]({to_root}release-history.md))")
        if claim.corrected_by:
            facts.append(f"- **What is true instead:** {_link(claim.corrected_by, to_root)}")
        check = f"`{claim.check.__module__}.{claim.check.__name__}`"
        sections.append(
            f"## {claim_id} {{#{anchor(claim_id)}}}\n\n"
            + "\n".join(facts)
            + f"\n\nThe check, {check}, as a script that runs it after the set-up above:\n\n"
            + _check_script(result, setup)
        )
    return "\n\n".join(sections) + "\n"


def _section_title(explained_on: str, page_title: str) -> str:
    """``The gates, “Forget gate”``: the page's title and the heading of the section ``#`` names."""
    page, _, section = explained_on.partition("#")
    if not section:
        return page_title
    source = (SOURCE / "docs" / page).read_text(encoding="utf-8")
    for heading in re.findall(r"^#{2,6} (.+?)(?: \{[^}]*\})?$", source, re.M):
        if re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", heading.lower()).strip()) == section:
            return f"{page_title}, “{heading.replace('`', '')}”"
    raise PluginError(f"{explained_on}: no such section")


def _setup_of(module_name: str) -> str:
    """What a check of ``module_name`` needs above it: the module without its checks.

    The names every shown check uses to run (``checking``) or to say why it cannot
    (``NotApplicable``) are imported with the module's own imports, where they are missing.
    """
    setup = _without_checks(inspect.getsource(sys.modules[module_name]))
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


def _check_script(result, setup: str) -> str:
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
            + _printed(f"not checked here: {result.skipped}", indent=8)
        )
    else:
        call += f"    print({check.__name__}().detail)\n" + _printed(result.evidence.detail, indent=4)
    code = f"{imported}{function}\n\n\n{call}\n"
    return copying(fenced(code), f"{setup}\n\n\n{code}")


def _is_check(function) -> bool:
    from glossary.claims import LEDGER

    return any(claim.check is function for claim in LEDGER.values())


def _without_checks(module_source: str) -> str:
    """A claims module without its ``@claim`` functions: the imports and helpers the checks use."""
    lines = module_source.splitlines()
    for node in reversed(ast.parse(module_source).body):
        decorators = getattr(node, "decorator_list", [])
        if any(isinstance(d, ast.Call) and getattr(d.func, "id", "") == "claim" for d in decorators):
            del lines[decorators[0].lineno - 1 : node.end_lineno]
    return re.sub(r"\n{3,}", "\n\n\n", "\n".join(lines)).strip()


def _printed(text: str, indent: int) -> str:
    """``text``, read from a record, as ``#>`` comment lines under the ``print`` that printed it.

    Every line a comment, with its control characters written as escapes: no text can end the
    comment (a carriage return would, for Python) and run as code when the reader runs the
    script, and no line starts with ``--8<--``, which pymdownx.snippets would expand.
    """
    pad = " " * indent
    return "".join(f"{pad}#> {printable(line, lines=False)}".rstrip() + "\n" for line in text.split("\n"))


def _outcome(outcome) -> str:
    from glossary.claims import Outcome

    if outcome is None:
        return "not run"
    shown = {Outcome.CONFIRMED: "✓", Outcome.CONFIRMED_FALSE: "✓", Outcome.CONTRADICTED: "✗"}
    return shown.get(outcome, outcome.value)


def _compatibility(to_root: str) -> str:
    from glossary.claims import Outcome

    runs = setups.recorded()
    header = ["| Run | Keras | Backend | Libraries | Confirmed | Skipped | Differs |", "| --- " * 7 + "|"]
    for run in runs:
        versions = dict(run.versions)
        keras_version, backend = versions.pop("Keras"), versions.pop("backend")
        libraries = shown_as_text(", ".join(f"{library} {number}" for library, number in versions.items()))
        keras_version, backend = shown_as_text(keras_version), shown_as_text(backend)
        outcomes = [setups.outcome(run, claim_id) for claim_id in _results]
        confirmed = sum(outcome in (Outcome.CONFIRMED, Outcome.CONFIRMED_FALSE) for outcome in outcomes)
        skipped = outcomes.count(Outcome.SKIPPED)
        differs = sum(outcome is not None and not outcome.agrees for outcome in outcomes)
        header.append(
            f"| `{run.name}` | {keras_version} | {backend} | {libraries} | {confirmed} "
            f"| {skipped} | {differs} |"
        )
    names = [run.name for run in runs]
    table = [
        "| Claim | " + " | ".join(f"`{name}`" for name in names) + " | Depends on |",
        "| --- " * (len(names) + 2) + "|",
    ]
    same = 0
    for result in _results.values():
        claim_id, claim = result.claim.id, result.claim
        outcomes = [_outcome(setups.outcome(run, claim_id)) for run in runs]
        if all(outcome in ("✓", "skipped", "not run") for outcome in outcomes):
            same += 1
            continue
        table.append(
            f"| {_link(claim_id, to_root)} | " + " | ".join(outcomes) + f" | {claim.depends_on or ''} |"
        )
    return (
        "\n".join(header)
        + f"\n\n{same} claims hold wherever they could run. The others:\n\n"
        + "\n".join(table)
    )


def _questions(to_root: str) -> str:
    from glossary.questions import QUESTIONS

    entries = []
    for number, question in enumerate(QUESTIONS, start=1):
        checks = []
        for claim_id in question.claims:
            result = _result(claim_id)
            state = "not checked in this build" if result.skipped else "checked"
            checks.append(f"{_link(claim_id, to_root)} ({state})")
        entries.append(
            f'### <span data-generated="ordinal">{number}.</span> {question.question} {{#q{number}}}\n\n'
            f"{question.answer}\n\n"
            f"[The full answer, with code]({to_root}{question.page}) · Proven by: {', '.join(checks)}\n"
        )
    return _origin_sentence() + "\n\n" + "\n".join(entries)


def _corrections(to_root: str) -> str:
    rows = ["| What is often said | What Keras shows | Claims |", "| --- | --- | --- |"]
    for claim_id, result in _results.items():
        claim = result.claim
        if claim.verdict:
            continue
        truth = _result(claim.corrected_by).claim.statement
        links = _link(claim_id, to_root) + (
            f", {_link(claim.corrected_by, to_root)}" if claim.corrected_by else ""
        )
        rows.append(f"| {claim.statement} | {truth} | {links} |")
    return _origin_sentence() + "\n\n" + "\n".join(rows)
