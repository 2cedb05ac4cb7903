"""Page 4's exercise (geocode each city once), through the playground runner the page uses.

The solution passes, the starter fails, and so do the near misses a learner
is likely to write (each with a message that names the mistake) and a
printed-text cheat. The checks run on an empty cache, as the page's Check does.
"""

from __future__ import annotations

import pytest
from tests.lesson.lesson_helpers import DEMO_DIR, LESSON_DIR, read_page

runner = pytest.importorskip("playground.runner")

STARTER = (DEMO_DIR / "geocode.py").read_text(encoding="utf-8")
SOLUTION = (DEMO_DIR / "geocode.solution.py").read_text(encoding="utf-8")
CHECK = (DEMO_DIR / "geocode.check.py").read_text(encoding="utf-8")
TASK_LINE = "@task\ndef geocode"


def _check(code: str):  # type: ignore[no-untyped-def]
    return runner.run_check(code, CHECK, starter=STARTER, filename="geocode.py")


def _with_task(decorator: str, imports: str = "") -> str:
    code = STARTER.replace(TASK_LINE, f"{decorator}\ndef geocode")
    assert code != STARTER
    return code.replace("from sim_prefect import flow, print_state_log, task\n", f"from sim_prefect import flow, print_state_log, task\n{imports}")


def test_the_page_wires_these_files_together() -> None:
    page = read_page(LESSON_DIR / "04-caching-and-results.md")
    (fence,) = [f for f in page.fences if f.directive == "exercise"]
    assert (fence.argument, fence.options("check"), fence.options("solution")) == (
        "geocode.py", ["geocode.check.py"], ["geocode.solution.py"]
    )
    assert len(fence.options("hint")) >= 3  # graduated: where, what, how


def test_the_solution_passes_and_the_starter_fails() -> None:
    solution = _check(SOLUTION)
    assert solution.passed, solution.message
    assert "3 calls billed for 6 stops" in solution.message
    starter = _check(STARTER)
    assert not starter.passed
    assert "nothing came from the cache" in starter.message


def test_task_input_hash_is_another_right_answer() -> None:
    result = _check(_with_task("@task(cache_key_fn=task_input_hash)", "from sim_prefect.tasks import task_input_hash\n"))
    assert result.passed, result.message


@pytest.mark.parametrize(
    ("decorator", "imports"),
    [
        ("@task(cache_key_fn=lambda context, parameters: 'geocode')", ""),
        ("@task(cache_policy=TASK_SOURCE)", "from sim_prefect.cache_policies import TASK_SOURCE\n"),
    ],
    ids=["constant-key", "task-source"],
)
def test_a_key_that_leaves_out_the_city_fails_and_names_the_trap(decorator: str, imports: str) -> None:
    result = _check(_with_task(decorator, imports))
    assert not result.passed
    assert "leaves out the place" in result.message


def test_the_default_policy_caches_within_a_flow_run_only() -> None:
    result = _check(_with_task("@task(persist_result=True)"))
    assert not result.passed
    assert "RUN_ID" in result.message and "5 geocode runs" in result.message


def test_skipping_repeated_stops_in_the_flow_does_not_pass() -> None:
    code = STARTER.replace("route = [geocode(stop) for stop in stops]", "route = [geocode(stop) for stop in dict.fromkeys(stops)]")
    result = _check(code)
    assert not result.passed
    assert "Keep calling geocode for every stop" in result.message


def test_changing_the_billed_service_does_not_pass() -> None:
    code = _with_task("@task(cache_policy=INPUTS)", "from sim_prefect.cache_policies import INPUTS\n")
    code = code.replace("    billed.append(place)\n", "")
    result = _check(code)
    assert not result.passed
    assert "geocoding_service has changed" in result.message


def test_printing_the_expected_output_does_not_pass() -> None:
    expected = (DEMO_DIR / "geocode.solution.expected.log").read_text(encoding="utf-8")
    result = _check(STARTER + f"\nprint({expected!r})\nprint('Well done')\n")
    assert not result.passed
    assert "nothing came from the cache" in result.message
