"""axe-core in a real page: every rule of axe's default run, and which of its findings fail a page.

A page fails on a serious or critical finding of any rule, and on the moderate findings of the
page's outline named in ALSO_FAILING (issue 15: a heading that skips a level, or content outside
the landmarks, leaves screen-reader users unsure where they are). axe is evaluated through the DevTools protocol, not added as a <script>: the page's
Content-Security-Policy rightly refuses inline scripts, and it stays on during the check.
"""

from __future__ import annotations

import json
from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe.min.js"  # axe-core from npm (make vendor)
BLOCKING = ("serious", "critical")
ALSO_FAILING = ("heading-order", "page-has-heading-one", "landmark-one-main", "region")

# axe's default run: WCAG 2.0/2.1/2.2 A and AA rules and its best practices (not the experimental).
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " :: " + n.failureSummary),
  }));
}"""


def axe_findings(page) -> list[dict]:
    """Every violation axe-core finds on the page, whatever its impact."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate("(() => {" + AXE.read_text(encoding="utf-8") + "\n})()")
    return page.evaluate(RUN_AXE)


def axe_violations(page) -> list[dict]:
    """The findings that fail a page: serious and critical ones, and those of ALSO_FAILING."""
    return [v for v in axe_findings(page) if v["impact"] in BLOCKING or v["id"] in ALSO_FAILING]


def describe(violations: list[dict]) -> str:
    """A readable list of axe findings, to say what to fix."""
    return json.dumps(violations, indent=1, ensure_ascii=False)
