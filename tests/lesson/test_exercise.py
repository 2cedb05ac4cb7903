"""The flaky-source exercise, through the playground runner the page uses.

`playground.runner.run_check(code, check_code, starter=..., filename=...)` runs
the learner's code on sim_prefect, then judges its records with the exercise's
check; it returns `.passed` and `.message`. The reference solution must pass,
the starter must fail, and so must the near misses and the cheats a learner is
likely to try.
"""

from __future__ import annotations

import pytest
from tests.lesson.lesson_helpers import DEMO_DIR, LESSON_DIR, read_page

runner = pytest.importorskip("playground.runner", reason="the playground runner (playground/runner.py) is not there yet")

STARTER = (DEMO_DIR / "flaky_source.py").read_text(encoding="utf-8")
SOLUTION = (DEMO_DIR / "flaky_source.solution.py").read_text(encoding="utf-8")
CHECK = (DEMO_DIR / "flaky_source.check.py").read_text(encoding="utf-8")
TASK_LINE = "@task\ndef fetch_readings"


def _check(code: str):  # type: ignore[no-untyped-def]
    return runner.run_check(code, CHECK, starter=STARTER, filename="flaky_source.py")


def test_the_page_wires_these_files_together() -> None:
    page = read_page(LESSON_DIR / "02-prefect-in-practice.md")
    (fence,) = [f for f in page.fences if f.directive == "exercise"]
    assert fence.argument == "flaky_source.py"
    assert fence.options("check") == ["flaky_source.check.py"]
    assert fence.options("solution") == ["flaky_source.solution.py"]
    assert len(fence.options("hint")) >= 2


def test_the_reference_solution_passes() -> None:
    result = _check(SOLUTION)
    assert result.passed, result.message
    assert "Well done" in result.message


def test_the_starter_fails_and_says_what_to_change() -> None:
    result = _check(STARTER)
    assert not result.passed
    assert "retries" in result.message


def test_the_solution_differs_from_the_starter_only_in_the_task_options() -> None:
    starter = [line for line in STARTER.splitlines() if not line.startswith('"""')]
    solution = [line for line in SOLUTION.splitlines() if not line.startswith('"""')]
    changed = [(a, b) for a, b in zip(starter, solution) if a != b]
    assert len(starter) == len(solution)
    assert changed == [("@task", "@task(retries=2, retry_delay_seconds=1)")]


def test_one_retry_is_not_enough_and_the_message_says_why() -> None:
    result = _check(STARTER.replace(TASK_LINE, "@task(retries=1)\ndef fetch_readings"))
    assert not result.passed
    assert "retried 'fetch_readings-" in result.message and "1 time," in result.message


def test_retries_without_a_delay_pass_too() -> None:
    result = _check(STARTER.replace(TASK_LINE, "@task(retries=3)\ndef fetch_readings"))
    assert result.passed, result.message
    assert "Retrying -> Retrying -> Completed" in result.message  # no AwaitingRetry without a delay


def test_making_the_source_reliable_does_not_pass() -> None:
    result = _check(STARTER.replace("if requests_seen <= 2:", "if False:"))
    assert not result.passed
    assert "flaky_get has changed" in result.message


def test_catching_the_error_instead_of_retrying_does_not_pass() -> None:
    code = STARTER.replace(
        "    readings = fetch_readings(url)\n",
        "    try:\n        readings = fetch_readings(url)\n    except ConnectionError:\n        readings = [0.0]\n",
    )
    result = _check(code)
    assert not result.passed
    assert "no retry fired" in result.message


def test_retrying_the_whole_flow_passes_with_a_nudge() -> None:
    result = _check(STARTER.replace("@flow(log_prints=True)", "@flow(log_prints=True, retries=2)"))
    assert result.passed, result.message
    assert "whole flow" in result.message


def test_a_file_that_never_calls_the_flow_fails_politely() -> None:
    result = _check(STARTER.replace("    sensor_report(return_state=True)", "    pass"))
    assert not result.passed
    assert "No flow ran" in result.message


def test_changing_flaky_get_does_not_pass_even_with_retries() -> None:
    code = STARTER.replace("if requests_seen <= 2:", "if requests_seen <= 1:").replace(
        TASK_LINE, "@task(retries=1)\ndef fetch_readings"
    )
    result = _check(code)
    assert not result.passed
    assert "flaky_get has changed" in result.message


def test_printing_the_expected_output_does_not_pass() -> None:
    expected = (DEMO_DIR / "flaky_source.solution.expected.log").read_text(encoding="utf-8")
    code = f"print({expected!r})\nprint('Well done')\n" + STARTER.split("if __name__")[0]
    result = _check(code)
    assert not result.passed
    assert "No flow ran" in result.message
