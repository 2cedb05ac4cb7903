"""Which run is running now (``prefect.context``).

The engine keeps the current run in one ContextVar. The scheduler enters a
run's context before each of its steps and leaves it afterwards, so code
inside a task sees that task run, even when submitted runs take turns.

User code sees it as Prefect shows it: `get_run_context()`,
`FlowRunContext.get()` and `TaskRunContext.get()` give objects with the run
(``.flow_run`` / ``.task_run``, as the API records it), the flow or task, and
the parameters. A cache key function receives the `TaskRunContext`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Union

if TYPE_CHECKING:
    from .flow_engine import FlowRun
    from .task_engine import TaskRun


@dataclass(frozen=True)
class RunContext:
    run: Union["FlowRun", "TaskRun"]
    log_prints: bool


_current: ContextVar[RunContext | None] = ContextVar("sim_prefect_run", default=None)


def current() -> RunContext | None:
    return _current.get()


def enter(ctx: RunContext) -> Callable[[], None]:
    """Make `ctx` current; return the function that restores the previous one."""
    token = _current.set(ctx)
    return lambda: _current.reset(token)


def current_flow_run() -> "FlowRun | None":
    ctx = _current.get()
    if ctx is None:
        return None
    run = ctx.run
    return run if run.kind == "flow" else run.flow_run


# -- Prefect's context objects -------------------------------------------------------------


class _RunContext:
    """What a run's context shows user code; the run's record (``flow_run`` / ``task_run``) is made when asked for."""

    __slots__ = ("_run", "_record", "parameters", "log_prints")

    def __init__(self, run: Any) -> None:
        self._run = run
        self._record: Any = None
        self.parameters: dict[str, Any] = dict(run.parameters)
        self.log_prints: bool = run.log_prints

    def _the_record(self) -> Any:
        if self._record is None:
            from .client.schemas.objects import FlowRun as FlowRunRecord
            from .client.schemas.objects import TaskRun as TaskRunRecord

            self._record = (TaskRunRecord if self._run.kind == "task" else FlowRunRecord).of(self._run)
        return self._record


class EngineContext(_RunContext):
    """The flow run in progress, as user code sees it (``FlowRunContext`` is its other name, as in Prefect)."""

    __slots__ = ()

    @property
    def flow(self) -> Any:
        return self._run.flow

    @property
    def flow_run(self) -> Any:
        return self._the_record()

    @classmethod
    def get(cls) -> EngineContext | None:
        run = current_flow_run()
        return cls.of(run) if run is not None else None

    @classmethod
    def of(cls, run: FlowRun) -> EngineContext:
        return cls(run)


class TaskRunContext(_RunContext):
    """The task run in progress, as user code (and a cache key function) sees it."""

    __slots__ = ()

    @property
    def task(self) -> Any:
        return self._run.task

    @property
    def task_run(self) -> Any:
        return self._the_record()

    @classmethod
    def get(cls) -> TaskRunContext | None:
        ctx = _current.get()
        if ctx is None or ctx.run.kind != "task":
            return None
        return cls.of(ctx.run)

    @classmethod
    def of(cls, run: TaskRun) -> TaskRunContext:
        return cls(run)


FlowRunContext = EngineContext


def get_run_context() -> EngineContext | TaskRunContext:
    """The current task run's context, else the flow run's; outside any run, MissingContextError."""
    context = TaskRunContext.get() or FlowRunContext.get()
    if context is None:
        from .exceptions import MissingContextError

        raise MissingContextError("No run context available. You are not in a flow or task run context.")
    return context


for _cls in (EngineContext, TaskRunContext):
    _cls.__module__ = "prefect.context"


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
