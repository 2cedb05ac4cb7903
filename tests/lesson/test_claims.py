"""Every rule the pages state that can be executed, run on real Prefect and on sim_prefect.

Each test runs one script through the shared backends (tests/harness, the
fixture in tests/conftest.py) and asserts the rule the page states, in the
same words on both legs: final states and how a submitted task resolves its
inputs (pages 1 and 5), cached reruns, the caching rules and where results
are stored (page 4), the order of state change hooks (page 5), timeouts with
retries and by thread (pages 1 and 5), retry conditions (page 5), and
parameter validation (page 3's table). The scripts are the pages' own demo
and real-Prefect files where those show the rule, and small scripts in
claims/ where a rule needs its own.

A rule real Prefect keeps and sim_prefect does not yet is marked on its sim
leg with `sim_prefect_differs` (a strict xfail: once sim_prefect is fixed, the
test fails until the mark is taken off).
"""

from __future__ import annotations

import atexit
import re
import shutil
import tempfile
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
    env: tuple[tuple[str, str], ...] = ()

    @property
    def script(self) -> Script:
        return Script(self.path, runs=self.runs, env=self.env)

    def __str__(self) -> str:
        return self.path.stem


def _case(path: Path, runs: int = 1, env: tuple[tuple[str, str], ...] = ()) -> Any:
    return pytest.mark.parametrize("case", [Case(path, runs, env)], ids=[path.stem])


def sim_prefect_differs(request: pytest.FixtureRequest, backend: Backend, what: str) -> None:
    """Mark this test's sim leg as a known discrepancy of sim_prefect: it fails there until sim_prefect is fixed."""
    if backend.name == "sim":
        request.node.add_marker(pytest.mark.xfail(reason=f"SIM_PREFECT DISCREPANCY: {what}", strict=True))


def _record(states: list[dict[str, Any]], name: str) -> dict[str, Any]:
    """The one run with this name (a task_run_name or flow_run_name the script gave it)."""
    (record,) = [r for r in states if r["name"] == name]
    return record


def _ran_for(record: dict[str, Any]) -> float:
    """Seconds from the run's first Running state to its last state."""
    running = next(n for n, (_name, kind) in enumerate(record["states"]) if kind == "RUNNING")
    return float(record["timestamps"][-1] - record["timestamps"][running])


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


@_case(CLAIMS / "final_state_rules.py")
def test_only_states_and_futures_are_aggregated_and_a_cancelled_one_wins(backend: Backend, case: Case) -> None:
    result = backend.run(case.script)
    assert _marked(result.output, "FINAL") == [
        "FINAL a-state-and-a-value Completed(message=None)",  # a list with a plain value is a value
        "FINAL a-dict-of-states Completed(message=None)",
        "FINAL failed-and-cancelled Cancelled(message='1/2 states cancelled.')",
    ], result.output


@_case(CLAIMS / "final_state_rules.py")
def test_a_submitted_task_names_the_first_input_that_did_not_complete(backend: Backend, case: Case) -> None:
    result = backend.run(case.script)
    # Its inputs: one that fails after 2 s, one that fails at once, one that completes after 5 s.
    assert _marked(result.output, "INPUTS") == ["INPUTS NotReady | names the first input: True"], result.output
    (blocked,) = _records(result.states, "task", "total-")
    assert _names(blocked) == ["Pending", "NotReady"]


@_case(CLAIMS / "final_state_rules.py")
def test_a_submitted_task_gives_up_without_waiting_for_its_later_inputs(
    backend: Backend, case: Case, request: pytest.FixtureRequest
) -> None:
    sim_prefect_differs(request, backend, "a submitted task waits for all its upstream futures before it looks at any")
    result = backend.run(case.script)
    (blocked,) = _records(result.states, "task", "total-")
    (last,) = _records(result.states, "task", "succeeds-")
    # NotReady when the first input failed (after 2 s), while the last one still runs (until 5 s).
    assert blocked["timestamps"][-1] < last["timestamps"][-1] - 1.5, (blocked, last)


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
        "result_serializer twice": "Completed, Cached",  # result_serializer turns persistence on too
        "plain task after a persisting twin": "Completed, Cached",  # a plain task still looks its key up
        "INPUTS, other argument names": "Completed, Completed",  # the key holds the names, not only the values
        "INPUTS, no arguments": "Completed, Completed",  # no arguments, no key
        "TASK_SOURCE after its helper changed": "Completed, Cached -> 2",  # only the task's own source
        "a persisting flow's plain task twice": "Completed, Cached",  # tasks follow their flow's persist_result
        "a persisting flow's plain task in a new flow run": "Completed",
    }, result.output


