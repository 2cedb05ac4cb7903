"""Every rule the pages state that can be executed, run on real Prefect and on sim_prefect.

Each test runs one script through the shared backends (tests/harness, the
fixture in tests/conftest.py) and asserts the rule the page states, in the
same words on both legs: final states (pages 1 and 5), cached reruns and the
caching rules (page 4), the order of state change hooks (page 5), timeouts
with retries (pages 1 and 5), and parameter validation (page 3's table).
The scripts are the pages' own demo and real-Prefect files where those show
the rule, and small scripts in claims/ where a rule needs its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.harness.backends import NEXT_RUN, Backend, Script

HERE = Path(__file__).resolve().parent
DEMO = HERE.parents[1] / "demo"
CLAIMS = HERE / "claims"


@dataclass(frozen=True)
class Case:
    """One script the claims run (the backends fixture prefetches every `case.script`)."""

    path: Path
    runs: int = 1

    @property
    def script(self) -> Script:
        return Script(self.path, runs=self.runs)

    def __str__(self) -> str:
        return self.path.stem


def _case(path: Path, runs: int = 1) -> Any:
    return pytest.mark.parametrize("case", [Case(path, runs)], ids=[path.stem])


def _records(states: list[dict[str, Any]], kind: str, prefix: str) -> list[dict[str, Any]]:
    """The runs of one flow or task, by their name's prefix (task runs: 'load-' for task 'load')."""
    return [r for r in states if r["kind"] == kind and r["name"].startswith(prefix)]


def _names(record: dict[str, Any]) -> list[str]:
    return [name for name, _type in record["states"]]


def _marked(output: str, *marks: str) -> list[str]:
    """The lines the script printed that start with one of `marks` (its own prints, not Prefect's log)."""
    return [line for line in output.splitlines() if line.startswith(marks)]


# -- final states: page 1 ("A flow run's final state comes from how its function ends") and page 5 --


@_case(DEMO / "final_states.py")
def test_a_flow_run_ends_as_its_function_ends(backend: Backend, case: Case) -> None:
    result = backend.run(case.script)
    assert _marked(result.output, "handles-it", "returns-it", "raises-it") == [
        "handles-it ended Completed()",
        "returns-it ended Failed('1/1 states failed.')",
        "raises-it ended Failed('Flow run encountered an exception: LookupError: umbrella is not in the catalogue')",
    ], result.output


@_case(DEMO / "partial_failures.py")
def test_failed_futures_fail_a_flow_and_allow_failure_lets_a_task_run(backend: Backend, case: Case) -> None:
    result = backend.run(case.script)
    assert _marked(result.output, "returns-the-futures", "waits-and-reports", "summarizes-anyway") == [
        "returns-the-futures ended Failed('1/3 states failed.')",
        "waits-and-reports ended Completed()",
        "summarizes-anyway ended Completed()",
    ], result.output
    assert re.search(r"Flow run '[\w-]+' - 3 done, 1 failed, 0 still running$", result.output, re.M)
    assert re.search(r"Flow run '[\w-]+' - Without allow_failure, summarize ended NotReady$", result.output, re.M)
    assert re.search(r"Flow run '[\w-]+' - 180 rows from 2 of 3 files$", result.output, re.M)
    finals = sorted(tuple(r["states"][-1]) for r in _records(result.states, "task", "summarize-"))
    assert finals == [("Completed", "COMPLETED"), ("Completed", "COMPLETED"), ("NotReady", "PENDING")]


# -- caching: page 4 ----------------------------------------------------------------------------


@_case(DEMO / "real" / "cache_inputs.py", runs=2)
def test_a_second_run_finds_every_result_in_the_cache(backend: Backend, case: Case) -> None:
    first, second = backend.run(case.script).output.split(f"{NEXT_RUN}\n")
    assert re.findall(r"Asking the weather service about (\w+)$", first, re.M) == ["Oslo", "Lima", "Pune"], first
    assert first.count("Finished in state Cached(type=COMPLETED)") == 2, first  # Lima and Oslo in the second flow run
    assert "Asking the weather service" not in second, second
    assert second.count("Finished in state Cached(type=COMPLETED)") == 5, second
    assert second.count("Weather: {") == 2, second


@_case(CLAIMS / "cache_rules.py")
def test_the_caching_rules_page_4_states(backend: Backend, case: Case) -> None:
    result = backend.run(case.script)
    claims = dict(line.removeprefix("CLAIM ").split(": ", 1) for line in _marked(result.output, "CLAIM "))
    assert claims == {
        "plain task twice": "Completed, Completed",  # the DEFAULT policy, but nothing persisted: no caching
        "persist_result twice": "Completed, Cached",
        "persist_result in a new flow run": "Completed",  # DEFAULT includes RUN_ID
        "INPUTS across two tasks": "Completed, Cached -> 4",  # the trap: the key ignores which task it is
        "INPUTS + TASK_SOURCE across two tasks": "Completed, Completed -> 300",
        "INPUTS in a new flow run": "Cached",
        "failed run twice": "Failed, Failed",  # a failure is never cached
        "expiration of 3 s, then 3.5 s later": "Completed, Cached, Completed",
        "refresh_cache": "Completed",
        "result_storage_key twice": "Completed, Cached",
        "storage files named by result_storage_key": "['forecast-oslo.pickle']",
    }, result.output


