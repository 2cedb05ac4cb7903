"""How runs end: completed, failed, crashed, cancelled, timed out; and what the caller gets."""

from __future__ import annotations

import time

import pytest

import sim_prefect
from sim_prefect.clock import SystemClock
from sim_prefect.store import select_runs
from sim_prefect import flow, task
from sim_prefect.exceptions import CancelledRun
from sim_prefect.flow_engine import FlowRunTimeoutError
from sim_prefect.task_engine import TaskRunTimeoutError
from sim_prefect.states import Cancelled
from sim_prefect.timeouts import Timeout, alarms_available


class Boom(BaseException):
    """Not an Exception: a crash."""


def _names(run) -> list[str]:
    return [s.name for s in run.states]


def test_flow_raising_reraises_the_original_exception(sim) -> None:
    error = ValueError("original")

    @flow
    def f() -> None:
        raise error

    with pytest.raises(ValueError) as caught:
        f()
    assert caught.value is error
    assert sim.messages()[-1] == "Finished in state Failed('Flow run encountered an exception: ValueError: original')"
    assert sim.logs[-2].level == "ERROR" and sim.logs[-1].level == "INFO"  # a flow's end is always INFO


def test_flow_with_return_state_returns_failed_instead_of_raising(sim) -> None:
    @flow
    def f() -> None:
        raise RuntimeError("flow body blew up")

    state = f(return_state=True)
    assert state.is_failed() and state.name == "Failed"
    assert state.message == "Flow run encountered an exception: RuntimeError: flow body blew up"
    assert isinstance(state.result(raise_on_failure=False), RuntimeError)


def test_task_failure_inside_flow_fails_the_flow_unless_return_state(sim) -> None:
    @task
    def bad() -> None:
        raise ValueError("bad value")

    @flow
    def tolerant() -> str:
        state = bad(return_state=True)
        assert state.is_failed()
        return "went on"

    assert tolerant() == "went on"
    finished = [m for m in sim.messages() if m.startswith("Finished in state")]
    assert finished == [
        "Finished in state Failed('Task run encountered an exception ValueError: bad value')",
        "Finished in state Completed()",
    ]


def test_base_exception_crashes_task_and_flow_and_propagates_even_with_return_state(sim) -> None:
    @task
    def crashing() -> None:
        raise Boom("simulated interrupt")

    @flow
    def f() -> None:
        crashing()

    with pytest.raises(Boom):
        f(return_state=True)
    task_run, = select_runs(sim_prefect.state_log(), "task")
    flow_run, = select_runs(sim_prefect.state_log(), "flow")
    assert _names(task_run)[-1] == _names(flow_run)[-1] == "Crashed"
    crash = "Crash detected! Execution was interrupted by an unexpected exception: Boom: simulated interrupt"
    assert sim.messages().count(crash) == 2
    assert not any(e.traceback for e in sim.logs)  # Prefect prints no traceback for a crash


def test_task_returning_cancelled_is_cancelled_and_flow_returning_it_raises_cancelled_run(sim) -> None:
    @task
    def cancels_itself() -> object:
        return Cancelled(message="task decided to cancel")

    @flow
    def f():
        state = cancels_itself(return_state=True)
        assert state.is_cancelled()
        return Cancelled(message="flow decided to cancel")

    with pytest.raises(CancelledRun, match="flow decided to cancel"):
        f()
    task_line = next(e for e in sim.logs if e.message.startswith("Finished in state Cancelled('task"))
    assert task_line.level == "ERROR"  # a task's non-Completed end is ERROR
    assert sim.logs[-1].level == "INFO" and sim.logs[-1].message == "Finished in state Cancelled('flow decided to cancel')"


def test_flow_returning_a_list_of_completed_states_is_completed_with_prefects_message(sim) -> None:
    @task
    def ok() -> int:
        return 1

    @flow
    def f():
        return [ok(return_state=True), ok(return_state=True)]

    state = f(return_state=True)
    assert state.is_completed() and state.message == "All states completed."


@pytest.mark.skipif(not alarms_available(), reason="needs an alarm signal (CPython, main thread)")
def test_task_timeout_interrupts_the_task_and_ends_timed_out(sim) -> None:
    @task(timeout_seconds=0.2)
    def sleepy() -> None:
        time.sleep(5)

    seen = []

    @flow
    def f() -> None:
        seen.append(sleepy(return_state=True))

    started = time.perf_counter()
    f()
    (state,) = seen
    assert time.perf_counter() - started < 2  # interrupted, not slept through
    assert state.name == "TimedOut" and state.type.value == "FAILED"
    assert str(state) == "TimedOut('Task run exceeded timeout of 0.2 second(s)', type=FAILED)"
    failure = next(e for e in sim.logs if e.message.startswith("Task run failed with exception: TaskRunTimeoutError"))
    assert failure.traceback is not None
    assert "prefect._internal.concurrency.cancellation.CancelledError" in failure.traceback
    assert "During handling of the above exception" in failure.traceback
    assert failure.traceback.endswith("prefect.task_engine.TaskRunTimeoutError: Scope timed out after 0.2 second(s).")


def test_timeout_without_alarm_is_detected_when_the_call_returns(sim, monkeypatch) -> None:
    monkeypatch.setattr("sim_prefect.timeouts.alarms_available", lambda: False)

    @flow(timeout_seconds=0.05)
    def slow() -> None:
        time.sleep(0.1)

    with pytest.raises(FlowRunTimeoutError, match=r"Scope timed out after 0\.05 second\(s\)\."):
        slow()
    assert "Flow run exceeded timeout of 0.05 second(s)" in sim.messages()
    assert sim.messages()[-1] == "Finished in state TimedOut('Flow run exceeded timeout of 0.05 second(s)', type=FAILED)"


