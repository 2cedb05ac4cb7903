"""What Prefect's API returns (``prefect.client.schemas.objects``).

The client's reads give `FlowRun`, `TaskRun`, `Log`, `Artifact` and `Flow`
objects, with Prefect's fields in Prefect's order, each made in one place
from the store's records (`from_record`): ids are ``uuid.UUID``, times
pendulum-style `DateTime` in UTC, states as the server hands them back
(`stored_state`). State hooks and run contexts receive the same `TaskRun`
or `FlowRun`, made from the engine's run's record (`of`). Prefect's
``empirical_policy`` (the retry settings) is not kept, and reading it
raises AttributeError. `State` and `StateType` live here in Prefect too.
"""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar

from ... import _msgs, store
from ...exceptions import MissingResult
from ...models import Check, Model, pattern
from ...run_events import ArtifactCreated, ArtifactUpdated, LogEmitted
from ...states import State, StateType
from ...types import DateTime

if TYPE_CHECKING:
    import uuid

    from ...flow_engine import FlowRun as FlowRunEngine
    from ...task_engine import TaskRun as TaskRunEngine


def _id(value: str) -> uuid.UUID:
    import uuid  # when first needed (a hook runs): importing it costs the page's first boot 17 ms

    return uuid.UUID(value)


def _uuid(value: str | None) -> uuid.UUID | None:
    return _id(value) if value else None


# -- runs, as the API gives them back -------------------------------------------------------
# Built from the store's records (store.py), the one place their fields are worked out: the client's
# reads, and the records hooks and contexts receive (`of`: the engine's run, read from the store).

_UTC = datetime.timezone.utc
_NOTHING = datetime.timedelta(0)


def _at(value: float | datetime.datetime | None) -> DateTime | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return DateTime.at(value.timestamp())
    return DateTime.at(value)


def derived_id(*parts: object) -> uuid.UUID:
    """An id for what the store keeps without one (a log line, a heartbeat, a task run's dynamic key): the
    same on every read."""
    import hashlib  # when first needed: importing it costs the page's first boot
    import uuid

    digest = hashlib.md5("/".join(map(str, parts)).encode(), usedforsecurity=False).hexdigest()
    return uuid.UUID(f"{digest[:12]}4{digest[13:16]}8{digest[17:32]}")


class _StoredState(State):
    """A state read back from the server: its result was not kept with it (Prefect's API hands a state
    back without its data, unless the result was persisted; an exception is)."""

    __slots__ = ()

    def _result(self, raise_on_failure: bool) -> Any:
        if self.data is None and self.is_final() and not (self.is_failed() or self.is_crashed() or self.is_cancelled()):
            raise MissingResult(_msgs.STATE_DATA_MISSING)
        return super()._result(raise_on_failure)


_StoredState.__name__ = _StoredState.__qualname__ = "State"
_StoredState.__module__ = "prefect.client.schemas.objects"


def stored_state(state: State, record: store.RunRecord) -> State:
    """`state` as the server hands it back: no result (an exception stays), and a task run's empty message as
    ``''`` (its states reach the server as events, whose labels are text; a subflow's task run's do not)."""
    message = state.message
    if message is None and record.kind == "task" and record.tracks is None:
        message = ""
    failed = state.is_failed() or state.is_crashed() or state.is_cancelled()
    data = state.data if failed and isinstance(state.data, BaseException) else None
    return _StoredState(
        state.type, state.name, message, state.timestamp, data, state.scheduled_time,
        state.run_id or record.run_id, state.run_kind or record.kind, state.flow_run_id or record.flow_run_id,
    )  # fmt: skip


def _run_times(record: store.RunRecord, now: float) -> dict[str, Any]:
    """What the server works out from a run's states: when it started and ended, how long it ran."""
    states = record.states
    total = _NOTHING
    running_since: datetime.datetime | None = None
    for i, state in enumerate(states):
        if state.is_running():
            if i + 1 < len(states):
                total += states[i + 1].timestamp - state.timestamp
            else:
                running_since = state.timestamp
    estimated = total + (datetime.datetime.fromtimestamp(now, _UTC) - running_since if running_since else _NOTHING)
    start, expected = record.start_time, record.expected_start_time
    if start is not None:
        delta = max(start - expected, _NOTHING)
    else:
        delta = max(datetime.datetime.fromtimestamp(now, _UTC) - expected, _NOTHING) if not record.ended else _NOTHING
    last = record.state
    return {
        "expected_start_time": _at(expected),
        "next_scheduled_start_time": _at(last.scheduled_time) if last is not None and last.is_scheduled() else None,
        "start_time": _at(start),
        "end_time": _at(record.ended),
        "total_run_time": total,
        "estimated_run_time": estimated,
        "estimated_start_time_delta": delta,
    }


