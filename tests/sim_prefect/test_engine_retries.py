"""Retries: attempts, delays, AwaitingRetry vs Retrying, conditions, and the log lines."""

from __future__ import annotations

import pytest

import sim_prefect
from sim_prefect.store import select_runs
from sim_prefect import flow, task
from sim_prefect.retries import clamped_poisson_interval, retry_delay
from sim_prefect.states import Failed
from sim_prefect.tasks import exponential_backoff


def _names(run) -> list[str]:
    return [s.name for s in run.states]


def test_three_retries_means_four_attempts(sim) -> None:
    attempts = []

    @task(retries=3)
    def always_fails() -> None:
        attempts.append(1)
        raise ValueError("nope")

    @flow
    def f() -> None:
        always_fails(return_state=True)

    f()
    (run,) = select_runs(sim_prefect.state_log(), "task")
    assert len(attempts) == 4
    assert _names(run) == ["Pending", "Running", "Retrying", "Retrying", "Retrying", "Failed"]
    assert run.run_count == 4


def test_awaiting_retry_only_when_there_is_a_delay(sim) -> None:
    calls = {"delayed": 0, "immediate": 0}

    @task(retries=1, retry_delay_seconds=1)
    def delayed() -> str:
        calls["delayed"] += 1
        if calls["delayed"] == 1:
            raise ConnectionError("x")
        return "ok"

    @task(retries=1)
    def immediate() -> str:
        calls["immediate"] += 1
        if calls["immediate"] == 1:
            raise ConnectionError("x")
        return "ok"

    @flow
    def f() -> None:
        delayed()
        immediate()

    f()
    first, second = select_runs(sim_prefect.state_log(), "task")
    assert _names(first) == ["Pending", "Running", "AwaitingRetry", "Retrying", "Completed"]
    assert _names(second) == ["Pending", "Running", "Retrying", "Completed"]


def test_retry_delay_list_repeats_last_value(sim) -> None:
    @task(retries=4, retry_delay_seconds=[1, 2])
    def flaky() -> None:
        raise ConnectionError("down")

    @flow
    def f() -> None:
        flaky(return_state=True)

    f()
    retry_lines = [m for m in sim.messages() if "will start" in m]
    assert [m.rsplit(" will start ", 1)[1] for m in retry_lines] == [
        "1 second(s) from now",
        "2 second(s) from now",
        "2 second(s) from now",
        "2 second(s) from now",
    ]


def test_exponential_backoff_doubles_from_the_factor() -> None:
    assert exponential_backoff(backoff_factor=0.5)(3) == [0.5, 1.0, 2.0]
    assert len(exponential_backoff(1)(80)) == 50  # Prefect caps the list at 50

    @task(retries=3, retry_delay_seconds=exponential_backoff(backoff_factor=2))
    def t() -> None: ...

    assert t.retry_delay_seconds == [2, 4, 8]


def test_jitter_stays_within_the_clamp_and_is_seeded(sim) -> None:
    import random

    draws = [clamped_poisson_interval(10, 0.5, random.Random(i)) for i in range(200)]
    assert all(0 <= d <= 15 for d in draws)
    assert len(set(draws)) > 150
    assert clamped_poisson_interval(10, 0.5, random.Random(7)) == clamped_poisson_interval(10, 0.5, random.Random(7))


def test_zero_delay_from_a_list_still_schedules_awaiting_retry_but_says_immediately(sim) -> None:
    class FakeTask:
        retry_delay_seconds = [0, 5]
        retry_jitter_factor = None

    assert retry_delay(FakeTask, 0, __import__("random").Random(0)) == 0
    calls = {"n": 0}

    @task(retries=1, retry_delay_seconds=[0])
    def t() -> str:
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionError("x")
        return "ok"

    @flow
    def f() -> None:
        t()

    f()
    (run,) = select_runs(sim_prefect.state_log(), "task")
    assert _names(run) == ["Pending", "Running", "AwaitingRetry", "Retrying", "Completed"]
    assert any(m.endswith("Retry 1/1 will start immediately") for m in sim.messages())


