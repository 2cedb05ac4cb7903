"""Which run is running now: one ContextVar, entered by the engines and read everywhere.

The engines make a run current before each of its steps and leave it
afterwards (`enter`), so code inside a task sees that task run even when
submitted runs take turns. `tags()` keeps the tags of the enclosing
``with tags(...)`` blocks in a second ContextVar.

This is the bottom of the run machinery: it imports nothing of sim_prefect's,
so states, loggers and Prefect's own context objects (context.py) can all
read it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from .flow_engine import FlowRun
    from .task_engine import TaskRun


@dataclass(frozen=True, slots=True)
class CurrentRun:
    """The run whose code is running, and whether its prints become log lines."""

    run: Union["FlowRun", "TaskRun"]
    log_prints: bool


_current: ContextVar[CurrentRun | None] = ContextVar("sim_prefect_run", default=None)


def current() -> CurrentRun | None:
    return _current.get()


def enter(ctx: CurrentRun) -> Callable[[], None]:
    """Make `ctx` current; return the function that restores the previous one."""
    token = _current.set(ctx)
    return lambda: _current.reset(token)


def current_flow_run() -> "FlowRun | None":
    """The flow run in progress: the current run, or the current task run's flow run."""
    ctx = _current.get()
    if ctx is None:
        return None
    run = ctx.run
    return run if run.kind == "flow" else run.flow_run


def in_async_context() -> bool:
    """Prefect's ``is_in_async_context``: in an ``async def`` task or flow, or with a loop running outside any run."""
    ctx = _current.get()
    if ctx is not None:
        run = ctx.run
        return bool(run.task.isasync if run.kind == "task" else run.flow.isasync)
    asyncio = sys.modules.get("asyncio")
    return asyncio is not None and asyncio.events._get_running_loop() is not None


# -- tags() ---------------------------------------------------------------------------

_tags: ContextVar[frozenset[str]] = ContextVar("sim_prefect_tags", default=frozenset())


def current_tags() -> frozenset[str]:
    return _tags.get()


@contextmanager
def tags(*new_tags: str) -> Iterator[set[str]]:
    """Add tags to every run created inside the block (``prefect.tags``); yields all current tags."""
    token = _tags.set(_tags.get() | frozenset(new_tags))
    try:
        yield set(_tags.get())
    finally:
        _tags.reset(token)


__all__ = ["CurrentRun", "current", "current_flow_run", "current_tags", "enter", "in_async_context", "tags"]
