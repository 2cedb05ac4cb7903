"""Clocks: virtual time, fast-forward, and what a retry delay costs under each."""

from __future__ import annotations

import time

import sim_prefect
from sim_prefect import flow, task
from sim_prefect.clock import DETERMINISTIC_START, FastForwardClock, SystemClock, VirtualClock
from sim_prefect.run_events import StateChanged


def test_virtual_clock_starts_at_nine_on_new_years_day_local_time() -> None:
    clock = VirtualClock()
    assert time.localtime(clock.now())[:6] == (2026, 1, 1, 9, 0, 0)
    assert clock.now() == DETERMINISTIC_START


def test_virtual_clock_moves_only_when_told_and_exactly() -> None:
    clock = VirtualClock(start=1000.0)
    clock.sleep(0.1)
    clock.sleep(0.2)
    clock.charge(0.001)
    assert clock.now() == 1000.301  # integer microseconds: no float drift
    clock.sleep(-5)
    assert clock.now() == 1000.301


def test_fast_forward_clock_skips_waits_but_counts_them() -> None:
    clock = FastForwardClock()
    before_real = time.time()
    clock.sleep(3600)
    assert time.time() - before_real < 1.0
    assert clock.now() - time.time() >= 3599.9


def test_system_clock_really_waits() -> None:
    clock = SystemClock()
    started = time.perf_counter()
    clock.sleep(0.05)
    assert time.perf_counter() - started >= 0.045


def _ten_second_retry_run() -> tuple[float, list]:
    calls = {"n": 0}

    @task(retries=1, retry_delay_seconds=10)
    def flaky() -> str:
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionError("first call fails")
        return "ok"

    @flow
    def pipeline() -> str:
        return flaky()

    started = time.perf_counter()
    assert pipeline() == "ok"
    return time.perf_counter() - started, sim_prefect.state_log()


def test_ten_second_retry_finishes_at_once_in_fast_mode_while_timestamps_show_ten_seconds() -> None:
    sim_prefect.configure("fast", terminal=False)
    wall, runs = _ten_second_retry_run()
    task_run = next(r for r in runs if r.kind == "task")
    awaiting = next(s for s in task_run.states if s.name == "AwaitingRetry")
    retrying = next(s for s in task_run.states if s.name == "Retrying")
    assert wall < 2.0
    assert awaiting.scheduled_time is not None and retrying.timestamp >= awaiting.scheduled_time
    assert 9.5 < (retrying.timestamp - awaiting.timestamp).total_seconds() < 10.5


def test_ten_second_retry_waits_ten_virtual_seconds_and_no_real_time(sim) -> None:
    wall, runs = _ten_second_retry_run()
    task_run = next(r for r in runs if r.kind == "task")
    awaiting = next(s for s in task_run.states if s.name == "AwaitingRetry")
    retrying = next(s for s in task_run.states if s.name == "Retrying")
    assert wall < 2.0
    assert awaiting.scheduled_time is not None
    # Retrying starts when the retry is due, as Prefect's engine waits until scheduled_time.
    assert 0 <= (retrying.timestamp - awaiting.scheduled_time).total_seconds() < 0.01
    retry_line = next(e for e in sim.logs if "Retry 1/1 will start 10 second(s) from now" in e.message)
    finished = next(e for e in sim.logs if e.message == "Finished in state Completed()")
    assert 10.0 <= finished.timestamp - retry_line.timestamp < 10.01


def test_configure_rejects_an_unknown_mode() -> None:
    try:
        sim_prefect.configure("warp")  # type: ignore[arg-type]
    except ValueError as exc:
        assert "real, fast, deterministic" in str(exc)
    else:
        raise AssertionError("configure accepted an unknown mode")


def test_asyncio_run_before_any_session_sleeps_on_the_clock(tmp_path) -> None:
    """`asyncio.run(flow())` as a script's first line: the loop is made before a session exists.

    The sleep must be skipped in real time yet show in the timestamps, as a retry delay does.
    """
    import subprocess
    import sys
    from pathlib import Path

    script = tmp_path / "first.py"
    script.write_text(
        "import asyncio\n"
        "from time import perf_counter  # real time: taken before sim_prefect puts the learner's time in\n"
        "from sim_prefect import flow\n"
        "from sim_prefect.session import session\n"
        "@flow\n"
        "async def napper():\n"
        "    before = session().clock.now()\n"
        "    started = perf_counter()\n"
        "    await asyncio.sleep(30)\n"
        "    print(round(session().clock.now() - before, 3), perf_counter() - started < 5)\n"
        "asyncio.run(napper())\n"
    )
    repo = Path(__file__).resolve().parents[2]
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(repo), "SIM_PREFECT_MODE": "deterministic"}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=60)
    assert done.stdout.strip() == "30.0 True", done.stderr


def test_an_asyncio_program_beside_a_real_mode_session_keeps_asyncio_s_own_loop() -> None:
    """Subprocesses (Playwright's driver, for one) need the policy that was there before sim_prefect's."""
    import asyncio

    sim_prefect.configure("real", terminal=False)

    async def child() -> int:
        proc = await asyncio.create_subprocess_exec("true")
        return await proc.wait()

    assert asyncio.run(child()) == 0


def test_on_a_coarse_clock_every_state_comes_after_the_states_before_it_in_any_run(monkeypatch) -> None:
    """The browser's clock ticks in a tenth of a millisecond at best: many states share a reading.

    A subflow's tracking task run must still start before the subflow's first task run (the run
    view draws it so), and every state stays later than the ones before it, as they happened.
    """
    import sim_prefect.clock as clock_module

    monkeypatch.setattr(clock_module, "_real_time", lambda: 1_000_000.0)  # a clock that never ticks
    sim_prefect.configure("fast", terminal=False)
    emitted: list[StateChanged] = []
    sim_prefect.subscribe(lambda e: emitted.append(e) if isinstance(e, StateChanged) else None)

    @task
    def twice(word: str) -> str:
        return word * 2

    @flow(name="child-flow")
    def child(word: str) -> str:
        return twice(word)

    @flow(name="parent-flow")
    def parent() -> str:
        return child("b")

    assert parent() == "bb"
    stamps = [e.state.timestamp for e in emitted]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps), stamps
    tracker = next(r for r in sim_prefect.state_log() if r.kind == "task" and r.name.startswith("child-flow"))
    inner = next(r for r in sim_prefect.state_log() if r.name.startswith("twice"))
    assert tracker.start_time is not None and inner.start_time is not None
    assert tracker.start_time < inner.start_time
