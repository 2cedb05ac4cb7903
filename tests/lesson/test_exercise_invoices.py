"""Page 5's exercise (stop retrying the impossible), through the playground runner the page uses.

The solution passes, the starter fails, and so do the near misses a learner
is likely to write (each with a message that names the mistake) and a
printed-text cheat.
"""

from __future__ import annotations

import pytest
from tests.lesson.lesson_helpers import DEMO_DIR, LESSON_DIR, read_page

runner = pytest.importorskip("playground.runner")

STARTER = (DEMO_DIR / "invoices.py").read_text(encoding="utf-8")
SOLUTION = (DEMO_DIR / "invoices.solution.py").read_text(encoding="utf-8")
CHECK = (DEMO_DIR / "invoices.check.py").read_text(encoding="utf-8")
TASK_LINE = "@task(retries=3, retry_delay_seconds=2)\n"


def _check(code: str):  # type: ignore[no-untyped-def]
    return runner.run_check(code, CHECK, starter=STARTER, filename="invoices.py")


def _replace(old: str, new: str) -> str:
    assert old in STARTER
    return STARTER.replace(old, new)


def test_the_page_wires_these_files_together() -> None:
    page = read_page(LESSON_DIR / "05-when-runs-fail.md")
    (fence,) = [f for f in page.fences if f.directive == "exercise"]
    assert (fence.argument, fence.options("check"), fence.options("solution")) == (
        "invoices.py", ["invoices.check.py"], ["invoices.solution.py"]
    )
    assert len(fence.options("hint")) >= 3


def test_the_solution_passes_and_the_starter_fails() -> None:
    solution = _check(SOLUTION)
    assert solution.passed, solution.message
    starter = _check(STARTER)
    assert not starter.passed
    assert "retried 3 time(s) although the invoice does not exist" in starter.message


def test_a_condition_written_as_an_isinstance_test_passes_too() -> None:
    code = _replace(
        TASK_LINE,
        "def retry_unless_missing(task, task_run, state):\n"
        "    return not isinstance(state.result(raise_on_failure=False), LookupError)\n\n\n"
        "@task(retries=3, retry_delay_seconds=2, retry_condition_fn=retry_unless_missing)\n",
    )
    result = _check(code)
    assert result.passed, result.message


def test_no_retries_at_all_does_not_pass() -> None:
    result = _check(_replace(TASK_LINE, "@task\n"))
    assert not result.passed
    assert "busy API was not given a second chance" in result.message


def test_a_condition_that_never_retries_does_not_pass() -> None:
    result = _check(_replace(TASK_LINE, "@task(retries=3, retry_delay_seconds=2, retry_condition_fn=lambda t, r, s: False)\n"))
    assert not result.passed
    assert "not given a second chance" in result.message


def test_hiding_the_missing_invoice_does_not_pass() -> None:
    code = _replace(
        "    return billing_api(number)\n",
        "    try:\n        return billing_api(number)\n    except LookupError:\n        return {'number': number, 'total': 0}\n",
    )
    result = _check(code)
    assert not result.passed
    assert "must still fail" in result.message


def test_not_asking_for_invoice_3_does_not_pass() -> None:
    result = _check(_replace("invoice_totals([1, 2, 3])", "invoice_totals([1, 2])"))
    assert not result.passed
    assert "Invoice 3 must still be asked for" in result.message


def test_changing_the_billing_api_does_not_pass() -> None:
    result = _check(_replace("    if number == 3:\n", "    if number == 99:\n"))
    assert not result.passed
    assert "billing_api has changed" in result.message


def test_printing_the_expected_output_does_not_pass() -> None:
    expected = (DEMO_DIR / "invoices.solution.expected.log").read_text(encoding="utf-8")
    result = _check(STARTER + f"\nprint({expected!r})\nprint('Well done')\n")
    assert not result.passed
    assert "retried 3 time(s)" in result.message
