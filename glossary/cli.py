"""The ``glossary`` command: ``glossary check``, ``glossary explain MODEL`` and ``glossary port MODEL``.

- ``check`` runs the claims ledger against the installed Keras and judges each outcome by what the
  site recorded for this set-up (`glossary.claims.setups`), or by a team's own earlier run
  (``--baseline``): it exits 1 when an outcome differs, so a Keras upgrade shows what it changed.
- ``explain`` loads a saved model (``safe_mode=True``) and describes each recurrent layer with
  the glossary's terms.
- ``port`` converts a saved model's LSTM and GRU layers for PyTorch, ONNX, Flax or MLX, runs the
  converted layers beside Keras's, and writes them only if they agree (`glossary.porting`).

Exit codes: 0 all good; 1 a claim's outcome differs from the one expected on this set-up, or a
ported layer differs from Keras; 2 a usage or input error (an unknown option or claim, a path that
cannot be read or written, a model file that cannot be explained or ported, a missing Keras,
backend or target framework); 3 a bug in the command itself. Every error is one line on
the standard error; ``GLOSSARY_DEBUG=1`` adds the traceback of a bug.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import shutil
import signal
import sys
import threading
import traceback
from pathlib import Path

from glossary import __version__
from glossary.model_files import ReaderUnavailableError
from glossary.port.target import TOLERANCE
from glossary.port.targets import TARGETS
from glossary.terminal import printable
from glossary.versions import KerasUnavailableError, quiet_tensorflow


def main(argv: list[str] | None = None) -> int:
    """Run the command with ``argv`` (``sys.argv[1:]`` by default); return the exit code."""
    quiet_tensorflow()  # before Keras imports it
    try:
        arguments = _parser().parse_args(argv)
    except UsageError as error:
        return _fail(f"{error} (glossary --help lists the commands and their options)")
    if arguments.command is None:
        _parser().print_help(sys.stderr)
        return 2
    if sys.stdout is None:  # started with it closed (>&-): what the command prints would be lost
        return _fail("the standard output is closed; nothing was run")
    try:
        with _stopped_like_ctrl_c():
            return arguments.run(arguments)
    except (KerasUnavailableError, ReaderUnavailableError) as error:
        return _fail(str(error))
    except KeyboardInterrupt:
        print("glossary: interrupted", file=sys.stderr)
        return 130
    except _Terminated:
        print("glossary: stopped (SIGTERM)", file=sys.stderr)
        return 128 + signal.SIGTERM
    except Exception as error:  # a bug: one line, and the traceback only when asked for
        if os.environ.get("GLOSSARY_DEBUG"):
            traceback.print_exc()
        raised = printable(f"{type(error).__name__}: {error}", lines=False)
        print(
            f"glossary: internal error: {raised} (a bug in glossary; GLOSSARY_DEBUG=1 shows where)",
            file=sys.stderr,
        )
        return 3


class _Terminated(BaseException):
    """SIGTERM, raised where the command is, so that it unwinds as Ctrl-C does."""


@contextlib.contextmanager
def _stopped_like_ctrl_c():
    """While the command runs, SIGTERM unwinds it as Ctrl-C does.

    Its temporary files are removed and the process that reads a model is stopped. Outside the
    main thread, where no handler can be set, SIGTERM stays as it was.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum, frame):
        raise _Terminated()

    before = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


class UsageError(Exception):
    """A command line that argparse refuses."""


class _Parser(argparse.ArgumentParser):
    """argparse, with its refusals as one line (its usage block goes to ``--help`` only)."""

    def error(self, message):
        """Raise the refusal instead of printing the usage block and exiting."""
        raise UsageError(message)


