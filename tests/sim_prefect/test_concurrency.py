"""Submitted and mapped runs: concurrent on the clock, one at a time in the code."""

from __future__ import annotations

import pytest

import sim_prefect
from sim_prefect.store import select_runs
from sim_prefect import flow, task
from sim_prefect.clock import VirtualClock
from sim_prefect.futures import PrefectConcurrentFuture, PrefectFutureList, wait
from sim_prefect.scheduler import Deadlock, Job, Scheduler, Sleep, WaitFor


def test_scheduler_overlaps_waits_but_runs_steps_one_at_a_time() -> None:
    clock = VirtualClock(start=0)
    scheduler = Scheduler(clock)
    trace: list[tuple[str, float]] = []

    def sleeper(label: str, seconds: float):
        trace.append((f"{label} start", clock.now()))
        yield Sleep(seconds)
        trace.append((f"{label} end", clock.now()))

    jobs = [Job(sleeper("a", 10)), Job(sleeper("b", 10))]
    for job in jobs:
        scheduler.spawn(job)
    scheduler.run_until(lambda: all(j.finished for j in jobs))
    assert trace == [("a start", 0), ("b start", 0), ("a end", 10), ("b end", 10)]
    assert clock.now() == 10  # two 10 s waits overlapped


def test_scheduler_wakes_a_waiter_when_what_it_waits_for_is_done() -> None:
    clock = VirtualClock(start=0)
    scheduler = Scheduler(clock)
    order: list[str] = []

    def first():
        yield Sleep(3)
        order.append("first")

    job1 = Job(first())

    class Done:
        def done(self) -> bool:
            return job1.finished

    def second():
        yield WaitFor((Done(),))
        order.append("second")

    job2 = Job(second())
    scheduler.spawn(job2)
    scheduler.spawn(job1)
    scheduler.run_until(lambda: job2.finished)
    assert order == ["first", "second"] and clock.now() == 3


def test_scheduler_reports_a_deadlock_instead_of_hanging() -> None:
    scheduler = Scheduler(VirtualClock(start=0))

    class Never:
        def done(self) -> bool:
            return False

    def stuck():
        yield WaitFor((Never(),))

    scheduler.spawn(Job(stuck()))
    with pytest.raises(Deadlock):
        scheduler.run_until(lambda: False)


def test_submitted_tasks_overlap_in_their_state_histories(sim) -> None:
    calls: dict[str, int] = {}

    @task(retries=1, retry_delay_seconds=10)
    def flaky(label: str) -> str:
        calls[label] = calls.get(label, 0) + 1
        if calls[label] == 1:
            raise ConnectionError(label)
        return label

    @flow
    def f() -> list[str]:
        futures = [flaky.submit("a"), flaky.submit("b")]
        return [fut.result() for fut in futures]

    assert f() == ["a", "b"]
    a, b = select_runs(sim_prefect.state_log(), "task")
    assert a.states[0].timestamp < b.states[-1].timestamp and b.states[0].timestamp < a.states[-1].timestamp
    flow_run = sim_prefect.state_log()[0]
    took = (flow_run.states[-1].timestamp - flow_run.states[0].timestamp).total_seconds()
    assert 10 <= took < 11  # two 10 s retry delays, overlapped


def test_submit_returns_a_future_whose_state_is_pending_until_the_flow_waits(sim) -> None:
    seen = []

    @task
    def double(x: int) -> int:
        return 2 * x

    @flow
    def f() -> int:
        future = double.submit(21)
        seen.append((type(future), future.state.name))
        value = future.result()
        seen.append(future.state.name)
        return value

    assert f() == 42
    assert seen == [(PrefectConcurrentFuture, "Pending"), "Completed"]
    assert repr(PrefectConcurrentFuture.__new__(PrefectConcurrentFuture)).startswith(
        "<prefect.futures.PrefectConcurrentFuture object at 0x"
    )


def test_futures_as_arguments_and_wait_for_order_the_runs(sim) -> None:
    order: list[str] = []

    @task
    def step(label: str, *inputs: str) -> str:
        order.append(label)
        return label

    @flow
    def f() -> str:
        a = step.submit("a")
        b = step.submit("b", a)  # waits for a: a future as an argument
        c = step.submit("c", wait_for=[b])  # waits for b without its value
        return c.result()

    assert f() == "c"
    assert order == ["a", "b", "c"]


def test_failed_upstream_leaves_the_downstream_not_ready(sim) -> None:
    @task
    def bad() -> int:
        raise ValueError("upstream broke")

    @task
    def downstream(x: int) -> int:
        return x

    @flow
    def f() -> str:
        fut = downstream.submit(bad.submit())
        fut.wait()
        return fut.state.name

    assert f() == "NotReady"
    finished = [m for m in sim.messages() if m.startswith("Finished in state NotReady(")]
    assert finished and "did not reach a 'COMPLETED' state." in finished[0] and "type=PENDING" in finished[0]


def test_map_returns_futures_in_input_order_and_wait_reports_all_done(sim) -> None:
    @task
    def square(x: int) -> int:
        return x * x

    @flow
    def f() -> tuple[list[int], int, int]:
        futures = square.map([1, 2, 3, 4])
        assert isinstance(futures, PrefectFutureList)
        done = wait(futures)
        return futures.result(), len(done.done), len(done.not_done)

    assert f() == ([1, 4, 9, 16], 4, 0)


def test_unawaited_futures_finish_before_the_flow_does(sim) -> None:
    @task
    def forgotten() -> str:
        return "done anyway"

    @flow
    def f() -> str:
        forgotten.submit()
        return "returned"

    assert f() == "returned"
    messages = sim.messages()
    task_end = messages.index("Finished in state Completed()")
    assert messages[-1] == "Finished in state Completed()" and task_end < len(messages) - 1
    (run,) = select_runs(sim_prefect.state_log(), "task")
    assert run.states[-1].name == "Completed"


def test_submit_outside_a_flow_fails_like_prefect() -> None:
    @task
    def t() -> None: ...

    with pytest.raises(RuntimeError, match="Unable to determine task runner to use for submission"):
        t.submit()


def test_submitted_task_with_a_timeout_logs_prefects_worker_thread_warning(sim) -> None:
    @task(timeout_seconds=5)
    def quick() -> str:
        return "fine"

    @flow
    def f() -> str:
        return quick.submit().result() + quick()

    assert f() == "finefine"
    warnings = [e for e in sim.logs if e.level == "WARNING"]
    assert len(warnings) == 1  # the direct call runs "in the main thread": no warning
    assert warnings[0].message.startswith(
        "Timeout of 5.0 seconds configured for this task, but the task is running in a worker thread."
    )
