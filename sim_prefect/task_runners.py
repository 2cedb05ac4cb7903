"""Task runners (``prefect.task_runners``): what runs the tasks a flow submits.

Prefect's default, `ThreadPoolTaskRunner`, runs each submitted task in a
thread of a pool. Here the scheduler stands in for the pool (see
scheduler.py): submitted runs take turns on one thread. Its ``max_workers``
is kept all the same: at most that many submitted runs of one flow run are
under way at once, and the others wait for one to finish, as they wait for a
free thread in Prefect. The other task runners (processes, background task
workers) are not imitated and say so.
"""

from __future__ import annotations

import sys
from typing import Any

from . import prefect_settings
from .exceptions import not_imitated


class ThreadPoolTaskRunner:
    """The default task runner: submitted tasks run side by side, at most `max_workers` at a time."""

    def __init__(self, max_workers: int | None = None) -> None:
        # As Prefect's: None reads PREFECT_TASKS_RUNNER_THREAD_POOL_MAX_WORKERS, and unset (or 0) is no limit.
        self._max_workers = (prefect_settings.thread_pool_max_workers() or sys.maxsize) if max_workers is None else max_workers

    def duplicate(self) -> ThreadPoolTaskRunner:
        return type(self)(max_workers=self._max_workers)


class ProcessPoolTaskRunner:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise not_imitated("ProcessPoolTaskRunner", "tasks in separate processes")


class PrefectTaskRunner:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise not_imitated("PrefectTaskRunner", "tasks run by background task workers")


def resolve(task_runner: Any) -> ThreadPoolTaskRunner:
    """A flow's `task_runner` option as Prefect reads it: None is the default; a class is instantiated."""
    if task_runner is None:
        return ThreadPoolTaskRunner()
    if isinstance(task_runner, type):
        task_runner = task_runner()
    if not isinstance(task_runner, ThreadPoolTaskRunner):
        raise not_imitated(f"task runner {type(task_runner).__name__}", "only ThreadPoolTaskRunner is imitated")
    return task_runner


for _cls in (ThreadPoolTaskRunner, ProcessPoolTaskRunner, PrefectTaskRunner):
    _cls.__module__ = "prefect.task_runners"

__all__ = ["PrefectTaskRunner", "ProcessPoolTaskRunner", "ThreadPoolTaskRunner"]