def _print_or_why_not(text: str) -> str | None:
    """Print ``text`` on the standard output; why it could not be, or None.

    A reader that went away (``glossary check | head -1``) is no error: the rest is dropped
    quietly and the command still exits by what it found. A full disk is one.
    """
    if sys.stdout is None:  # started with the standard output closed: nothing can be shown
        return None
    try:
        try:
            print(text)
        except UnicodeEncodeError:  # a terminal that takes ASCII only, say: escapes instead
            encoding = sys.stdout.encoding or "ascii"
            print(text.encode(encoding, "backslashreplace").decode(encoding))
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's exit flush, too
    except OSError as error:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return f"the standard output cannot be written ({error.strerror or error})"
    return None


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="glossary", description="The LSTM Glossary's claims and terms, applied to your Keras."
    )
    parser.add_argument("--version", action="version", version=f"lstm-glossary {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = commands.add_parser(
        "check",
        help="check every claim of the glossary against the installed Keras",
        description="Run the claims ledger against the installed Keras and backend, and judge each "
        "outcome by what the site recorded for this Keras, backend and device (or by --baseline). "
        "Exit code 0: every outcome as expected, known differences included (they are listed); "
        "1: an outcome differs from the expected one; 2: a usage or file error.",
    )
    check.add_argument("--only", nargs="+", metavar="ID", help="run only the claims with these IDs")
    check.add_argument("-k", metavar="TEXT", help="run only the claims whose ID contains TEXT (any case)")
    check.add_argument("--json", action="store_true", help="print a JSON document instead of a table")
    check.add_argument(
        "--output", metavar="FILE", help="write the JSON document to FILE as well (a --baseline for later)"
    )
    check.add_argument(
        "--baseline",
        metavar="FILE",
        help="judge by an earlier --output document instead of the site's record of this set-up",
    )
    check.add_argument("--junit", metavar="FILE", help="write a JUnit XML report to FILE as well")
    check.set_defaults(run=_check)

    explain = commands.add_parser(
        "explain",
        help="describe the recurrent layers of a saved Keras model",
        description="Load a .keras (or .h5) model with safe_mode=True and describe each LSTM, GRU and "
        "SimpleRNN layer: features, units, timesteps, weights by gate, parameter count, output "
        "shapes and whether the cuDNN kernel is allowed. Exit code 2 if the file cannot be explained.",
    )
    explain.add_argument("model", help="a model file saved with model.save('model.keras')")
    explain.add_argument("--json", action="store_true", help="print a JSON document instead of text")
    _add_limits(explain)
    explain.set_defaults(run=_explain)

    port = commands.add_parser(
        "port",
        help=f"convert the LSTM and GRU layers of a saved Keras model for {', '.join(TARGETS)}",
        description="Load a .keras (or .h5) model with safe_mode=True as explain does, convert each LSTM "
        "and GRU layer (alone or in a Bidirectional) for the framework --to names, run each converted "
        "layer there on a random input beside the Keras layer, and print the largest difference. "
        f"OUT is written only if every layer agrees within {TOLERANCE:.0e}; an existing OUT is replaced "
        "in one step (never left half-written). The file, each array named after its layer's path: "
        + "; ".join(f"{target.name}: {target.file}" for target in TARGETS.values())
        + ". Exit code 0: written; 1: a layer differs, nothing written; 2: a layer or setting that "
        "cannot be converted, a file that cannot be read or written, or a framework not installed, "
        "nothing written.",
    )
    port.add_argument("model", help="a model file saved with model.save('model.keras')")
    port.add_argument(
        "--to",
        required=True,
        choices=list(TARGETS),
        help="the framework to convert for (its extra installs it)",
    )
    port.add_argument("out", metavar="OUT", help="the file to write (replaced if it exists)")
    _add_limits(port)
    port.set_defaults(run=_port)
    return parser


def _add_limits(command: argparse.ArgumentParser) -> None:
    """The options that raise the limits of a model file read (`glossary.explainer.Limits`)."""
    limits = explainer_limits()
    for flag, default, refuses in (
        ("--max-units", limits.units, "a layer wider than N units, filters or features"),
        ("--max-layers", limits.layers, "a model of more than N layers"),
        ("--max-megabytes", limits.megabytes, "a file or weights over N MB; loading may use twice that"),
    ):
        command.add_argument(
            flag, type=_positive, default=default, metavar="N", help=f"refuse {refuses} (default {default})"
        )


def explainer_limits():
    """The default limits of ``explain``; the explainer itself (and Keras) is imported only to run it."""
    from glossary.model_files import Limits

    return Limits()


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if not 1 <= number <= LARGEST_LIMIT:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 to {LARGEST_LIMIT}, not {text!r}")
    return number


