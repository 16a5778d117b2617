"""The accessibility check: axe-core, vendored beside this file and never fetched at run time (offices and CI run
on closed networks).

axe-4.14.1.min.js is the npm package axe-core 4.14.1 (`npm pack axe-core@4.14.1`, its axe.min.js unchanged),
Copyright Deque Systems, Inc., under the Mozilla Public License 2.0 (axe-LICENSE). The pages' Content-Security-
Policy allows only their own scripts, so the page must be opened in a browser context made with bypass_csp=True
for the injected script to run; only this check does that."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE = Path(__file__).with_name("axe-4.14.1.min.js")
# What stops a citizen or an officer: axe's two highest impacts. Moderate and minor ones are advice.
BLOCKING = ("serious", "critical")
RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map((v) => ({rule: v.id, impact: v.impact, help: v.help,
    where: v.nodes.slice(0, 5).map((node) => node.target.join(' ') + ': ' + node.failureSummary.split('\\n')[1])}));
}"""


def blocking_violations(page: Page) -> list[dict[str, Any]]:
    """axe's serious and critical violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return [v for v in page.evaluate(RUN) if v["impact"] in BLOCKING]
