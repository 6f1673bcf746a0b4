"""axe-core's audit of a page in Chromium: WCAG 2.0 and 2.1, levels A and AA, serious or critical.

axe-core's script comes from the ``axe-playwright-python`` package, installed with the tests, and
is injected into the page: nothing is fetched from outside.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
"""WCAG 2.0 and 2.1, levels A and AA."""

REPORT = """(violations) => violations
    .filter((rule) => ["serious", "critical"].includes(rule.impact))
    .map((rule) => {
        const where = rule.nodes.slice(0, 3).map((node) => node.target.join(" ")).join("; ");
        return `${rule.id} (${rule.nodes.length}): ${where}`;
    })"""

AUDIT = """async ([context, rules, skipped]) => {
    const result = await axe.run(context || document, {
        runOnly: rules ? {type: "rule", values: rules} : {type: "tag", values: TAGS},
        rules: Object.fromEntries((skipped || []).map((rule) => [rule, {enabled: false}])),
        resultTypes: ["violations"],
    });
    return (REPORT)(result.violations);
}""".replace("TAGS", json.dumps(TAGS)).replace("REPORT", REPORT)

COLOUR_RULES = ["color-contrast", "link-in-text-block"]
"""The rules of the audit that a page's colours decide; the others read its structure, which no
colour scheme changes."""

NEW_LOOKS_AUDIT = """async (seen) => {
    // What axe's colour rules decide a text by: its colour, the backgrounds behind it up to the
    // first opaque one, its size, weight, shadow and opacity; for a link in text, also the text's
    // look around it and what marks the link besides colour.
    const ownText = (element) => [...element.childNodes].some(
        (node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
    // Each element's backdrop and opacities continue its parent's: kept per element, each
    // computed style is read once, not once for every descendant.
    const styles = new Map();
    const style = (element) => {
        if (!styles.has(element)) styles.set(element, getComputedStyle(element));
        return styles.get(element);
    };
    const backdrops = new Map();
    const backdrop = (element) => {
        if (!element) return "";
        if (!backdrops.has(element)) {
            const own = style(element);
            const layers = own.backgroundImage !== "none" ? [own.backgroundImage] : [];
            const clear = own.backgroundColor === "rgba(0, 0, 0, 0)";
            if (!clear) layers.push(own.backgroundColor);
            const below = clear || own.backgroundColor.startsWith("rgba")
                ? backdrop(element.parentElement) : "";
            backdrops.set(element, [...layers, below].filter(Boolean).join(" over "));
        }
        return backdrops.get(element);
    };
    const opacities = new Map();
    const opacity = (element) => {
        if (!element) return "";
        if (!opacities.has(element)) {
            opacities.set(element, [style(element).opacity, opacity(element.parentElement)].join(" ").trim());
        }
        return opacities.get(element);
    };
    const text = (element) => {
        const own = style(element);
        return [own.color, backdrop(element), own.fontSize, own.fontWeight, own.textShadow,
                opacity(element)].join("|");
    };
    const looks = {
        "color-contrast": (element) => ownText(element) ? text(element) : null,
        "link-in-text-block": (element) => {
            if (element.localName !== "a" || !element.parentElement) return null;
            const own = style(element);
            return [text(element), text(element.parentElement), own.textDecorationLine,
                    own.borderBottomStyle, own.borderBottomWidth].join("|");
        },
    };
    const elements = document.body.querySelectorAll("*");
    const audited = {};
    const violations = [];
    for (const [rule, look] of Object.entries(looks)) {
        const known = new Set(seen[rule] || []);
        const attribute = `data-axe-new-look-${rule}`;
        for (const element of elements) {
            element.removeAttribute(attribute);  // from an audit of this page before
            const key = look(element);
            if (key !== null && !known.has(key)) element.setAttribute(attribute, key);
        }
        audited[rule] = [];
        if (!document.querySelector(`[${attribute}]`)) continue;
        // Every result type: a look counts as audited only where axe applied the rule to it (a
        // hidden text, or a link that stands alone, is left for a later page to show).
        const result = await axe.run(
            {include: [[`[${attribute}]`]]}, {runOnly: {type: "rule", values: [rule]}});
        for (const outcome of [result.violations, result.passes, result.incomplete]) {
            for (const node of outcome.flatMap((ruleResult) => ruleResult.nodes)) {
                const element = document.querySelector(node.target[0]);
                if (element && element.hasAttribute(attribute)) {
                    audited[rule].push(element.getAttribute(attribute));
                }
            }
        }
        violations.push(...(REPORT)(result.violations));
    }
    return {audited, violations};
}""".replace("REPORT", REPORT)


@cache
def script() -> str:
    """axe-core itself, for ``page.evaluate`` or, given before pages load, ``add_init_script``."""
    return (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def _load_axe(page) -> None:
    """Put axe-core into the page, unless a tab's init script already has."""
    if page.evaluate("typeof axe === 'undefined'"):
        page.evaluate(script())


def violations(page, within: list[str] | None = None, rules: list[str] | None = None) -> list[str]:
    """The serious and critical violations on ``page``, or only in the elements ``within`` selects;
    of the given axe ``rules`` only, where they are given."""
    _load_axe(page)
    context = {"include": [[selector] for selector in within]} if within else None
    return page.evaluate(AUDIT, [context, rules, None])


def site_violations(page, looks_seen: dict[str, set[str]], colours_only: bool = False) -> list[str]:
    """`violations` for one page of a site audited page after page, its colour rules applied once
    per look.

    axe decides a text's contrast by its colour, its background, its size and weight: every text
    of one look (body text, a keyword in highlighted code, a link in a sentence) gets one verdict,
    on whichever page it stands. Deciding them one by one on every page costs most of the audit
    (the ledger's pages hold thousands of highlighted tokens) and decides nothing new. So the
    colour rules see, on this page, the elements of every look not yet in ``looks_seen`` (by rule),
    which this call extends with the looks axe applied its rule to; the structure rules see the
    whole page. With ``colours_only``, only the colour rules run: for a second colour scheme of
    pages whose structure was audited in the first.
    """
    _load_axe(page)
    found = page.evaluate(NEW_LOOKS_AUDIT, {rule: sorted(keys) for rule, keys in looks_seen.items()})
    for rule, keys in found["audited"].items():
        looks_seen.setdefault(rule, set()).update(keys)
    problems = found["violations"]
    if not colours_only:
        problems += page.evaluate(AUDIT, [None, None, COLOUR_RULES])
    return problems