@_case(CLAIMS / "flow_results.py")
def test_a_persisting_flow_stores_its_return_value_under_a_random_name(
    backend: Backend, case: Case, request: pytest.FixtureRequest
) -> None:
    sim_prefect_differs(request, backend, "a flow with persist_result=True does not store its own return value")
    result = backend.run(case.script)
    assert _marked(result.output, "RUN") == ["RUN 1 stored ['<32 hex digits>']", "RUN 2 stored ['<32 hex digits>']"], result.output


RESULTS_FOLDER = Path(tempfile.mkdtemp(prefix="claims-results-"))  # both legs write here, each its own file
atexit.register(shutil.rmtree, RESULTS_FOLDER, True)


@_case(CLAIMS / "results_path.py", env=(("PREFECT_RESULTS_LOCAL_STORAGE_PATH", str(RESULTS_FOLDER)),))
def test_the_results_folder_setting_wins_over_its_older_name(backend: Backend, case: Case) -> None:
    result = backend.run(case.script)  # the harness sets PREFECT_LOCAL_STORAGE_PATH; the case sets the newer name
    assert _marked(result.output, "STORED IN") == [
        "STORED IN PREFECT_RESULTS_LOCAL_STORAGE_PATH True",
        "STORED IN PREFECT_LOCAL_STORAGE_PATH False",
    ], result.output


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
        "HOOK flow-retried-running: get_run_logger raised MissingContextError",  # the first attempt only
        "HOOK flow-retried-running: flow_run_logger works",
        "BODY flow attempt",
        "HOOK flow-retried-running: get_run_logger works",  # a retry runs its hook inside the run's context
        "HOOK flow-retried-running: flow_run_logger works",
        "BODY flow attempt",
        "HOOK flow-failure Failed",  # once, after the flow's last retry
        "FINAL Failed",
        "HOOK flow-crashed: get_run_logger raised MissingContextError",
        "HOOK flow-crashed: flow_run_logger works",
        "CRASHED and re-raised",
    ], out
    # After AwaitingRetry a flow runs again as Running (a task, as Retrying).
    assert _names(_record(result.states, "fails-twice")) == ["Pending", "Running", "AwaitingRetry", "Running", "Failed"]
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


WORKER_THREAD_WARNING = (
    "Timeout of 1.0 seconds configured for this task, but the task is running in a worker thread. "
    "Timeouts in worker threads cannot interrupt blocking operations like `time.sleep()`, network requests, "
    "or file I/O. The timeout will only take effect after the blocking operation completes."
)


@_case(CLAIMS / "timeouts_by_thread.py")
def test_a_sync_tasks_timeout_depends_on_its_thread(backend: Backend, case: Case) -> None:
    result = backend.run(case.script)
    ran_for = {name: _ran_for(_record(result.states, name)) for name in ("direct-sleep", "submitted-sleep", "submitted-loop")}
    for name in ran_for:
        assert _names(_record(result.states, name))[-1] == "TimedOut", result.states
    assert ran_for["direct-sleep"] < 2.5, ran_for  # the main thread: time.sleep(3) is interrupted at 1 s
    assert ran_for["submitted-sleep"] >= 2.9, ran_for  # a worker thread: it sleeps its 3 s first
    assert ran_for["submitted-loop"] < 2.5, ran_for  # a worker thread: a Python loop stops at 1 s
    warned = re.findall(rf"\| WARNING \| Task run '([\w-]+)' - {re.escape(WORKER_THREAD_WARNING)} ", result.output)
    assert warned == ["submitted-sleep", "submitted-loop"], result.output


