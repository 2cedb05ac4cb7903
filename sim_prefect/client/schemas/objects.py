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
import re
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from ... import _msgs, store
from ...models import Check, Model, pattern
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


# -- what the server keeps beside runs: variables, blocks, concurrency limits ----------------------
# (pydantic-style models: models.py. Ids are uuid.UUID and times datetimes in UTC; the annotations say Any
# because uuid is imported only when first needed: it costs the page's first boot.)


def _time(value: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(value, datetime.timezone.utc)


class Variable(Model):
    """A variable as the server keeps it (``client.read_variable_by_name``)."""

    id: Any
    created: Any
    updated: Any
    name: str
    value: Any
    tags: list[str] = []

    @classmethod
    def of(cls, record: store.Variable) -> Variable:
        return cls(id=_id(record.id), created=_time(record.created), updated=_time(record.updated),
                   name=record.name, value=record.value, tags=list(record.tags))  # fmt: skip


class BlockType(Model):
    """A kind of block (``client.read_block_types``)."""

    id: Any
    created: Any
    updated: Any
    name: str
    slug: str
    logo_url: Any = None
    documentation_url: Any = None
    description: str | None = None
    code_example: str | None = None
    is_protected: bool = False

    @classmethod
    def of(cls, record: store.BlockType) -> BlockType:
        return cls(id=_id(record.id), created=_time(record.created), updated=_time(record.updated),
                   name=record.name, slug=record.slug)  # fmt: skip


def _block_document_name(name: Any) -> Any:
    if isinstance(name, str) and not re.match(r"^[a-z0-9-]*$", name):
        raise ValueError(_msgs.BLOCK_DOCUMENT_NAME_INVALID)
    return name


class BlockDocument(Model):
    """A saved block: its name, its type, and its fields' values (``client.read_block_document_by_name``)."""

    _after: ClassVar[dict[str, tuple[Check, ...]]] = {"name": (pattern(r"^[^/%&><]+$"), _block_document_name)}

    id: Any
    created: Any
    updated: Any
    name: str | None = None
    data: dict[str, Any] = {}
    block_type_id: Any = None
    block_type_name: str | None = None
    block_type: Any = None
    is_anonymous: bool = False

    @classmethod
    def of(cls, record: store.BlockDocument, block_type: store.BlockType | None = None) -> BlockDocument:
        return cls(
            id=_id(record.id), created=_time(record.created), updated=_time(record.updated), name=record.name,
            data=dict(record.data), block_type_id=_uuid(block_type.id if block_type else None),
            block_type_name=record.block_type_name, block_type=BlockType.of(block_type) if block_type else None,
        )  # fmt: skip


class ConcurrencyLimit(Model):
    """A tag's concurrency limit, as Prefect's first API showed it (``client.read_concurrency_limit_by_tag``)."""

    id: Any
    created: Any
    updated: Any
    tag: str
    concurrency_limit: int
    active_slots: list[Any] = []  # the task runs holding a slot (uuid.UUID)

    @classmethod
    def of(cls, record: store.ConcurrencyLimit) -> ConcurrencyLimit:
        return cls(id=_id(record.id), created=_time(record.created), updated=_time(record.updated),
                   tag=record.name.removeprefix("tag:"), concurrency_limit=record.limit,
                   active_slots=[_id(h) for h in record.holders])  # fmt: skip


class ConcurrencyLeaseHolder(Model):
    """Who holds a concurrency lease: a task run, a flow run or a deployment."""

    type: Literal["flow_run", "task_run", "deployment"]
    id: Any


for _cls in (TaskRun, FlowRun, Variable, BlockType, BlockDocument, ConcurrencyLimit, ConcurrencyLeaseHolder):
    _cls.__module__ = "prefect.client.schemas.objects"

__all__ = [
    "BlockDocument", "BlockType", "ConcurrencyLeaseHolder", "ConcurrencyLimit", "FlowRun", "State", "StateType",
    "TaskRun", "Variable",
]  # fmt: skip
