"""axe-core's audit of a page in Chromium: WCAG 2.0 and 2.1, levels A and AA, serious or critical.

axe-core's script comes from the ``axe-playwright-python`` package, installed with the tests, and
is injected into the page: nothing is fetched from outside.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

AUDIT = """async ([within, rules]) => {
    const context = within ? {include: within.map((selector) => [selector])} : document;
    const result = await axe.run(context, {
        runOnly: rules
            ? {type: "rule", values: rules}
            : {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        resultTypes: ["violations"],
    });
    return result.violations
        .filter((rule) => ["serious", "critical"].includes(rule.impact))
        .map((rule) => {
            const where = rule.nodes.slice(0, 3).map((node) => node.target.join(" ")).join("; ");
            return `${rule.id} (${rule.nodes.length}): ${where}`;
        });
}"""


@cache
def _script() -> str:
    return (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


COLOUR_RULES = ["color-contrast", "link-in-text-block"]
"""The rules of the audit that a page's colours decide; the others read its structure, which no
colour scheme changes."""


def violations(page, within: list[str] | None = None, rules: list[str] | None = None) -> list[str]:
    """The serious and critical violations on ``page``, or only in the elements ``within`` selects;
    of the given axe ``rules`` only, where they are given."""
    page.evaluate(_script())
    return page.evaluate(AUDIT, [within, rules])