@_case(CLAIMS / "timeouts_by_thread.py")
def test_any_timeout_error_that_ends_a_run_makes_it_timed_out(backend: Backend, case: Case) -> None:
    result = backend.run(case.script)
    assert _names(_record(result.states, "own-timeout-error"))[-1] == "TimedOut"  # a TimeoutError the code raised
    # A flow with no timeout_seconds, whose task's timeout reached it.
    assert _marked(result.output, "FINAL") == ["FINAL TimedOut"], result.output
    assert re.search(
        r"Flow run 'no-timeout-of-its-own' - Finished in state TimedOut\(\"Flow run failed due to timeout: "
        r"TaskRunTimeoutError\('Scope timed out after 1\.0 second\(s\)\.'\)\", type=FAILED\)$",
        result.output,
        re.M,
    ), result.output


@_case(CLAIMS / "timeouts_by_thread.py")
def test_under_a_flows_timeout_a_direct_tasks_blocking_call_runs_to_its_end(
    backend: Backend, case: Case, request: pytest.FixtureRequest
) -> None:
    sim_prefect_differs(
        request, backend, "a task called directly in a flow with its own timeout_seconds is interrupted at its deadline"
    )
    result = backend.run(case.script)
    record = _record(result.states, "direct-sleep-under-a-flow-timeout")
    assert _names(record)[-1] == "TimedOut"
    assert _ran_for(record) >= 2.9, record  # the flow's alarm is set, so the task's timeout cannot use one


@_case(CLAIMS / "timeouts_by_thread.py")
def test_the_worker_thread_warning_is_prefects_word_for_word(
    backend: Backend, case: Case, request: pytest.FixtureRequest
) -> None:
    sim_prefect_differs(request, backend, "the worker-thread timeout warning links to docs.prefect.io, not www.prefect.io/docs")
    result = backend.run(case.script)
    ending = (
        " Consider using an async task with `await` statements for reliable timeout behavior. See "
        "https://www.prefect.io/docs/v3/how-to-guides/workflows/write-and-run#task-timeout-behavior for more information."
    )
    assert result.output.count(WORKER_THREAD_WARNING + ending + "\n") == 2, result.output


# -- retry conditions: page 5 ------------------------------------------------------------------------


@_case(CLAIMS / "retry_conditions.py")
def test_what_state_result_gives_a_retry_condition(backend: Backend, case: Case) -> None:
    result = backend.run(case.script)
    attempts = {r["name"].rsplit("-", 1)[0]: r["run_count"] for r in result.states if r["kind"] == "task"}
    assert attempts == {
        "sync_result": 1,  # state.result() raised the LookupError: no retry
        "sync_data": 1,
        "async_result": 3,  # state.result() gave a coroutine, raised nothing: every retry was used
        "async_aresult": 1,
        "async_data": 1,  # state.data holds the exception for both kinds of task
    }, result.states
    assert re.search(r"RuntimeWarning: coroutine 'State\.aresult' was never awaited$", result.output, re.M), result.output


@_case(CLAIMS / "retry_conditions.py")
def test_a_retry_condition_that_says_no_leaves_only_the_final_state_line(backend: Backend, case: Case) -> None:
    result = backend.run(case.script)
    lines = result.output.splitlines()
    for record in result.states:
        if record["kind"] == "task" and record["run_count"] == 1:
            mine = [n for n, line in enumerate(lines) if f"Task run '{record['name']}' - " in line]
            assert len(mine) == 1 and " - Finished in state Failed(" in lines[mine[0]], result.output
            assert not lines[mine[0] + 1].startswith("Traceback"), result.output


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


# -- task runners: page 9 ------------------------------------------------------------------------------


def _running_spans(states: list[dict[str, Any]], flow_run: str) -> list[tuple[float, float]]:
    """(first Running, last state) of each task run of this flow run."""
    spans = []
    for record in states:
        if record["kind"] == "task" and record["flow"] == flow_run:
            running = next(n for n, (_name, kind) in enumerate(record["states"]) if kind == "RUNNING")
            spans.append((record["timestamps"][running], record["timestamps"][-1]))
    return spans


def _most_at_once(spans: list[tuple[float, float]]) -> int:
    moments = sorted([(start, 1) for start, _ in spans] + [(end, -1) for _, end in spans])
    most = now = 0
    for _, step in moments:
        now += step
        most = max(most, now)
    return most


