"""The glossary command's page tells a reader how to get the package and what it prints: its
install lines name the repository the site is published from, and it shows the head of a real run."""

from __future__ import annotations

import html
import re

from generators import cli_page
from paths import DOCS
from site_build import REPOSITORY, built_file

from glossary.claims import LEDGER


def page_text(built_site) -> str:
    page = built_file(built_site, DOCS / "cli.md").read_text()
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_the_install_lines_name_the_published_repository(built_site):
    text = page_text(built_site)
    assert f'python -m pip install "git+{REPOSITORY}"' in text
    assert f'python -m pip install "lstm-glossary[keras] @ git+{REPOSITORY}"' in text
    assert "./lstm-glossary" not in text and "/path/to/" not in text


def test_without_a_repository_the_install_lines_name_a_checkout():
    lines = cli_page.install_lines(repository="")
    assert 'pip install "/path/to/lstm-glossary"' in lines and "/path/to/lstm-glossary[keras]" in lines


def test_the_install_lines_name_the_tensorflow_build_the_keras_extra_installs():
    """The `keras` extra's TensorFlow distribution (the CPU build) is the one the page names."""
    import tomllib

    from paths import ROOT

    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["keras"]
    tensorflow = next(name.partition("==")[0] for name in extra if name.startswith("tensorflow"))
    lines = cli_page.install_lines(repository="")
    assert tensorflow == "tensorflow-cpu" and f"`{tensorflow}`" in lines and "CPU build" in lines


def test_the_page_shows_the_head_of_a_real_run(built_site):
    """The sample is what `glossary check` printed for the build's run: every claim counted."""
    text = page_text(built_site)
    assert re.search(rf"^{len(LEDGER)} claims: \d+ confirmed, \d+ skipped, 0 contradicted", text, re.M)
    first = next(iter(LEDGER))
    assert re.search(rf"^{first}\s", text, re.M)


def test_the_page_shows_how_the_sample_was_judged(built_site):
    text = page_text(built_site)
    judged = r"^Judged by the site's record of Keras .* \(keras3-tensorflow\)\. 0 known differences, 0 unexp"
    assert re.search(judged, text, re.M)


def test_the_ci_job_is_a_complete_job_that_runs_the_command(built_site):
    """The job a team pastes: it installs Keras and the package, and runs a command line that
    `glossary` accepts, keeping its JUnit report."""
    import shlex

    import yaml

    from glossary import cli

    page = built_file(built_site, DOCS / "cli.md").read_text()
    block = next(
        html.unescape(re.sub(r"<[^>]+>", "", code))
        for code in re.findall(r"<code[^>]*>(.*?)</code>", page, re.S)
        if "lstm-claims:" in html.unescape(re.sub(r"<[^>]+>", "", code))
    )
    job = yaml.safe_load(block)["lstm-claims"]
    runs = [step["run"] for step in job["steps"] if "run" in step]
    assert f'pip install "git+{REPOSITORY}"' in runs[0]
    command = shlex.split(runs[1])
    assert command[0] == "glossary" and cli._parser().parse_args(command[1:]).junit == "claims.xml"
    kept = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/upload-artifact"))
    assert kept["with"]["path"] == "claims.xml" and kept["if"] == "always()"
