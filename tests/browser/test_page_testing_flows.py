"""Page 7, "Testing flows", in Chromium: test modules run with pytest in the page, and the missing-test exercise.

- pytest.zip is not fetched until a test module runs (a plain Run fetches
  nothing new), and a test module's Run prints what pytest prints at home
  (its expected log, the duration masked);
- the exercise's Check fails the starter, passes the solution, and fails the
  near misses a learner may try: a test that always fails, one that asserts
  what the buggy flow does, a counter that fails only the first interpreter it
  runs in, and printed verdicts;
- the page fits 360 px in both colour schemes, with no serious axe violation.

Time to the first and to a second pytest Run is written to
test-artifacts/pytest-in-the-page.json (measured, never asserted).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.page_helpers import arm_finished, original_code, output_text, set_code, wait_finished, wait_ready
from tests.browser.test_page_a11y import assert_fits_small_screens

ROOT = Path(__file__).resolve().parents[2]
PAGE = "07-testing-flows.html"
TESTS = "[data-snippet$='--test_orders']"
ORDERS = "[data-snippet$='--orders']"
EXERCISE = "[data-snippet$='--test_payouts']"
PYTEST_TIMEOUT_MS = 180_000
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def page(browser, site_server) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site_server.url + PAGE)
    wait_ready(page, TESTS)
    yield page
    context.close()


def pytest_fetches(page) -> list[str]:
    return list(page.evaluate("performance.getEntriesByType('resource').map(e => e.name).filter(n => /pytest-[0-9a-f]+\\.zip$/.test(n))"))


def click(page, snippet: str, button: str = "[data-run]") -> dict:
    wait_ready(page, snippet)
    arm_finished(page, snippet)
    page.click(f"{snippet} {button}")
    return wait_finished(page, PYTEST_TIMEOUT_MS)


def masked(text: str) -> str:
    return re.sub(r" in \d+\.\d\ds( \(\d+:\d\d:\d\d\))?$", " in <duration>", text, flags=re.M)


def test_pytest_is_fetched_only_when_a_test_module_runs_and_prints_what_pytest_prints(page, artifacts) -> None:
    assert pytest_fetches(page) == []
    assert click(page, ORDERS)["ok"]
    assert pytest_fetches(page) == [], "a plain Run must not fetch pytest"
    started = time.monotonic()
    first = click(page, TESTS)
    first_s = time.monotonic() - started
    assert first["ok"], first
    assert len(pytest_fetches(page)) == 1
    expected = (ROOT / "demo" / "test_orders.expected.log").read_text(encoding="utf-8")
    assert masked(output_text(page, TESTS)) == masked(expected)
    status = str(page.eval_on_selector(f"{TESTS} [data-status]", "el => el.textContent"))
    assert status.startswith("pytest: 3 passed in ")
    started = time.monotonic()
    assert click(page, TESTS)["ok"]
    second_s = time.monotonic() - started
    assert len(pytest_fetches(page)) == 1, "pytest.zip is fetched once a page"
    size = page.evaluate("performance.getEntriesByType('resource').find(e => /pytest-/.test(e.name)).decodedBodySize")
    (artifacts / "pytest-in-the-page.json").write_text(
        json.dumps({"first_pytest_run_s": round(first_s, 2), "second_pytest_run_s": round(second_s, 2), "pytest_zip_bytes": size}),
        encoding="utf-8",
    )


def test_a_failing_test_shows_pytests_failure_report(page) -> None:
    code = original_code(page, TESTS)
    try:
        set_code(page, TESTS, code.replace("== 36.0", "== 35.0"))
        click(page, TESTS)
        shown = output_text(page, TESTS)
        assert "E           AssertionError: assert 36.0 == 35.0" in shown
        assert "FAILED test_orders.py::test_order_total_applies_the_coupon" in shown
        assert re.search(r"^1 failed, 2 passed in ", shown, re.M)
    finally:
        set_code(page, TESTS, code)


SOLUTION = (ROOT / "demo" / "test_payouts.solution.py").read_text(encoding="utf-8")
COUNTER = """import builtins


def test_second_time_lucky():
    builtins.runs = getattr(builtins, "runs", 0) + 1
    assert builtins.runs > 1
"""


def check(page, code: str) -> str:
    set_code(page, EXERCISE, code)
    click(page, EXERCISE, "[data-check-button]")
    return str(page.eval_on_selector(f"{EXERCISE} [data-check-result]", "el => el.textContent"))


@pytest.mark.parametrize(
    ("name", "make", "passes", "says"),
    [
        ("starter", lambda starter: starter, False, "Every test passes on payouts.py as it is"),
        ("solution", lambda starter: SOLUTION, True, "Well done: test_a_negative_payout_fails_the_run"),
        ("always-fails", lambda starter: starter + "\ndef test_new():\n    assert False\n", False, "test_new also fails once the bug is fixed"),
        (
            "asserts-the-bug",
            lambda starter: SOLUTION.replace("assert state.is_failed()", "assert state.is_completed()"),
            False,
            "passes on payouts.py as it is and fails once the bug is fixed",
        ),
        ("counter", lambda starter: starter + "\n" + COUNTER, False, "test_second_time_lucky also fails once the bug is fixed"),
        (
            "printed-verdict",
            lambda starter: starter + "\nprint('1 failed, 2 passed')\nprint('✓ Passed: Well done')\n",
            False,
            "Every test passes on payouts.py as it is",
        ),
    ],
)
def test_the_exercise_in_chromium(page, name, make, passes, says) -> None:
    starter = original_code(page, EXERCISE)
    try:
        verdict = check(page, make(starter))
        assert verdict.startswith("✓ Passed" if passes else "✗ Not yet"), verdict
        assert says in verdict, verdict
    finally:
        set_code(page, EXERCISE, starter)


def test_the_page_fits_small_screens_in_both_schemes(page, artifacts) -> None:
    assert_fits_small_screens(page, artifacts, PAGE)
