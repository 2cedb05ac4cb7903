"""Accessibility (axe-core from node_modules), small screens and dark mode.

Screenshots go to test-artifacts/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.browser.page_helpers import SNIPPET, run

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = pytest.mark.browser
FRAME = "() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))"
# CodeMirror measures an editor's lines once it scrolls into view; a full-page shot of
# editors never scrolled to shows estimated gutter heights that no reader would see.
SCROLL_THROUGH_EDITORS = """async () => {
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  for (const editor of document.querySelectorAll(".cm-editor")) { editor.scrollIntoView(); await frame(); }
  window.scrollTo(0, 0); await frame();
}"""


def axe_violations(page) -> list[dict]:
    if not AXE.exists():
        pytest.fail("axe-core is not installed: run `npm ci`")
    if not page.evaluate("typeof window.axe === 'object'"):
        # Through the DevTools protocol, which the page's Content-Security-Policy does not govern.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    report = page.evaluate(
        """async () => {
          const result = await axe.run(document, { resultTypes: ["violations"] });
          return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " :: " + n.failureSummary) }));
        }"""
    )
    return [v for v in report if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violations_after_a_run(pipeline, scheme) -> None:
    page = pipeline.page
    page.emulate_media(color_scheme=scheme)
    try:
        run(page)
        page.click(f"{SNIPPET} .timeline-details summary")  # the table too
        violations = axe_violations(page)
        assert violations == [], json.dumps(violations, indent=1)
    finally:
        page.emulate_media(color_scheme="light")


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_fit_the_screen(pipeline, artifacts, width, scheme) -> None:
    page = pipeline.page
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme)
    try:
        run(page)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px"
        for selector in (f"{SNIPPET} [data-run]", f"{SNIPPET} [data-stop]", f"{SNIPPET} [data-reset]"):
            box = page.locator(selector).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (selector, box)
            assert box["height"] >= 24, f"{selector} is too small to tap: {box}"
        # A viewport as tall as the snippet: CodeMirror draws only the lines in view.
        height = page.locator(SNIPPET).bounding_box()["height"]
        page.set_viewport_size({"width": width, "height": int(height) + 100})
        page.locator(SNIPPET).scroll_into_view_if_needed()
        page.evaluate(FRAME)
        page.locator(SNIPPET).screenshot(path=str(artifacts / f"snippet-{width}-{scheme}.png"))
        page.set_viewport_size({"width": width, "height": 900})
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(artifacts / f"top-{width}-{scheme}.png"))
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.emulate_media(color_scheme="light")


NEW_PAGES = [
    "04-caching-and-results.html", "05-when-runs-fail.html", "06-deployments-and-schedules.html",
    "08-transactions-limits-and-people.html", "09-scaling-out.html",
]


@pytest.mark.parametrize("name", NEW_PAGES)
def test_new_pages_fit_small_screens_in_both_schemes(fresh_page, site_server, artifacts, name) -> None:
    """Pages 4, 5, 6, 8 and 9 after running their first example: no sideways scroll, full-page screenshots."""
    page = fresh_page
    page.goto(site_server.url + name)
    first = page.eval_on_selector("[data-snippet]", "e => `[data-snippet='${e.dataset.snippet}']`")
    assert run(page, first)["ok"]
    assert_fits_small_screens(page, artifacts, name)


def assert_fits_small_screens(page, artifacts, name: str) -> None:  # type: ignore[no-untyped-def]
    """At 360 and 1280 px, light and dark: no sideways scroll, a full-page screenshot; then no axe violation."""
    for width in (360, 1280):
        for scheme in ("light", "dark"):
            page.set_viewport_size({"width": width, "height": 900})
            page.emulate_media(color_scheme=scheme)
            page.evaluate(SCROLL_THROUGH_EDITORS)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
            page.screenshot(path=str(artifacts / f"{name.removesuffix('.html')}-{width}-{scheme}.png"), full_page=True)
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=1)