@_case(CLAIMS / "task_runners.py")
def test_max_workers_is_how_many_submitted_runs_run_at_once(backend: Backend, case: Case) -> None:
    result = backend.run(case.script)
    assert _marked(result.output, "DEFAULT", "PROCESSES") == [
        "DEFAULT ThreadPoolTaskRunner no limit: True",
        "PROCESSES the flow's own only: True",  # threads: every task run in the flow's process
    ], result.output
    unlimited, two = _running_spans(result.states, "no-limit"), _running_spans(result.states, "two-threads")
    assert len(unlimited) == len(two) == 6, result.states
    assert _most_at_once(unlimited) == 6
    assert max(end for _, end in unlimited) - min(start for start, _ in unlimited) < 3.5  # the six waits overlap
    assert _most_at_once(two) == 2
    assert max(end for _, end in two) - min(start for start, _ in two) >= 5.9  # three rounds of two


@_case(CLAIMS / "task_runners.py")
def test_a_run_waiting_for_a_thread_does_not_exist_yet(
    backend: Backend, case: Case, request: pytest.FixtureRequest
) -> None:
    sim_prefect_differs(request, backend, "a submitted task run waiting for a free thread is already Pending")
    result = backend.run(case.script)
    runs = sorted(
        (r for r in result.states if r["kind"] == "task" and r["flow"] == "two-threads"), key=lambda r: r["timestamps"][0]
    )
    assert len(runs) == 6, result.states
    first_done = min(r["timestamps"][-1] for r in runs)
    # Prefect creates the task run in the thread that runs it: the four that waited for a thread have no
    # Pending state until a thread is free, after the first round's end (not at the flow's start, ~2 s before).
    assert all(r["timestamps"][0] >= first_done - 0.5 for r in runs[2:]), [r["timestamps"] for r in runs]


# -- transactions, limits, pausing, variables and secrets: page 8 ------------------------------------


def _logged_at(output: str, pattern: str) -> list[tuple[str, float]]:
    """(task run name, seconds of the day) of each log line whose message matches `pattern`."""
    found = []
    for match in re.finditer(rf"^(\d\d):(\d\d):(\d\d\.\d+) \| \w+ +\| Task run '([\w-]+)' - {pattern}$", output, re.M):
        hours, minutes, seconds, name = match.groups()
        found.append((name, int(hours) * 3600 + int(minutes) * 60 + float(seconds)))
    return found


def _claims(output: str) -> dict[str, str]:
    return dict(line.removeprefix("CLAIM ").split(": ", 1) for line in _marked(output, "CLAIM "))


@_case(DEMO / "load_sales.py")
def test_a_failure_in_a_transaction_rolls_back_what_it_wrote(backend: Backend, case: Case) -> None:
    result = backend.run(case.script)
    out = result.output
    lines = out.splitlines()

    def at(pattern: str) -> int:
        found = [n for n, line in enumerate(lines) if re.search(pattern, line)]
        assert found, f"no line matches /{pattern}/ in:\n{out}"
        return found[0]

    # The rollback runs, and its hook's print is logged under the task run that failed, before that failure is logged.
    assert (
        at(r"Task run 'write_rows-\w+' - Running rollback hook 'delete_rows'$")
        < at(r"Task run 'check_rows-\w+' - deleted the rows of 2026-03-03$")
        < at(r"Task run 'write_rows-\w+' - Rollback hook 'delete_rows' finished running successfully$")
        < at(r"Task run 'check_rows-\w+' - Task run failed with exception: ValueError\('2026-03-03 has a negative amount: -999\.0'\)$")
    )
    rolled_back = [r for r in _records(result.states, "task", "write_rows-") if "RolledBack" in _names(r)]
    assert len(rolled_back) == 1, result.states
    (record,) = rolled_back
    assert record["states"][-2:] == [["Completed", "COMPLETED"], ["RolledBack", "COMPLETED"]]
    assert record["messages"][-1] == "Task rolled back as part of transaction"
    # The rerun skips the committed day and loads the two others; the failed run stopped at 3 March.
    assert _marked(out, "wrote") == [] and re.findall(r" - wrote \d rows for ([\d-]+)$", out, re.M) == [
        "2026-03-02", "2026-03-03", "2026-03-03", "2026-03-04",
    ], out  # fmt: skip
    assert re.findall(r" - ([\d-]+) is already loaded: skipped$", out, re.M) == ["2026-03-02"], out
    flows = [r["states"][-1][0] for r in result.states if r["kind"] == "flow"]
    assert flows == ["Failed", "Completed"], result.states