def test_retry_and_exhaustion_messages_are_prefects(sim) -> None:
    @task(retries=1)
    def boom() -> None:
        raise ValueError("bad")

    @flow
    def f() -> None:
        boom(return_state=True)

    f()
    lines = sim.lines()
    assert "INFO    | Task run 'boom-" in lines[1]
    assert lines[1].endswith("Task run failed with exception: ValueError('bad') - Retry 1/1 will start immediately")
    assert lines[2].startswith("ERROR   | Task run 'boom-")
    assert "Task run failed with exception: ValueError('bad') - Retries are exhausted\nTraceback" in lines[2]
    assert lines[3].endswith("Finished in state Failed('Task run encountered an exception ValueError: bad')")


def test_retry_condition_fn_refusing_logs_no_failure_line(sim) -> None:
    seen = []

    def only_connection_errors(task, task_run, state) -> bool:
        seen.append(state.message)
        return isinstance(state.result(raise_on_failure=False), ConnectionError)

    @task(retries=3, retry_condition_fn=only_connection_errors)
    def permanent() -> None:
        raise ValueError("permanent")

    @flow
    def f() -> None:
        permanent(return_state=True)

    f()
    assert seen == ["Task run encountered unexpected exception: ValueError('permanent')"]
    assert not any("Task run failed with" in m for m in sim.messages())
    assert sim.messages()[-2].startswith("Finished in state Failed(")


def test_a_condition_that_raises_is_logged_and_means_no_retry(sim) -> None:
    def broken(task, task_run, state) -> bool:
        raise RuntimeError("condition bug")

    @task(retries=2, retry_condition_fn=broken)
    def t() -> None:
        raise ValueError("x")

    @flow
    def f() -> None:
        t(return_state=True)

    f()
    errors = [e for e in sim.logs if "An error was encountered while running `retry_condition_fn`" in e.message]
    assert len(errors) == 1 and errors[0].traceback and "RuntimeError: condition bug" in errors[0].traceback
    assert [s.name for s in select_runs(sim_prefect.state_log(), "task")[0].states][-1] == "Failed"


def test_task_returning_failed_state_is_retried_and_logged_as_state(sim) -> None:
    @task(retries=1)
    def gives_up() -> object:
        return Failed(message="nope")

    @flow
    def f():
        return gives_up()

    state = f(return_state=True)
    messages = sim.messages()
    assert any(m.startswith("Task run failed with state: Failed(message='nope'") for m in messages)
    exhausted = next(e for e in sim.logs if e.message.endswith("Retries are exhausted"))
    assert exhausted.traceback == "NoneType: None"  # Prefect logs exc_info with no exception
    assert state.is_failed() and state.message == "1/1 states failed."


def test_flow_retries_go_through_awaiting_retry_and_running(sim) -> None:
    calls = {"n": 0}

    @flow(retries=1)
    def f() -> str:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("first attempt")
        return "ok"

    assert f() == "ok"
    (run,) = sim_prefect.state_log()
    assert _names(run) == ["Pending", "Running", "AwaitingRetry", "Running", "Completed"]
    assert run.states[2].message == "Flow run encountered an exception: RuntimeError: first attempt"
    assert (
        "Received non-final state 'AwaitingRetry' when proposing final state 'Failed' and will attempt to run again..."
        in sim.messages()
    )
    assert sum(m.startswith("Beginning flow run") for m in sim.messages()) == 2


@pytest.mark.parametrize(("delay", "expected"), [(0, "immediately"), (2.5, "2.5 second(s) from now")])
def test_retry_message_prints_the_delay_as_python_does(sim, delay, expected) -> None:
    @task(retries=1, retry_delay_seconds=delay)
    def t() -> None:
        raise ValueError("x")

    @flow
    def f() -> None:
        t(return_state=True)

    f()
    assert any(m.endswith(f"Retry 1/1 will start {expected}") for m in sim.messages())