LARGEST_LIMIT = 10**9
"""The largest value a limit takes: a billion units, layers or megabytes (a petabyte) is beyond any
model, and larger numbers overflow the system's memory limit."""


# ---------------------------------------------------------------------------------------- check


def _check(arguments) -> int:
    from glossary import claims, files
    from glossary.claims import junit, record, setups

    selected = list(claims.LEDGER.values())
    if arguments.only:
        unknown = [claim_id for claim_id in arguments.only if claim_id not in claims.LEDGER]
        if unknown:
            return _fail(f"unknown claim ID: {', '.join(unknown)} (the IDs are listed by `glossary check`)")
        selected = [claims.LEDGER[claim_id] for claim_id in dict.fromkeys(arguments.only)]
    if arguments.k:
        selected = [claim for claim in selected if arguments.k.lower() in claim.id.lower()]
        if not selected:
            return _fail(f"no claim ID contains {arguments.k!r}")

    written = {
        flag: Path(path)
        for flag, path in (("--output", arguments.output), ("--junit", arguments.junit))
        if path
    }
    for flag, path in written.items():
        unwritable = _unwritable(path)
        if unwritable:
            return _fail(f"{flag} {path}: {unwritable}")
    if len({os.path.realpath(path) for path in written.values()}) < len(written):
        return _fail("--output and --junit name the same file; name two")
    versions = record.installed_versions()
    try:
        expected, against = _expected(arguments.baseline, versions)
    except (record.UnusableRecordError, setups.UnusableSetUpError) as error:
        return _fail(str(error))
    results = []
    progress = sys.stderr.isatty() and not arguments.json
    for number, claim in enumerate(selected, start=1):
        if progress:
            sys.stderr.write(f"\r\033[K[{number}/{len(selected)}] {claim.id}")
            sys.stderr.flush()
        results.append(record.row(claim))
    if progress:
        sys.stderr.write("\r\033[K")
        sys.stderr.flush()

    judgement = setups.judge(results, expected, against)
    document = record.document(results, versions) | {"judged": _judged(judgement)}
    contents = {"--output": lambda: json.dumps(document, indent=2) + "\n"}
    contents["--junit"] = lambda: junit.junit_xml(results, judgement, versions)
    unwritten = None
    try:  # first: whatever happens to the standard output, the files are kept; all of them, or none
        files.write_all_atomically({path: contents[flag]() for flag, path in written.items()})
    except OSError as error:  # the old files are intact, and the table below still shows the run
        outputs = " and ".join(f"{flag} {path}" for flag, path in written.items())
        unwritten = f"{outputs}: cannot be written ({error.strerror or error}); none was changed"
    if arguments.json:
        output = json.dumps(document, indent=2)
    else:
        output = printable(check_table(versions, results, judgement=judgement))
    problem = _print_or_why_not(output) or unwritten
    if problem:
        return _fail(problem)
    return 0 if judgement.ok else 1


def _expected(baseline: str | None, versions: dict[str, str]):
    """What this run is judged by, and how that was chosen: a baseline file, or the site's records.

    Raises:
        UnusableRecordError: the baseline cannot be read as a ``--output`` document.
        UnusableSetUpError: a record shipped with the package cannot be read (a damaged install).
    """
    from glossary.claims import record, setups

    if baseline is None:
        return setups.for_versions(versions, setups.recorded(), setups.releases())
    path = Path(baseline)
    earlier = setups.from_document(path.stem, record.read(path))
    on = f"Keras {earlier.versions['Keras']} on {earlier.versions['backend']}"
    # One line, whatever the file's name holds: the sentence ends the table.
    return earlier, printable(f"judged by the baseline {path} (recorded on {on})", lines=False)


def _judged(judgement) -> dict:
    """The JSON form of a judgement: how the expectation was chosen, the known and the unexpected."""
    from glossary.claims import Outcome

    return {
        "by": judgement.against,
        "ok": judgement.ok,
        "known": [row["id"] for row in judgement.known],
        "unexpected": [
            {"id": row["id"], "expected": expected.value, "measured": Outcome.of(row).value}
            for row, expected in judgement.unexpected
        ],
    }