@_case(DEMO / "real" / "load_sales.py", runs=2)
def test_a_key_makes_a_second_process_skip_every_committed_day(backend: Backend, case: Case) -> None:
    first, second = backend.run(case.script).output.split(f"{NEXT_RUN}\n")
    assert len(re.findall(r" - wrote \d rows for ", first, re.M)) == 4, first
    assert " - wrote " not in second, second
    assert re.findall(r" - ([\d-]+) is already loaded: skipped$", second, re.M) == [
        "2026-03-02", "2026-03-03", "2026-03-04"
    ] * 2, second  # fmt: skip
    assert "Task run '" not in second, second  # no task ran at all


@_case(CLAIMS / "transaction_rules.py", runs=2)
def test_the_transaction_rules_page_8_states(backend: Backend, case: Case) -> None:
    result = backend.run(case.script)
    first, second = result.output.split(f"{NEXT_RUN}\n")
    common = {
        "@task(on_rollback=...)": "TypeError: task() got an unexpected keyword argument 'on_rollback'",
        "rolls_back": "FAILED",
        "broken_hook": "FAILED",
        "a key whose block failed, later": "committed at start False",  # a failed block writes no record
        "overwrite=True": "committed at start False",
    }
    assert _claims(first) == {
        **common,
        "a key, no early return": "committed at start False, the task ended Completed",
        "cached steps, after a failure": "Completed, Completed",  # the rolled-back step stored nothing
    }, first
    assert _claims(second) == {
        **common,
        "a key, no early return": "committed at start True, the task ended Completed",  # the key alone skips nothing
        "cached steps, in a rerun": "Cached, Cached",  # stored when the transaction committed
    }, second
    for out in (first, second):
        # Undoing runs backwards: the last task run first, and each task's hooks last registered first.
        assert [line for line in _marked(out, "ORDER") if "registered before" not in line][:4] == [
            "ORDER the failing task runs",
            "ORDER second: its hook",
            "ORDER first: hook added by the decorator",
            "ORDER first: hook given to Task()",
        ], out
        # A rollback hook that raises is logged; the task's later hooks do not run.
        assert "ORDER the hook registered before the broken one" not in out, out
        assert re.search(r"ERROR   \| Task run 'staged-\w+' - An error was encountered while running rollback hook 'broken'$", out, re.M), out
    for prefix, rolled_back in (("first-", True), ("second-", True), ("staged-", False), ("eager-work", False)):
        records = _records(result.states, "task", prefix)
        assert len(records) == 2, (prefix, result.states)  # one per process
        assert all(("RolledBack" in _names(r)) is rolled_back for r in records), (prefix, records)


@_case(DEMO / "limits.py")
def test_concurrency_holds_the_limit_and_rate_limit_spaces_the_calls(backend: Backend, case: Case) -> None:
    result = backend.run(case.script)
    out = result.output
    queries = dict(_logged_at(out, r"\w+: querying the warehouse"))
    exports = _records(result.states, "task", "export_region-")
    assert len(queries) == len(exports) == 5, out
    spans = [(queries[r["name"]], queries[r["name"]] + 2.0) for r in exports]
    assert _most_at_once(spans) <= 2, spans  # never more than the limit's two slots
    assert max(end for _, end in spans) - min(start for start, _ in spans) >= 5.9, spans  # so at least three rounds
    for record in exports:  # waiting for a slot is no state of its own: the task is Running
        assert _names(record) == ["Pending", "Running", "Completed"], record
    assert not re.search(r"Task run 'export_region-\w+' - (?!\w+: querying the warehouse$|Finished in state Completed\(\)$)", out, re.M), out
    calls = sorted(at for _, at in _logged_at(out, r"asking the geocoder about \w+"))
    assert len(calls) == 4, out
    assert all(b - a >= 0.45 for a, b in zip(calls, calls[1:])), calls  # one slot, freed twice a second