_Made = TypeVar("_Made", bound="_ApiObject")


class _ApiObject(Model):
    """What the server hands back: made from its records, trusted as they are (pydantic's
    ``model_construct``); pydantic's repr leaves out ``created`` and ``updated``."""

    @classmethod
    def model_construct(cls: type[_Made], **values: Any) -> _Made:
        obj = cls.__new__(cls)
        vars(obj).update(values)
        obj.__pydantic_extra__ = {}
        obj.model_fields_set = set(values)
        return obj

    def _repr_fields(self) -> list[tuple[str, Any]]:
        return [(name, getattr(self, name)) for name in type(self).model_fields if name not in ("created", "updated")]


class Flow(_ApiObject):
    """A flow as the server knows it (``client.read_flows``, ``read_flow_by_name``)."""

    id: Any
    created: Any
    updated: Any
    name: str
    tags: list[str] = []
    labels: dict[str, Any] = {}

    @classmethod
    def of_name(cls, name: str, created: float) -> Flow:
        return cls.model_construct(
            id=_id(store.flow_id(name)), created=_at(created), updated=_at(created), name=name, tags=[], labels={}
        )


class RunInput(_ApiObject):
    """Where a task run's input came from (Prefect's ``task_inputs`` values)."""

    input_type: str
    id: Any


class TaskRunResult(RunInput):
    """An input that is the result of another task run."""

    input_type: str = "task_run"


class FlowRunResult(RunInput):
    """An input that is the result of a flow run (a subflow's state passed on)."""

    input_type: str = "flow_run"


class FlowRun(_ApiObject):
    """A flow run as the server records it (``client.read_flow_runs``; the ``flow_run`` hooks receive)."""

    id: Any
    created: Any
    updated: Any
    name: str
    flow_id: Any
    state_id: Any = None
    deployment_id: Any = None
    deployment_version: str | None = None
    work_queue_name: str | None = None
    flow_version: str | None = None
    parameters: dict[str, Any] = {}
    idempotency_key: str | None = None
    context: dict[str, Any] = {}
    tags: list[str] = []
    labels: dict[str, Any] = {}
    parent_task_run_id: Any = None
    run_count: int = 0
    expected_start_time: Any = None
    next_scheduled_start_time: Any = None
    start_time: Any = None
    end_time: Any = None
    total_run_time: Any = _NOTHING
    estimated_run_time: Any = _NOTHING
    estimated_start_time_delta: Any = _NOTHING
    auto_scheduled: bool = False
    infrastructure_document_id: Any = None
    infrastructure_pid: str | None = None
    created_by: Any = None
    work_queue_id: Any = None
    work_pool_id: Any = None
    work_pool_name: str | None = None
    state: Any = None
    job_variables: dict[str, Any] = {}
    state_type: Any = None
    state_name: str | None = None
    _parent_flow_run_id: Any = None  # not a field: what FlowRunFilter(parent_flow_run_id=...) looks at

    @classmethod
    def from_record(cls, record: store.RunRecord, server: store.Store, now: float) -> FlowRun:
        deployment = server.deployments.get(record.deployment_id) if record.deployment_id else None
        state = record.state
        flow_id = _id(store.flow_id(record.owner))
        tracker = server.find(record.parent_task_run_id) if record.parent_task_run_id else None
        labels = {"prefect.flow.id": str(flow_id)}
        if record.deployment_id:
            labels["prefect.deployment.id"] = record.deployment_id
        # What the server keeps of a deployment's run (server/deployments.py; a run of no deployment has none of it).
        made: dict[str, Any] = {
            "deployment_version": getattr(record, "deployment_version", None),
            "work_queue_name": getattr(record, "work_queue_name", None),
            "idempotency_key": getattr(record, "idempotency_key", None),
            "auto_scheduled": getattr(record, "auto_scheduled", False),
            "job_variables": dict(getattr(record, "job_variables", None) or {}),
        }
        run = cls.model_construct(
            id=_id(record.run_id), created=_at(record.created),
            updated=_at(state.timestamp if state is not None else record.created), name=record.name,
            flow_id=flow_id, state_id=state.id if state is not None else None,
            deployment_id=_uuid(record.deployment_id), deployment_version=made["deployment_version"],
            work_queue_name=made["work_queue_name"], flow_version=record.version, parameters=dict(record.parameters),
            idempotency_key=made["idempotency_key"], context={}, tags=list(record.tags), labels=labels,
            parent_task_run_id=_uuid(record.parent_task_run_id), run_count=record.run_count,
            **_run_times(record, now), auto_scheduled=made["auto_scheduled"], infrastructure_document_id=None,
            infrastructure_pid=None, created_by=None, work_queue_id=None, work_pool_id=None,
            work_pool_name=deployment.work_pool_name if deployment is not None else None,
            state=stored_state(state, record) if state is not None else None, job_variables=made["job_variables"],
            state_type=state.type if state is not None else None, state_name=state.name if state is not None else None,
        )  # fmt: skip
        run._parent_flow_run_id = _uuid(tracker.flow_run_id) if tracker is not None else None
        return run

    @classmethod
    def of(cls, run: FlowRunEngine, stale: bool = False) -> FlowRun:
        """The engine's run as its record shows it, in the state the engine holds. `stale`: as Prefect's
        engine still holds it when it calls on_running hooks (read before the attempt started: one run
        fewer, and no start time before the first)."""
        s = run.session
        record = cls.from_record(s.store.get(run.id), s.store, s.now())
        record.state, record.state_type, record.state_name = run.state, run.state.type, run.state.name
        if stale:
            record.run_count -= 1
            if record.run_count == 0:
                record.start_time = None
        return record