def _unwritable(path: Path) -> str | None:
    """Why ``path`` cannot take the output file, found before the run (None: it can).

    A symbolic link is judged by the file it points to, which is the one written.
    """
    try:
        path = Path(os.path.realpath(path)) if path.is_symlink() else path
        if path.is_dir():
            return "is a folder; name a file"
        if not path.parent.is_dir():
            return f"the folder {path.parent} does not exist"
        if not os.access(path.parent, os.W_OK):
            return f"the folder {path.parent} is not writable"
        if path.exists() and not path.is_file():
            return "is not a regular file"
        if hasattr(os, "pathconf") and len(os.fsencode(path.name)) > os.pathconf(path.parent, "PC_NAME_MAX"):
            return "the name is longer than this folder allows"
    except OSError as error:
        return f"cannot be used ({error.strerror or error})"
    return None


def check_table(
    versions: dict[str, str], results: list[dict], width: int | None = None, judgement=None
) -> str:
    """What `glossary check` prints for ``results`` (rows of a run) on ``versions``, judged by ``judgement``.

    The statements are cut to fit ``width`` columns, the terminal's by default. Without a
    judgement, each row is judged by the ledger's own verdicts.
    """
    from glossary.claims import Outcome, record, setups

    judgement = judgement or setups.judge(results, None, "judged by the ledger's own verdicts")
    unexpected = {row["id"]: expected for row, expected in judgement.unexpected}
    known = {row["id"] for row in judgement.known}

    def verdict(row: dict) -> str:
        outcome = Outcome.of(row)
        if outcome is Outcome.SKIPPED:
            return f"skipped ({row['skipped']})"
        if row["id"] in known:
            return f"{outcome.value} (known)"
        return outcome.value.upper() if row["id"] in unexpected else outcome.value

    header = f"Keras {versions['Keras']}, backend {versions['backend']}"
    others = [f"{name} {number}" for name, number in versions.items() if name not in ("Keras", "backend")]
    lines = [header + ("; " + ", ".join(others) if others else ""), ""]
    width = width or shutil.get_terminal_size((100, 24)).columns
    id_width = max([len("Claim"), *(len(row["id"]) for row in results)])
    verdict_width = min(36, max([len("Verdict"), *(len(verdict(row)) for row in results)]))
    time_width = 8
    statement_width = max(20, width - id_width - verdict_width - time_width - 6)
    lines.append(
        f"{'Claim':<{id_width}}  {'Statement':<{statement_width}}  "
        f"{'Verdict':<{verdict_width}}  {'Time':>{time_width}}"
    )
    for row in results:
        seconds = f"{row['seconds']:.2f} s" if row["seconds"] is not None else "-"
        statement = _shorten(row["statement"], statement_width)
        lines.append(
            f"{row['id']:<{id_width}}  {statement:<{statement_width}}  "
            f"{_shorten(verdict(row), verdict_width):<{verdict_width}}  {seconds:>{time_width}}"
        )
    summary = record.summary(results)
    total = sum(row["seconds"] or 0 for row in results)
    lines += [
        "",
        f"{summary['claims']} claims: {summary['confirmed']} confirmed, {summary['skipped']} skipped, "
        f"{summary['contradicted']} contradicted, {summary['errors']} failed to run ({total:.1f} s)",
        f"{judgement.against[0].upper()}{judgement.against[1:]}. {len(judgement.known)} known "
        f"difference{'' if len(judgement.known) == 1 else 's'}, {len(unexpected)} unexpected.",
    ]
    for row in results:
        outcome = Outcome.of(row)
        if outcome is Outcome.SKIPPED:
            lines += ["", f"skipped: {row['id']}: {row['statement']}", f"  {row['skipped']}"]
        elif row["id"] in known:
            lines += ["", f"known difference: {row['id']}: {row['statement']}", f"  {_found(row)}"]
        elif row["id"] in unexpected:
            expected = unexpected[row["id"]]
            lines += ["", f"UNEXPECTED: {row['id']}: {row['statement']}"]
            lines.append(f"  expected {expected.value} on this set-up, found {outcome.value}: {_found(row)}")
        else:
            continue
        if row["depends_on"]:
            lines.append(f"  known to depend on: {row['depends_on']}")
        lines.append(f"  explained on: {row['page']}")
    return "\n".join(lines)


