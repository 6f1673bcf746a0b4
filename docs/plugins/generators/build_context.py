"""The build context: the claims run this build shows, and what the pages say about it.

The ``claims_ledger`` hook makes it in ``on_pre_build`` (running every claim, or reading a recorded
run of them) and keeps it on MkDocs's config, which every later event receives; a hook takes it
back with `of` and hands it to the generators that need it.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError

from generators import claim_marks, navigation, setups
from generators.markup import shown_as_code
from glossary.claims import Result
from glossary.terminal import printable

KEY = "glossary_build"
"""Where the context is kept on MkDocs's config."""
CHECKED_AGAINST = ("Keras", "TensorFlow", "NumPy")
"""The libraries every page's code runs against."""
CLAIMS_RECORD = "GLOSSARY_CLAIMS_RECORD"
"""Names a ``glossary check --output`` file. Where it exists, the build shows the claims' results
recorded there instead of running every claim again (about half of a build's time); it must record the
whole ledger on the versions installed here. Where it does not exist yet, the build runs the claims
and writes it. The tests' second build of the site reuses the first build's run this way."""
LEDGER_PAGE = "claims.md"
"""The ledger's index: every claim, by the page that explains it, linked to its entry."""
LEDGER_FOLDER = "claims"
"""Where each page's entries are: ``claims/gates.md`` holds the checks of ``gates.md``'s claims, so
that a reader who follows one claim's link loads one page's checks, not the whole ledger's."""
SOURCE = Path(__file__).resolve().parents[3]
"""The project's root: the git checkout the site is built from."""


@dataclass(frozen=True)
class Origin:
    """The record a build's verdicts were read from."""

    record: str
    """Its file name."""
    sha256: str
    """The SHA-256 of its bytes, in hex."""


@dataclass
class BuildContext:
    """What one build found when it ran (or read) the claims, for every page it writes."""

    run: dict
    """The run of the ledger, as ``glossary check --output`` writes it: versions and rows."""
    results: dict[str, Result]
    """Each claim's result, by ID, in ledger order."""
    origin: Origin | None
    """The record the verdicts were read from; None when this build ran the checks."""
    keras: str
    """The Keras installed here, with its backend: ``Keras 3.15.1 (tensorflow backend)``."""
    versions: str
    """The run's Keras, TensorFlow and NumPy, as one phrase of escaped text, for every page's stamp."""
    commit: str
    """The commit the site is built from, as escaped HTML."""
    setups: list[setups.SetUp]
    """The other set-ups the ledger was run on (`glossary.claims.setups`)."""
    titles: dict[str, tuple[str, str]]
    """Each page of the navigation, as (the section it is listed in, its own title)."""
    repository: str
    """The repository the site is published from (``extra.repository``), or ``""``."""
    pages: dict[str, dict] = field(default_factory=dict)
    """Each page rendered so far, by its source path: title, address, final Markdown (``llms_txt``)."""
    home_stamp: str = ""
    """What the home page's stamp says, as text, once it is written (``llms_txt``)."""

    def result(self, claim_id: str) -> Result:
        """The result of one claim; a claim the ledger does not hold stops the build."""
        if claim_id not in self.results:
            raise PluginError(f"no claim {claim_id} in the ledger")
        return self.results[claim_id]

    def entry(self, claim_id: str, to_root: str) -> str:
        """The address of a claim's entry, from a page ``to_root`` below the docs' root."""
        return f"{to_root}{ledger_page(self.result(claim_id).claim.page)}#{anchor(claim_id)}"

    def link(self, claim_id: str, to_root: str) -> str:
        """A Markdown link to a claim's entry, named by its ID."""
        return f"[{claim_id}]({self.entry(claim_id, to_root)})"

    def keras_label(self) -> str:
        """The Keras the verdicts hold on, and where they come from when a record gave them."""
        if self.origin is None:
            return self.keras
        recorded = f"as recorded in {shown_as_code(self.origin.record)} (SHA-256 {self.origin.sha256[:12]})"
        return f"{self.keras}, {recorded}"

    def origin_sentence(self) -> str:
        """Where the verdicts of this build come from, for the top of a generated list."""
        # The same in both kinds of build, so that two builds differ only in the sentence before it.
        skipped = (
            " A claim whose check cannot run on this set-up (another backend's, a GPU's, a library "
            "not installed) has no verdict here, and is marked as not checked."
        )
        if self.origin is None:
            return "Every verdict below was found by running its check while this site was built." + skipped
        return (
            f"Every verdict below was read from the recorded run {shown_as_code(self.origin.record)} "
            f"(SHA-256 `{self.origin.sha256}`), made on the versions this site was built with by the "
            "checks as they are shown here, not by running them during this build." + skipped
        )

    def verdicts(self, to_root: str) -> claim_marks.Verdicts:
        """What a claim's mark says of where its verdict comes from, for a page ``to_root`` below the root."""
        return claim_marks.Verdicts(
            keras=self.keras_label(),
            record=self.origin.record if self.origin else None,
            entry=lambda claim_id: self.entry(claim_id, to_root),
            setups=self.setups,
        )

    def claims_by_page(self) -> dict[str, list[Result]]:
        """The results, by the page that explains their claims, in ledger order."""
        by_page: dict[str, list[Result]] = {}
        for result in self.results.values():
            by_page.setdefault(result.claim.page.partition("#")[0], []).append(result)
        return by_page


