"""The CSP in Chromium: a fixture lesson loads and runs with no policy violation.

The site is served as a production host should serve it (`headers.py`: the
header CSP), with the pages' own meta CSP on top; the Python workers, started
from blob: URLs, inherit both. Any ``securitypolicyviolation`` fails.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lessonbuild.headers import header_policy
from lessonbuild.serve import Reloads, make_handler
from tests.build.fixture_course import Course
from tests.harness.browser import LoopbackServer

pytestmark = pytest.mark.browser
SNIPPET = "[data-snippet$='--hello']"
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`);
});
"""


@pytest.fixture()
def served(course: Course) -> Iterator[str]:
    """The built fixture course behind the dev server's own handler (its headers are the production ones)."""
    course.build()
    headers = {"Content-Security-Policy": header_policy()}
    server = LoopbackServer(make_handler(course.site, headers, Reloads()))
    yield server.url
    server.close()


def test_a_lesson_loads_and_runs_without_a_csp_violation(page, served: str) -> None:  # type: ignore[no-untyped-def]
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(served + "01-first.html")
    page.wait_for_selector(f"{SNIPPET} [data-run]:not([disabled])", timeout=60_000)
    page.click(f"{SNIPPET} [data-run]")
    page.wait_for_function(
        "s => /^(Finished|Stopped|\\w+Error)/.test(document.querySelector(s + ' [data-status]').textContent)",
        arg=SNIPPET,
        timeout=30_000,
    )
    assert page.evaluate("window.__violations") == []
    assert page.console_errors == []
