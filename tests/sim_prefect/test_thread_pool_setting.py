"""ThreadPoolTaskRunner() without max_workers reads PREFECT_TASKS_RUNNER_THREAD_POOL_MAX_WORKERS, as Prefect's does."""

from __future__ import annotations

import sys

import pytest

import sim_prefect
from sim_prefect import flow, task
from sim_prefect.task_runners import ThreadPoolTaskRunner


@pytest.fixture
def setting(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    def set_to(value: str | None) -> None:
        if value is None:
            monkeypatch.delenv("PREFECT_TASKS_RUNNER_THREAD_POOL_MAX_WORKERS", raising=False)
        else:
            monkeypatch.setenv("PREFECT_TASKS_RUNNER_THREAD_POOL_MAX_WORKERS", value)
        sim_prefect.configure("deterministic", terminal=False)  # a new session reads its settings afresh

    yield set_to
    monkeypatch.delenv("PREFECT_TASKS_RUNNER_THREAD_POOL_MAX_WORKERS", raising=False)
    sim_prefect.configure("deterministic", terminal=False)


@pytest.mark.parametrize(("value", "expected"), [(None, sys.maxsize), ("", sys.maxsize), ("0", sys.maxsize), ("3", 3)])
def test_the_setting_is_the_default_of_max_workers(setting, value: str | None, expected: int) -> None:  # type: ignore[no-untyped-def]
    setting(value)
    assert ThreadPoolTaskRunner()._max_workers == expected
    assert ThreadPoolTaskRunner(max_workers=5)._max_workers == 5  # an explicit value wins


def test_a_bad_value_fails_naming_the_setting(setting) -> None:  # type: ignore[no-untyped-def]
    setting("many")
    with pytest.raises(ValueError, match="PREFECT_TASKS_RUNNER_THREAD_POOL_MAX_WORKERS must be a whole number"):
        ThreadPoolTaskRunner()


def test_the_default_task_runner_of_a_flow_keeps_to_it(setting) -> None:  # type: ignore[no-untyped-def]
    """Four submitted runs that each wait a second, two at a time: two seconds."""
    setting("2")

    @task
    def wait_a_second(n: int) -> None:
        import time

        time.sleep(1)

    @flow
    def four() -> float:
        started = sim_prefect.session().clock.now()
        wait_a_second.map(range(4)).wait()
        return sim_prefect.session().clock.now() - started

    assert 1.9 < four() < 2.5