def anchor(claim_id: str) -> str:
    """The anchor of a claim's entry on its ledger page."""
    return "claim-" + claim_id.lower()


def ledger_page(explained_on: str) -> str:
    """The ledger page (from the docs' root) of the claims explained on ``explained_on``."""
    return f"{LEDGER_FOLDER}/{explained_on.partition('#')[0]}"


def create(config) -> BuildContext:
    """Run every claim (or read a recorded run); stop the build if one disagrees with the ledger.

    Whatever stops the build is one line, with anything read from the record or the environment
    (a path, a claim's ID or evidence) shown with its control characters escaped.
    """
    import keras

    from glossary.claims import record

    try:
        ledger_run, origin = _ledger_run()
    except PluginError as stopped:
        raise PluginError(printable(str(stopped), lines=False)) from None
    failures = [
        f"claim {row['id']} should {'hold' if row['verdict'] else 'fail'} but its check "
        + (f"raised {row['error']}" if row["error"] else f"says: {row['detail']}")
        for row in record.failed(ledger_run["claims"])
    ]
    if failures:
        source = f" (as recorded in {os.environ[CLAIMS_RECORD]})" if origin else ""
        message = "; ".join(failures) + f"{source} (`glossary check` shows every claim)"
        raise PluginError(printable(message, lines=False))
    # The matrix's run of this build's own Keras and backend says nothing the build did not find.
    own = (ledger_run["versions"].get("Keras"), ledger_run["versions"].get("backend"))
    return BuildContext(
        run=ledger_run,
        results={row["id"]: record.as_result(row) for row in ledger_run["claims"]},
        origin=origin,
        keras=f"Keras {keras.__version__} ({keras.backend.backend()} backend)",
        versions=versions_phrase(ledger_run["versions"]),
        commit=source_commit(SOURCE),
        setups=[
            run
            for run in setups.recorded()
            if run.on_gpu or (run.versions["Keras"], run.versions["backend"]) != own
        ],
        titles={
            page.source: (page.section, page.title) for page in navigation.pages(config.get("nav") or [])
        },
        repository=repository(config),
    )


def keep(config, context: BuildContext) -> None:
    """Keep ``context`` on ``config`` for the events that follow."""
    config[KEY] = context


def of(config) -> BuildContext | None:
    """The context this build keeps on ``config``; None before the claims have run."""
    return config.get(KEY) if config else None


def _ledger_run() -> tuple[dict, Origin | None]:
    """The run this build shows, and the record it was read from; or made now, and written there."""
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
            reason = error.strerror or error
            raise PluginError(f"{CLAIMS_RECORD}: {saved} cannot be read ({reason})") from None
        return ledger_run, Origin(record=saved.name, sha256=digest)
    ledger_run = record.run_all(LEDGER.values())
    if saved is not None:
        try:
            record.write(ledger_run, saved)
        except OSError as error:
            reason = error.strerror or error
            raise PluginError(f"{CLAIMS_RECORD}: {saved} cannot be written ({reason})") from None
    return ledger_run, None


def versions_phrase(versions: dict) -> str:
    """The run's Keras (with its backend), TensorFlow and NumPy, as a phrase of escaped text."""
    named = [f"{name} {versions[name]}" for name in CHECKED_AGAINST if versions.get(name)]
    if named and versions.get("backend"):
        named[0] += f" ({versions['backend']} backend)"
    phrase = ", ".join(named[:-1]) + (" and " if len(named) > 1 else "") + named[-1] if named else "?"
    return html.escape(printable(phrase, lines=False))


def source_commit(root: Path) -> str:
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


def repository(config) -> str:
    """The repository the site is published from (``extra.repository``), or ``""`` where none is set."""
    address = ((config.get("extra") or {}).get("repository") or "").rstrip("/")
    parts = urlsplit(address)
    if address and (parts.scheme != "https" or not parts.netloc or parts.query or parts.fragment):
        raise PluginError(f"extra.repository must be an https address, not {printable(address, lines=False)}")
    return address