def _took(run) -> float:
    return (run.states[-1].timestamp - run.states[1].timestamp).total_seconds()  # Running -> final


def test_a_direct_call_s_timeout_interrupts_its_sleep_at_the_deadline(sim) -> None:
    """Prefect's main thread: the alarm signal stops time.sleep(3) after 1 s."""

    @task(timeout_seconds=1)
    def sleepy() -> None:
        time.sleep(3)

    @flow
    def f() -> None:
        sleepy(return_state=True)

    f()
    (run,) = select_runs(sim_prefect.state_log(), "task")
    assert run.state_names[-1] == "TimedOut" and abs(_took(run) - 1.0) < 0.01
    assert not any("worker thread" in m for m in sim.messages())


def test_a_submitted_run_s_timeout_waits_for_its_sleep_to_end(sim) -> None:
    """Prefect's worker thread: a blocking call runs to its end, then the run is TimedOut, with a warning."""

    @task(timeout_seconds=1)
    def sleepy() -> None:
        time.sleep(3)

    @flow
    def f() -> None:
        sleepy.submit().wait()

    f()
    (run,) = select_runs(sim_prefect.state_log(), "task")
    assert run.state_names[-1] == "TimedOut" and abs(_took(run) - 3.0) < 0.01
    assert any("Timeouts in worker threads cannot interrupt blocking operations" in m for m in sim.messages())


def test_a_submitted_run_s_busy_loop_stops_at_the_deadline(sim) -> None:
    """In a worker thread Prefect raises at the next bytecode: a busy Python loop stops at 1 s."""

    @task(timeout_seconds=1)
    def busy() -> None:
        while True:
            pass

    @flow
    def f() -> None:
        busy.submit().wait()

    f()
    (run,) = select_runs(sim_prefect.state_log(), "task")
    assert run.state_names[-1] == "TimedOut" and 1.0 <= _took(run) < 1.01


def test_timeout_restores_an_outer_alarm(sim) -> None:
    if not alarms_available():
        pytest.skip("needs an alarm signal")
    import signal

    clock = SystemClock()  # the alarm serves real time on the main thread
    with pytest.raises(FlowRunTimeoutError):
        with Timeout(0.3, FlowRunTimeoutError, clock):
            with Timeout(5, TaskRunTimeoutError, clock):
                pass
            remaining, _ = signal.getitimer(signal.ITIMER_REAL)
            assert 0 < remaining <= 0.3
            time.sleep(2)
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_subflow_logs_beginning_subflow_run_and_gets_a_tracking_task_run(sim) -> None:
    @flow
    def child(x: int) -> int:
        return x * 2

    @flow
    def parent() -> int:
        return child(1) + child(2)

    assert parent() == 6
    assert sum(m.startswith("Beginning subflow run") for m in sim.messages()) == 2
    runs = sim_prefect.state_log()
    trackers = [r for r in runs if r.tracks == "subflow"]
    assert [t.name for t in trackers] == ["child-0", "child-1"]
    assert _names(trackers[0]) == ["Pending", "Pending", "Running", "Completed"]
    parent_run = runs[0]
    assert all(t.flow_run_id == parent_run.run_id for t in trackers)


def test_unknown_option_fails_like_prefect() -> None:
    with pytest.raises(TypeError, match=r"^task\(\) got an unexpected keyword argument 'retriez'$"):
        task(retriez=2)
    with pytest.raises(TypeError, match=r"FlowDecorator.__call__\(\) got an unexpected keyword argument"):
        flow(retriez=2)


def test_get_run_logger_outside_a_run_raises_missing_context_error() -> None:
    with pytest.raises(sim_prefect.MissingContextError, match="There is no active flow or task run context."):
        sim_prefect.get_run_logger()


def test_direct_calls_are_sequential_on_the_clock(sim) -> None:
    @task(retries=1, retry_delay_seconds=5)
    def flaky(tag: str) -> str:
        if not flaky_calls.setdefault(tag, 0):
            flaky_calls[tag] = 1
            raise ConnectionError(tag)
        return tag

    flaky_calls: dict[str, int] = {}

    @flow
    def f() -> None:
        flaky("a")
        flaky("b")

    f()
    a, b = select_runs(sim_prefect.state_log(), "task")
    assert b.states[0].timestamp > a.states[-1].timestamp  # b starts after a ended
    assert (b.states[-1].timestamp - a.states[0].timestamp).total_seconds() >= 10


@pytest.mark.skipif(not alarms_available(), reason="needs an alarm signal (CPython, main thread)")
def test_flow_timeout_shorter_than_its_tasks_timeout_ends_the_flow_on_time(sim) -> None:
    @task(timeout_seconds=5)
    def slow() -> None:
        time.sleep(3)

    @flow(timeout_seconds=0.3)
    def f() -> None:
        slow()

    started = time.perf_counter()
    state = f(return_state=True)
    assert time.perf_counter() - started < 2  # the flow's 0.3 s, not the task's sleep
    assert str(state) == "TimedOut('Flow run exceeded timeout of 0.3 second(s)', type=FAILED)"


def test_flow_retry_that_succeeds_does_not_raise_the_first_attempts_error(sim) -> None:
    attempts = {"n": 0}

    @task
    def t() -> int:
        return 5

    @flow(retries=1)
    def f():  # type: ignore[no-untyped-def]
        attempts["n"] += 1
        if attempts["n"] == 1:
            raise ValueError("first attempt")
        return t.submit()

    f()  # must not raise ValueError('first attempt')
    flow_run = select_runs(sim_prefect.state_log(), "flow")[0]
    assert flow_run.state_names == ["Pending", "Running", "AwaitingRetry", "Running", "Completed"]