class TaskRun(_ApiObject):
    """A task run as the server records it (``client.read_task_runs``; the ``task_run`` hooks receive).
    Prefect records where its inputs came from, not their values."""

    id: Any
    created: Any
    updated: Any
    name: str
    flow_run_id: Any = None
    task_key: str = ""
    dynamic_key: str = ""
    cache_key: str | None = None
    cache_expiration: Any = None
    task_version: str | None = None
    tags: list[str] = []
    labels: dict[str, Any] = {}
    state_id: Any = None
    task_inputs: dict[str, list[Any]] = {}
    state_type: Any = None
    state_name: str | None = None
    run_count: int = 0
    flow_run_run_count: int = 0
    expected_start_time: Any = None
    next_scheduled_start_time: Any = None
    start_time: Any = None
    end_time: Any = None
    total_run_time: Any = _NOTHING
    estimated_run_time: Any = _NOTHING
    estimated_start_time_delta: Any = _NOTHING
    state: Any = None
    _subflow_run: Any = None  # not a field: what TaskRunFilter(subflow_runs=...) looks at

    @classmethod
    def from_record(cls, record: store.RunRecord, server: store.Store, now: float) -> TaskRun:
        state = record.state
        flow_run = server.find(record.flow_run_id) if record.flow_run_id else None
        subflow = record.tracks == "subflow"
        if subflow:
            # Prefect's task run for a subflow: keyed by its call's count, labelled with the parent's ids.
            dynamic_key = record.name.rpartition("-")[2]
            labels = {"prefect.flow-run.id": record.flow_run_id or ""}
            if flow_run is not None:
                labels = {"prefect.flow.id": store.flow_id(flow_run.owner), **labels}
            flow_run_run_count = 0
        else:
            dynamic_key = str(derived_id("dynamic-key", record.run_id))
            labels = {}
            # The attempt of its flow run that made it.
            flow_run_run_count = sum(
                1 for s in (flow_run.states if flow_run is not None else []) if s.is_running() and s.timestamp.timestamp() <= record.created
            )
        run = cls.model_construct(
            id=_id(record.run_id), created=_at(record.created),
            updated=_at(state.timestamp if state is not None else record.created), name=record.name,
            flow_run_id=_uuid(record.flow_run_id), task_key=record.task_key or "", dynamic_key=dynamic_key,
            cache_key=None, cache_expiration=None, task_version=record.version, tags=list(record.tags),
            labels=labels, state_id=state.id if state is not None else None,
            task_inputs={name: [_run_input(i, server) for i in ids] for name, ids in record.task_inputs.items()},
            state_type=state.type if state is not None else None, state_name=state.name if state is not None else None,
            run_count=record.run_count, flow_run_run_count=flow_run_run_count, **_run_times(record, now),
            state=stored_state(state, record) if state is not None else None,
        )  # fmt: skip
        run._subflow_run = True if subflow else None
        return run

    @classmethod
    def of(cls, run: TaskRunEngine) -> TaskRun:
        """The engine's run as its record shows it, in the state the engine holds."""
        s = run.session
        record = cls.from_record(s.store.get(run.id), s.store, s.now())
        record.state, record.state_type, record.state_name = run.state, run.state.type, run.state.name
        return record


