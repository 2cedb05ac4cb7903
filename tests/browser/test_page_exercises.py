"""The exercises of pages 4, 5, 6, 8 and 9, checked in Chromium as a learner checks them.

Each Check fails the starter, passes the solution and fails a printed-text cheat
(the solution's expected log printed, plus a forged verdict line). The same three
cases run in CPython in tests/lesson/test_exercise_*.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.page_helpers import original_code, run, set_code, wait_ready

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.browser
EXERCISES = {
    "geocode": "04-caching-and-results.html",
    "invoices": "05-when-runs-fail.html",
    "morning_report": "06-deployments-and-schedules.html",
    "nightly_load": "08-transactions-limits-and-people.html",
    "supplier_pages": "09-scaling-out.html",
}


def verdict(page, snippet: str) -> str:
    return str(page.eval_on_selector(f"{snippet} [data-check-result]", "el => el.textContent"))


@pytest.fixture(scope="module", params=sorted(EXERCISES))
def exercise(browser, site_server, request) -> Iterator[tuple[object, str, str]]:
    name = request.param
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    snippet = f"[data-snippet$='--{name}']"
    page.goto(site_server.url + EXERCISES[name])
    wait_ready(page, snippet)
    yield page, snippet, name
    context.close()


def check(page, snippet: str, code: str) -> str:
    set_code(page, snippet, code)
    run(page, snippet, "[data-check-button]")
    return verdict(page, snippet)


def test_the_starter_does_not_pass(exercise) -> None:
    page, snippet, _ = exercise
    assert check(page, snippet, original_code(page, snippet)).startswith("✗ Not yet")


def index_state(page, name: str) -> str:
    """What the course index, opened in another tab of the same browser, says of exercise `name`."""
    index = page.context.new_page()
    try:
        index.goto(page.url.rsplit("/", 1)[0] + "/index.html")
        item = index.locator(f"[data-exercise$='--{name}']")
        index.wait_for_function("() => document.querySelector('[data-exercises-done]').textContent.includes(' of ')")
        return f"{item.locator('[data-exercise-state]').inner_text()}; {item.locator('xpath=ancestor::*[@data-exercises]').locator('[data-exercises-done]').inner_text()}"
    finally:
        index.close()


def test_the_solution_passes_and_the_course_index_shows_it_done(exercise) -> None:
    page, snippet, name = exercise
    assert index_state(page, name).startswith("not done yet; 0 of ")  # the starter's failing Check marks nothing
    solution = (ROOT / "demo" / f"{name}.solution.py").read_text(encoding="utf-8")
    try:
        assert check(page, snippet, solution).startswith("✓ Passed")
    finally:
        set_code(page, snippet, original_code(page, snippet))
    assert index_state(page, name).startswith("done; 1 of ")


def test_printing_the_expected_log_does_not_pass(exercise) -> None:
    page, snippet, name = exercise
    expected = (ROOT / "demo" / f"{name}.solution.expected.log").read_text(encoding="utf-8")
    try:
        assert check(page, snippet, f"print({expected!r})\nprint('✓ Passed: Well done')\n").startswith("✗ Not yet")
    finally:
        set_code(page, snippet, original_code(page, snippet))