# -- state change hooks: page 5 ---------------------------------------------------------------------


@_case(CLAIMS / "hook_order.py")
def test_hooks_run_in_the_order_page_5_describes(backend: Backend, case: Case) -> None:
    result = backend.run(case.script)
    out = result.output
    marks = [re.sub(r"^.* - (?=HOOK)", "", line) for line in out.splitlines() if "HOOK " in line or line.startswith(("BODY", "FINAL", "CRASHED", "AFTER"))]
    assert marks == [
        "HOOK flow-running Running",
        "HOOK flow-running: get_run_logger raised MissingContextError",
        "HOOK flow-running: flow_run_logger works",
        "HOOK task-running Running",  # before the body, on every attempt
        "BODY attempt 1",
        "HOOK task-running Retrying",
        "BODY attempt 2",
        "HOOK task-completion Completed",
        "HOOK task-failure Failed",
        "HOOK task-failure: get_run_logger works",  # task hooks still see the run
        "AFTER the failing task, its state is Failed",  # a hook that raised changed nothing
        "HOOK flow-completion Completed",
        "HOOK flow-completion: get_run_logger works",
        "HOOK flow-completion: flow_run_logger works",
        "BODY flow attempt",
        "BODY flow attempt",
        "HOOK flow-failure Failed",  # once, after the flow's last retry
        "FINAL Failed",
        "HOOK flow-crashed: get_run_logger raised MissingContextError",
        "HOOK flow-crashed: flow_run_logger works",
        "CRASHED and re-raised",
    ], out
    lines = out.splitlines()

    def at(pattern: str) -> int:
        found = [n for n, line in enumerate(lines) if re.search(pattern, line)]
        assert found, f"no line matches /{pattern}/ in:\n{out}"
        return found[0]

    # A task's and a flow's completion hooks run before the run's "Finished in state" line.
    assert at(r"Hook 'say_task-completion' finished running successfully$") < at(r"Task run 'flaky-\w+' - Finished in state Completed\(\)$")
    assert at(r"Hook 'probe_flow-completion' finished running successfully$") < at(r"Flow run '[\w-]+' - Finished in state Completed\(\)$")
    # A hook that raises is logged, and the run keeps its state.
    assert at(r"ERROR   \| Task run 'fails-\w+' - An error was encountered while running hook 'broken_hook'$") < at(
        r"Task run 'fails-\w+' - Finished in state Failed\('Task run encountered an exception ValueError: broken'\)$"
    )


# -- timeouts with retries: pages 1 and 5 ------------------------------------------------------------


@_case(CLAIMS / "sync_timeout.py")
def test_a_timeout_is_retried_like_any_failure(backend: Backend, case: Case) -> None:
    result = backend.run(case.script)
    assert re.search(
        r"Task run 'slow_then_quick-\w+' - Task run failed with exception: TaskRunTimeoutError\('Scope timed out after 1\.0 second\(s\)\.'\) - Retry 1/1 will start immediately$",
        result.output,
        re.M,
    ), result.output
    assert _marked(result.output, "RESULT", "STATE") == ["RESULT attempt 2", "STATE TimedOut FAILED"]
    (retried,) = _records(result.states, "task", "slow_then_quick-")
    assert _names(retried) == ["Pending", "Running", "Retrying", "Completed"]
    (timed_out,) = _records(result.states, "task", "always_slow-")
    assert _names(timed_out)[-1] == "TimedOut" and timed_out["states"][-1][1] == "FAILED"


@_case(DEMO / "real" / "notify_hooks.py")
def test_the_nightly_flows_on_page_5(backend: Backend, case: Case) -> None:
    result = backend.run(case.script)
    out = result.output
    assert "To #data-alerts: 'nightly-sales' is done" in out, out
    assert re.search(
        r"^To #data-alerts: flow run '[\w-]+' of 'nightly-refunds' ended TimedOut: Flow run failed due to timeout: "
        r"TaskRunTimeoutError\('Scope timed out after 1\.0 second\(s\)\.'\)$",
        out,
        re.M,
    ), out
    assert re.search(r"Running hook 'page_on_call' in response to entering state 'TimedOut'$", out, re.M), out
    (sales,) = _records(result.states, "task", "query_sales-")
    assert _names(sales) == ["Pending", "Running", "Retrying", "Completed"]
    (refunds,) = _records(result.states, "task", "query_refunds-")
    assert _names(refunds)[-1] == "TimedOut"
    flows = {tuple(r["states"][-1]) for r in result.states if r["kind"] == "flow"}
    assert flows == {("Completed", "COMPLETED"), ("TimedOut", "FAILED")}


# -- page 3's comparison table -----------------------------------------------------------------------


@_case(CLAIMS / "page3_table.py")
def test_flow_parameters_are_coerced_and_a_bad_one_fails_before_the_body(backend: Backend, case: Case) -> None:
    result = backend.run(case.script)
    assert _marked(result.output, "RESULT", "PARAMETER", "CALLS") == [
        "RESULT 42",
        "PARAMETER ERROR ParameterTypeError",
        "CALLS [21]",  # the body never ran for the bad value
    ], result.output
