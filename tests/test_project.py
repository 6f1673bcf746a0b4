"""The README's promises about setting up the project stay true."""

import re

from paths import ROOT

README = (ROOT / "README.md").read_text()
COMMANDS = re.findall(r"```bash\n(.+?)\n```", README, flags=re.S)


def test_readme_has_exactly_two_set_up_commands():
    """The README holds two commands, one serving the site and one running the tests."""
    assert len(COMMANDS) == 2
    serve, tests = COMMANDS
    assert "nox -s serve" in serve
    assert "nox -s tests" in tests


def test_ci_runs_the_readme_test_command():
    """.ci/run runs the README's test command word for word, so CI tests what a reader runs."""
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert COMMANDS[1] in ci


def test_serve_command_serves_where_the_readme_says():
    """The serve session binds the address the README gives."""
    noxfile = (ROOT / "noxfile.py").read_text()
    assert "127.0.0.1:8000" in noxfile and "http://127.0.0.1:8000" in README
