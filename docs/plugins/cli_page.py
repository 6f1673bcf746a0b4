"""MkDocs hook: the command's page: ``<!-- install -->``, ``<!-- ci-job -->``, ``<!-- check-sample -->``."""

from __future__ import annotations

from generators import build_context, cli_page
from generators.markup import expanded

INSTALL_MARKER = "<!-- install -->"
CI_JOB_MARKER = "<!-- ci-job -->"


def on_page_markdown(markdown, page, config, files):
    """The install lines and the CI job for the published repository, and the head of this build's run."""
    context = build_context.of(config)
    markdown = markdown.replace(INSTALL_MARKER, cli_page.install_lines(context.repository))
    markdown = markdown.replace(CI_JOB_MARKER, cli_page.ci_job(context.repository))
    return expanded(markdown, "<!-- check-sample -->", lambda: cli_page.check_sample(context))