def _found(row: dict) -> str:
    """What a check that ran reported: its evidence, or what it raised."""
    if row["error"]:
        return f"the check raised {row['error']}"
    expected = "hold" if row["verdict"] else "be false"
    agrees = "as" if row["confirmed"] else "where"
    return f"the ledger says it should {expected}, {agrees} the check found: {row['detail']}"


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


# -------------------------------------------------------------------------------------- explain


def _explain(arguments) -> int:
    from glossary import explainer

    if not arguments.model:
        return _fail("no model file named: the path is empty")
    try:
        limits = explainer.Limits(arguments.max_units, arguments.max_layers, arguments.max_megabytes)
        report = explainer.report_for_file(arguments.model, limits)
    except explainer.ModelFileError as error:
        return _fail(str(error))
    except explainer.NoRecurrentLayerError as error:  # its message names the file
        return _fail(str(error))
    except ValueError as error:  # a layer that is not built
        return _fail(f"{arguments.model}: {error}")
    if arguments.json:
        # A path that is not UTF-8 keeps its bytes as \xNN escapes: JSON holds no lone surrogates.
        file = arguments.model.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        output = json.dumps({"file": file, **report.to_dict()}, indent=2)
    else:
        output = explainer.render(report)
    problem = _print_or_why_not(output)
    return _fail(problem) if problem else 0


# ----------------------------------------------------------------------------------------- port


def _port(arguments) -> int:
    from glossary import explainer, files, porting

    if not arguments.model:
        return _fail("no model file named: the path is empty")
    if not arguments.out:
        return _fail("no OUT file named: the path is empty")
    out = Path(arguments.out)
    unwritable = _unwritable(out)
    if unwritable:
        return _fail(f"{out}: {unwritable}")
    try:
        if out.exists() and os.path.samefile(out, arguments.model):
            return _fail(f"{out}: is the model file itself; name another file to write")
    except OSError:
        pass  # the model file is missing or unreadable: reading it says so
    try:
        limits = explainer.Limits(arguments.max_units, arguments.max_layers, arguments.max_megabytes)
        ported = porting.port(arguments.model, arguments.to, limits)
    except (
        porting.TargetUnavailableError,
        porting.PortRefusedError,
        explainer.ModelFileError,
        explainer.NoRecurrentLayerError,
    ) as error:
        return _fail(str(error))
    lines = []
    for layer, difference in zip(ported.layers, ported.differences, strict=True):
        verdict = "" if difference <= TOLERANCE else f": MORE than {TOLERANCE:.0e}"
        # Each line escaped on its own: a line break in a layer's name must not forge a line.
        lines.append(printable(f"{layer.title}: largest difference {difference:.1e}{verdict}", lines=False))
    masked = [layer.path for layer in ported.layers if layer.masked]
    if not ported.agrees:
        problem = _print_or_why_not("\n".join(lines))
        worst = max(ported.differences, key=lambda value: float("inf") if math.isnan(value) else value)
        refusal = (
            f"a converted layer differs from Keras by {worst:.1e}, more than the {TOLERANCE:.0e} "
            f"that float32 rounding explains; {out} is unchanged"
        )
        print(f"glossary: not written: {printable(refusal, lines=False)}", file=sys.stderr)
        return _fail(problem) if problem else 1
    try:
        files.write_bytes_atomically(out, ported.content)
    except OSError as error:
        _print_or_why_not("\n".join(lines))
        return _fail(f"{out}: cannot be written ({error.strerror or error}); nothing was written")
    count = len(ported.layers)
    what = TARGETS[arguments.to].file
    lines.append(printable(f"wrote {out}: {what} of {count} layer{'s' if count != 1 else ''}", lines=False))
    for path in masked:
        print(
            printable(
                f"glossary: warning: {path} receives a mask in Keras (Embedding(mask_zero=True) or Masking); "
                "the converted layer does not apply it, so padded timesteps change its outputs",
                lines=False,
            ),
            file=sys.stderr,
        )
    problem = _print_or_why_not("\n".join(lines))
    return _fail(problem) if problem else 0


def _fail(message: str) -> int:
    print(f"glossary: error: {printable(message, lines=False)}", file=sys.stderr)
    return 2