@_case(DEMO / "tag_limits.py")
def test_a_tags_limit_makes_task_runs_wait_in_pending(backend: Backend, case: Case) -> None:
    result = backend.run(case.script)
    exports = _records(result.states, "task", "export_region-")
    assert len(exports) == 5, result.states
    for record in exports:
        assert _names(record) == ["Pending", "Running", "Completed"], record
    spans = [(r["timestamps"][1], r["timestamps"][2]) for r in exports]
    assert _most_at_once(spans) <= 2, spans
    waited = [r["timestamps"][1] - r["timestamps"][0] for r in exports]
    assert sum(wait >= 1.5 for wait in waited) >= 3, waited  # the later three waited in Pending for a slot


@_case(CLAIMS / "limit_rules.py")
def test_the_limit_rules_page_8_states(backend: Backend, case: Case) -> None:
    result = backend.run(case.script)
    assert _claims(result.output) == {
        "creating a limit twice": "ObjectAlreadyExists",
        "five holders of a limit of 2": "at most 2 at once, True for 3 s or more",
        "rate_limit at 2 a second": "4 calls, every gap 0.45 s or more: True",
        "a limit that does not exist": "the block ran",
        "strict=True on a missing limit": (
            "ConcurrencySlotAcquisitionError: Concurrency limits ['claims-p8-missing'] must be created before acquiring slots"
        ),
        "rate_limit without decay": "ConcurrencySlotAcquisitionError",
        "a timeout": "AcquireConcurrencySlotTimeoutError, a TimeoutError",
        "from prefect import concurrency": "module",
    }, result.output
    assert re.search(
        r"\| WARNING \| prefect\.concurrency - Concurrency limits \['claims-p8-missing'\] do not exist - skipping acquisition\.$",
        result.output,
        re.M,
    ), result.output


@_case(CLAIMS / "pause_rules.py")
def test_a_paused_run_waits_for_input_that_fits_its_model(backend: Backend, case: Case) -> None:
    result = backend.run(case.script)
    out = result.output
    assert _marked(out, "REFUSED", "RESUMED", "ANSWER", "TIMEOUT", "SUSPEND") == [
        "REFUSED Cannot resume this run: Reason: Validation failed. Failure reason: 'reviewer' is a required property",
        "REFUSED Cannot resume this run: Reason: Validation failed for field 'approve'. Failure reason: 'maybe' is not of type 'boolean'",
        "REFUSED Cannot resume this run: Reason: Validation failed. Failure reason: Additional properties are not allowed ('extra' was unexpected)",
        "RESUMED ['reviewer']",  # with_initial_data gave `approve` its default
        "ANSWER Approval approve=False reviewer='Ana' note=''",
        "TIMEOUT FAILED",
        "SUSPEND FAILED Flow run encountered an exception: RuntimeError: Flow run cannot be suspended: Cannot suspend flows without a deployment.",
    ], out
    assert re.search(r"Flow run '[\w-]+' - Pausing flow, execution will continue when this flow run is resumed\.$", out, re.M), out
    assert re.search(r"Flow run '[\w-]+' - Resuming flow run execution!$", out, re.M), out
    assert re.search(r"Encountered exception during execution: FlowPauseTimeout\('Flow run was paused and never resumed\.'\)$", out, re.M), out
    paused, timed_out = (r for r in result.states if r["kind"] == "flow" and "Paused" in _names(r))
    assert _names(paused) == ["Pending", "Running", "Paused", "Running", "Completed"]
    assert _names(timed_out)[:3] == ["Pending", "Running", "Paused"] and timed_out["states"][-1][1] == "FAILED"


@_case(DEMO / "export_config.py")
def test_the_nightly_export_reads_its_settings_from_the_server(backend: Backend, case: Case) -> None:
    out = backend.run(case.script).output
    assert re.findall(r" - exporting 1200 rows in (\d+) batches of (\d+)$", out, re.M) == [("12", "100"), ("3", "500")], out
    assert out.count(" - loaded Secret(value=Secret('**********'))\n") == 2, out
    assert "correct-horse" not in out


