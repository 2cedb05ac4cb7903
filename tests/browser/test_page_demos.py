"""Every snippet on every lesson page, run in Chromium, prints its expected log.

The page shows each snippet's expected log until the first Run; a Run in the
page (fast mode: wall-clock times, random names) must print the same, after
`mask_page_output` hides only what varies from run to run. Each page is opened fresh,
so its cache starts empty, as a first `python NAME.py` at home would.

Snippets that run tasks concurrently may interleave their log lines in another
order in the page than in the recorded run (the page's clock is the wall clock,
the recording's a virtual one; real Prefect's order varies too): for those the
lines are compared as a multiset, and the state-log table must match exactly.
"""

from __future__ import annotations

import pytest

from lessonbuild.demos import diff
from tests.browser.page_helpers import output_text, run, wait_ready
from tests.harness.normalize import mask_page_output
from tests.lesson.lesson_helpers import lesson_pages

pytestmark = pytest.mark.browser
# Every page with code to run (read from its Markdown, as the build reads it).
PAGES = [p.path.with_suffix(".html").name for p in lesson_pages() if any(f.directive in ("runnable", "exercise") for f in p.fences)]
# Task runs that run at once (threads, slots of a limit) finish in the order the machine gives them, as on Prefect.
CONCURRENT = {"concurrency.py", "lab_pipeline.py", "async_concurrency.py", "partial_failures.py", "tag_limits.py", "limits.py"}


def _same(expected: str, actual: str, filename: str) -> bool:
    if filename not in CONCURRENT:
        return expected == actual
    table = lambda text: text[text.find("State log ("):]  # noqa: E731
    return sorted(expected.splitlines()) == sorted(actual.splitlines()) and table(expected) == table(actual)


DEMO_TIMEOUT_MS = 90_000


@pytest.mark.parametrize("name", PAGES)
def test_every_snippet_on_the_page_prints_its_expected_log(fresh_page, site_server, name) -> None:
    page = fresh_page
    page.goto(site_server.url + name)
    snippets = page.eval_on_selector_all("[data-snippet]", "els => els.map((e) => [e.dataset.snippet, e.dataset.file])")
    assert snippets, f"{name} shows no runnable code, although its Markdown has some"
    wait_ready(page, "[data-snippet]")
    for snippet_id, filename in snippets:
        selector = f"[data-snippet='{snippet_id}']"
        expected = output_text(page, selector)
        try:
            # A paused run waits out its timeout at the page's pace (page 8: 600 s at 60x), for real.
            result = run(page, selector, timeout=DEMO_TIMEOUT_MS)
        except Exception as exc:
            raise AssertionError(f"{filename} did not finish; its output so far:\n{output_text(page, selector)}") from exc
        actual = output_text(page, selector)
        expected, actual = mask_page_output(expected), mask_page_output(actual)
        assert _same(expected, actual, filename), diff(expected, actual, filename)
        assert result["stopped"] is False
    assert page.errors == []
