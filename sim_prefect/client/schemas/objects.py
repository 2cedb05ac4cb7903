"""What Prefect's API returns about runs (``prefect.client.schemas.objects``).

State hooks receive a `TaskRun` or a `FlowRun`: a record of the run as the
server knows it, not the engine's own object. These carry the attributes
example code reads (id, name, run_count, tags, state, parameters for flows,
...), with Prefect's names and types; anything else raises AttributeError.
`State` and `StateType` live here in Prefect too.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...states import State, StateType

if TYPE_CHECKING:
    import uuid

    from ...flow_engine import FlowRun as FlowRunEngine
    from ...task_engine import TaskRun as TaskRunEngine


def _id(value: str) -> uuid.UUID:
    import uuid  # when first needed (a hook runs): importing it costs the page's first boot 17 ms

    return uuid.UUID(value)


def _uuid(value: str | None) -> uuid.UUID | None:
    return _id(value) if value else None


@dataclass(eq=False)
class _RunRecord:
    id: uuid.UUID
    name: str
    run_count: int
    tags: list[str]
    state: State
    start_time: datetime.datetime | None = None
    end_time: datetime.datetime | None = None
    expected_start_time: datetime.datetime | None = None

    @property
    def state_name(self) -> str:
        return self.state.name

    @property
    def total_run_time(self) -> datetime.timedelta:
        if self.start_time is None:
            return datetime.timedelta(0)
        return (self.end_time or self.start_time) - self.start_time

    @property
    def state_type(self) -> StateType:
        return self.state.type


@dataclass(eq=False)
class TaskRun(_RunRecord):
    """A task run as the server records it (Prefect records its inputs' origins, not their values)."""

    flow_run_id: uuid.UUID | None = None
    task_inputs: dict[str, list[Any]] = field(default_factory=dict)

    @classmethod
    def of(cls, run: TaskRunEngine) -> TaskRun:
        return cls(
            id=_id(run.id), name=run.name, run_count=run.run_count, tags=sorted(run.tags),
            state=run.state, start_time=run.start_time, end_time=run.end_time,
            expected_start_time=run.created, flow_run_id=_uuid(run.flow_run_id),
            task_inputs={name: [] for name in run.parameters},
        )  # fmt: skip


@dataclass(eq=False)
class FlowRun(_RunRecord):
    """A flow run as the server records it, with the parameters it was called with."""

    parameters: dict[str, Any] = field(default_factory=dict)
    parent_task_run_id: uuid.UUID | None = None
    deployment_id: uuid.UUID | None = None
    flow_version: str | None = None

    @classmethod
    def of(cls, run: FlowRunEngine, stale: bool = False) -> FlowRun:
        """`stale`: as Prefect's engine still holds it when it calls on_running hooks
        (read before the attempt started: one run fewer, and no start time before the first)."""
        run_count = run.run_count - 1 if stale else run.run_count
        return cls(
            id=_id(run.id), name=run.name, run_count=run_count, tags=sorted(run.tags),
            state=run.state, start_time=None if run_count == 0 else run.start_time,
            end_time=run.end_time, expected_start_time=run.created, parameters=dict(run.parameters),
            parent_task_run_id=_uuid(run.tracker.id) if run.tracker is not None else None,
            flow_version=run.flow.version,
        )  # fmt: skip


for _cls in (TaskRun, FlowRun):
    _cls.__module__ = "prefect.client.schemas.objects"

__all__ = ["FlowRun", "State", "StateType", "TaskRun"]
