"""Prefect's context objects (``prefect.context``), over the current run (current_run.py).

User code sees it as Prefect shows it: `get_run_context()`,
`FlowRunContext.get()` and `TaskRunContext.get()` give objects with the run
(``.flow_run`` / ``.task_run``, as the API records it), the flow or task, and
the parameters. A cache key function receives the `TaskRunContext`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .client.schemas.objects import FlowRun as FlowRunRecord
from .client.schemas.objects import TaskRun as TaskRunRecord
from .current_run import current, current_flow_run, in_async_context, tags
from .exceptions import MissingContextError

if TYPE_CHECKING:
    from .flow_engine import FlowRun
    from .task_engine import TaskRun


class RunContext:
    """What a run's context shows user code; the run's record (``flow_run`` / ``task_run``) is made when asked for."""

    __slots__ = ("_run", "_record", "parameters", "log_prints")

    def __init__(self, run: Any) -> None:
        self._run = run
        self._record: Any = None
        self.parameters: dict[str, Any] = dict(run.parameters)
        self.log_prints: bool = run.log_prints

    def _the_record(self) -> Any:
        if self._record is None:
            self._record = (TaskRunRecord if self._run.kind == "task" else FlowRunRecord).of(self._run)
        return self._record


class EngineContext(RunContext):
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


class TaskRunContext(RunContext):
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
        ctx = current()
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
        raise MissingContextError("No run context available. You are not in a flow or task run context.")
    return context


for _cls in (RunContext, EngineContext, TaskRunContext):
    _cls.__module__ = "prefect.context"


__all__ = [
    "EngineContext", "FlowRunContext", "RunContext", "TaskRunContext", "current", "current_flow_run",
    "get_run_context", "in_async_context", "tags",
]  # fmt: skip