def _run_input(run_id: str, server: store.Store) -> RunInput:
    upstream = server.find(run_id)
    if upstream is not None and upstream.kind == "flow":
        return FlowRunResult.model_construct(input_type="flow_run", id=_id(run_id))
    return TaskRunResult.model_construct(input_type="task_run", id=_id(run_id))


class Log(_ApiObject):
    """A log line as the server keeps it (``client.read_logs``): a traceback is part of its message."""

    id: Any
    created: Any
    updated: Any
    name: str
    level: int
    message: str
    timestamp: Any
    flow_run_id: Any = None
    task_run_id: Any = None
    _searchable_text: str = ""  # not a field: what LogFilter(text=...) searches

    @classmethod
    def from_record(cls, index: int, log: LogEmitted, flow_run_id: str) -> Log:
        stamp = _at(log.timestamp)
        message = log.message if log.traceback is None else f"{log.message}\n{log.traceback}"
        line = cls.model_construct(
            id=derived_id("log", index, log.timestamp), created=stamp, updated=stamp, name=log.logger,
            level=_LEVELS.get(log.level, 0), message=message, timestamp=stamp, flow_run_id=_id(flow_run_id),
            task_run_id=_id(log.run_id) if log.run_kind == "task" and log.run_id else None,
        )  # fmt: skip
        line._searchable_text = f"{message} {log.logger}"
        return line


_LEVELS = {"DEBUG": 10, "INFO": 20, "WARNING": 30, "ERROR": 40, "CRITICAL": 50}


class Artifact(_ApiObject):
    """An artifact as the server keeps it (``client.read_artifacts``): a progress artifact's latest value."""

    id: Any
    created: Any
    updated: Any
    key: str | None = None
    type: str | None = None
    description: str | None = None
    data: Any = None
    metadata_: Any = None
    flow_run_id: Any = None
    task_run_id: Any = None

    @classmethod
    def from_record(cls, artifact: ArtifactCreated, updates: list[ArtifactUpdated]) -> Artifact:
        data, description, updated = artifact.data, artifact.description, artifact.timestamp
        for update in updates:
            data, updated = update.data, update.timestamp
            description = update.description if update.description is not None else description
        if isinstance(data, float) and data.is_integer():
            data = int(data)  # the server's JSON column gives 55.0 back as 55
        return cls.model_construct(
            id=_id(artifact.artifact_id), created=_at(artifact.timestamp), updated=_at(updated), key=artifact.key,
            type=artifact.type, description=description, data=data, metadata_=None,
            flow_run_id=_uuid(artifact.flow_run_id), task_run_id=_uuid(artifact.task_run_id),
        )  # fmt: skip


# -- what the server keeps beside runs: variables, blocks, concurrency limits ----------------------
# (pydantic-style models: models.py. Ids are uuid.UUID and times DateTimes in UTC; the annotations say Any
# because uuid is imported only when first needed: it costs the page's first boot.)


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
        return cls(id=_id(record.id), created=_at(record.created), updated=_at(record.updated),
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
        return cls(id=_id(record.id), created=_at(record.created), updated=_at(record.updated),
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
            id=_id(record.id), created=_at(record.created), updated=_at(record.updated), name=record.name,
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
        return cls(id=_id(record.id), created=_at(record.created), updated=_at(record.updated),
                   tag=record.name.removeprefix("tag:"), concurrency_limit=record.limit,
                   active_slots=[_id(h) for h in record.holders])  # fmt: skip


class ConcurrencyLeaseHolder(Model):
    """Who holds a concurrency lease: a task run, a flow run or a deployment."""

    type: Literal["flow_run", "task_run", "deployment"]
    id: Any


for _cls in (TaskRun, FlowRun, Flow, Log, Artifact, RunInput, TaskRunResult, FlowRunResult, Variable, BlockType, BlockDocument, ConcurrencyLimit, ConcurrencyLeaseHolder):
    _cls.__module__ = "prefect.client.schemas.objects"

__all__ = [
    "Artifact", "Flow", "FlowRunResult", "Log", "RunInput", "TaskRunResult", "derived_id", "stored_state",
    "BlockDocument", "BlockType", "ConcurrencyLeaseHolder", "ConcurrencyLimit", "FlowRun", "State", "StateType",
    "TaskRun", "Variable",
]  # fmt: skip