@_case(CLAIMS / "config_rules.py")
def test_the_variable_and_secret_rules_page_8_states(backend: Backend, case: Case) -> None:
    result = backend.run(case.script)
    assert _claims(result.output) == {
        "a missing variable, with a default": "100",
        "a missing variable": "None",
        "set again without overwrite": "ValueError: Variable 'claims_p8_batch_size' already exists. Use `overwrite=True` to update it.",
        "set again with overwrite=True": "600",
        "a name with a capital": (
            "ValidationError: Value error, Variable name must only contain lowercase letters, numbers, and dashes or "
            "underscores. [type=value_error, input_value='Batch_size', input_type=str]"
        ),
        "a Secret printed": "Secret(value=Secret('**********'))",
        "a Secret's value": "'correct-horse-battery-staple'",
        "save twice without overwrite": (
            "ValueError: You are attempting to save values with a name that is already in use for this block type. "
            "If you would like to overwrite the values that are saved, then save with `overwrite=True`."
        ),
        "a block name with an underscore": (
            "ValidationError: Value error, Block document name must only contain lowercase letters, numbers, and "
            "dashes. [type=value_error, input_value='claims_p8', input_type=str]"
        ),
        "a Secret holding '123'": "123",  # .get() decodes JSON
    }, result.output


# -- deployments and schedules: page 6 ---------------------------------------------------------------


def _page6_command() -> str:
    """Page 6's `prefect deployment run ...` (its first), without `prefect`, as the serving harness types it."""
    from tests.lesson.lesson_helpers import LESSON_DIR, SHELL_LANGS, read_page, shell_commands

    page = read_page(LESSON_DIR / "06-deployments-and-schedules.md")
    for fence in page.fences:
        if fence.lang in SHELL_LANGS:
            for command in shell_commands(fence):
                if command.startswith("prefect deployment run "):
                    return command.removeprefix("prefect ")
    raise AssertionError("page 6 shows no `prefect deployment run ...` command")


# The page's file for real Prefect, served; the page's command typed from a second terminal; then Ctrl-C
# (tests/harness/serving.py). Prefect's runner polls every second here (PREFECT_RUNNER_POLL_FREQUENCY).
SERVED_ENV = (
    ("CONFORMANCE_DEPLOYMENTS", "refresh-prices/every-morning"), ("CONFORMANCE_WHILE_SERVING", _page6_command()),
    ("CONFORMANCE_SERVED_RUNS", "1"), ("PREFECT_RUNNER_POLL_FREQUENCY", "1"),
)  # fmt: skip


@_case(DEMO / "real" / "refresh_prices.py", env=SERVED_ENV)
def test_the_served_deployment_runs_what_the_pages_command_asks_for(backend: Backend, case: Case) -> None:
    result = backend.run(case.script)
    out = result.output
    assert "Your flow 'refresh-prices' is being served and polling for scheduled runs!" in out, out
    assert "$ prefect deployment run 'refresh-prices/every-morning'" in out, out
    # The command's parameters over the deployment's: the run refreshes the web's prices in US dollars.
    assert re.search(r"Flow run '[\w-]+' - Refreshing web prices in USD, as scheduled for \d\d:\d\d in New York$", out, re.M), out
    assert re.search(r"Flow run '[\w-]+' - Finished in state Completed\(\)$", out, re.M), out
    assert re.search(r"prefect\.runner - Pausing all deployments\.\.\.\n.*All deployments have been paused!\n.*Received KeyboardInterrupt, shutting down\.\.\.$", out, re.M), out
    flows = [r for r in result.states if r["kind"] == "flow"]
    assert [_names(r) for r in flows] == [["Scheduled", "Pending", "Submitting", "Running", "Completed"]], result.states


@_case(CLAIMS / "schedule_rules.py")
def test_the_schedule_and_late_run_rules_page_6_states(backend: Backend, case: Case) -> None:
    result = backend.run(case.script)
    assert _claims(result.output) == {
        "a cron in Europe/Berlin": "True runs ahead, at ['09:00'] Berlin time, weekdays True, UTC hour 9 minus the offset True",
        "its runs' parameters": "{'region': 'north'}",  # the deployment's default parameters
        "a cron with no time zone": "at ['09:00'] UTC",
        "run_deployment(timeout=0)": "FlowRun Scheduled, parameters {'region': 'north', 'top': 5}",  # merged
        "a run 60 s past its time, nothing serving it": "Late SCHEDULED",
        "a run an hour ahead": "Scheduled",
    }, result.output
