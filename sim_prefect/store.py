"""The session's server: what Prefect's API server keeps, in memory.

Prefect's engine reports every run, state and log line to its server, and
everything else reads them back from there: the client (`get_client()`), the
CLI, ``prefect.runtime`` and the UI. Here the engines emit events (events.py);
the `Store` subscribes to them and keeps the records, beside what is written
to it directly: deployments and their schedules, variables, blocks,
concurrency limits and custom events. It is the one source the client, the
CLI and the page's run view read.

Like Prefect's database it outlives a process: `to_dict` / `from_dict` give
its JSON form, which the page keeps between Runs (as it keeps cached results)
and hands to the next one. Every record here is plain data, so the same JSON
is what the page draws the run view from.
"""

from __future__ import annotations

import datetime as _dt
import enum
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

from .run_events import ArtifactCreated, ArtifactUpdated, Event, LogEmitted, RunCreated, StateChanged
from .states import State

RunKind = Literal["flow", "task"]
UTC = _dt.timezone.utc


def jsonable(value: Any) -> Any:
    """A value as Prefect's API would send it back: JSON types kept, the rest in their JSON or text form."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    dump = getattr(value, "model_dump", None)  # a pydantic model
    if callable(dump):
        return jsonable(dump(mode="json"))
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    return repr(value)


def flow_id(name: str) -> str:
    """A flow's id: the server gives each flow name one, for good (here derived from the name, so it costs no draw
    from the session's seeded generator, whose names the expected logs show)."""
    import hashlib  # when first needed: it costs the page's first boot

    h = hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-8{h[17:20]}-{h[20:32]}"


def _time(value: float | None) -> _dt.datetime | None:
    return None if value is None else _dt.datetime.fromtimestamp(value, UTC)


# -- runs ----------------------------------------------------------------------------------


@dataclass
class RunRecord:
    """Everything recorded about one run: who it is, what it was given, and every state it had."""

    run_id: str
    kind: RunKind
    name: str
    owner: str  # the flow's or task's name
    parent_id: str | None  # the run whose code created this one (a flow or a task)
    flow_run_id: str | None = None  # a task run's flow run
    tracks: str | None = None  # "subflow": the task run Prefect adds for a subflow call
    states: list[State] = field(default_factory=list)
    created: float = 0.0
    parameters: dict[str, Any] = field(default_factory=dict)  # a flow run's, as the API keeps them (JSON)
    tags: list[str] = field(default_factory=list)
    # A task run's inputs: for each parameter (and "wait_for"), the task runs it came from.
    task_inputs: dict[str, list[str]] = field(default_factory=dict)
    deployment_id: str | None = None
    expected_start: float | None = None  # a scheduled run's start time; otherwise when it was created
    task_key: str | None = None  # a task run's task (its function's name and a hash of its code)
    version: str | None = None  # the flow's (or task's) version when it ran
    parent_task_run_id: str | None = None  # a subflow run's: the task run that tracks it in its parent
    # A deployment's run, as the server made it (server/deployments.py): by its scheduler (auto_scheduled, with
    # its idempotency key and schedule), or on request (run_deployment, the CLI), with its work queue and job variables.
    auto_scheduled: bool = False
    idempotency_key: str | None = None
    created_by: dict[str, Any] | None = None
    deployment_version: str | None = None
    work_queue_name: str | None = None
    job_variables: dict[str, Any] = field(default_factory=dict)

    @property
    def state(self) -> State | None:
        return self.states[-1] if self.states else None

    @property
    def state_names(self) -> list[str]:
        return [s.name for s in self.states]

    @property
    def run_count(self) -> int:
        """Attempts made: one per Running or Retrying state, as Prefect's server counts them: a resume after a
        paused run's first pause counts one more, later resumes none (Prefect 3.9.1: two pauses and three
        both leave a run_count of 2)."""
        count = paused = 0
        previous: State | None = None
        for state in self.states:
            if state.is_paused():
                paused += 1
            elif state.is_running() and (paused <= 1 or previous is None or not previous.is_paused()):
                count += 1
            previous = state
        return count

    @property
    def started(self) -> _dt.datetime | None:
        """When the run's history begins (its first state)."""
        return self.states[0].timestamp if self.states else None

    @property
    def start_time(self) -> _dt.datetime | None:
        """When it first ran, as Prefect's ``start_time`` (None if it never did)."""
        return next((s.timestamp for s in self.states if s.is_running()), None)

    @property
    def ended(self) -> _dt.datetime | None:
        last = self.state
        return last.timestamp if last is not None and last.is_final() else None

    @property
    def expected_start_time(self) -> _dt.datetime:
        return _time(self.expected_start if self.expected_start is not None else self.created)  # type: ignore[return-value]

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "states"}
        data["states"] = [s.to_dict() for s in self.states]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunRecord:
        """A record as `to_dict` wrote it: what an exercise's check and the page read on the other side."""
        known = {f.name for f in fields(cls)}
        record = cls(**{k: v for k, v in data.items() if k in known and k != "states"})
        record.states = [State.from_dict(s) for s in data.get("states", [])]
        return record


def select_runs(runs: Iterable[RunRecord], kind: RunKind | None = None, owner: str | None = None) -> list[RunRecord]:
    """The runs of one kind (``"flow"``, ``"task"``), and of one flow or task by name, in order."""
    return [r for r in runs if (kind is None or r.kind == kind) and (owner is None or r.owner == owner)]


# -- what is written to the server directly ---------------------------------------------------


@dataclass
class Deployment:
    """A flow made runnable by name, with default parameters and schedules (``flow.serve``, ``to_deployment``)."""

    id: str
    name: str
    flow_name: str
    flow_id: str
    created: float
    updated: float
    parameters: dict[str, Any] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    description: str | None = None
    version: str | None = None
    paused: bool = False
    # Each schedule as data (schedules.py makes and reads these): kind, its settings, active, parameters.
    schedules: list[dict[str, Any]] = field(default_factory=list)
    entrypoint: str | None = None
    work_pool_name: str | None = None
    enforce_parameter_schema: bool = True
    parameter_names: list[str] = field(default_factory=list)  # the flow's parameters, for the CLI's check
    parameter_schema: dict[str, Any] = field(default_factory=dict)  # Prefect's parameter_openapi_schema
    concurrency_limit: int | None = None
    path: str | None = None
    work_queue_name: str | None = None
    job_variables: dict[str, Any] = field(default_factory=dict)
    last_polled: float | None = None  # when a served process last asked for its runs (None: never)

    @property
    def full_name(self) -> str:
        return f"{self.flow_name}/{self.name}"


@dataclass
class Variable:
    id: str
    name: str
    value: Any
    tags: list[str]
    created: float
    updated: float


@dataclass
class BlockType:
    """A kind of block the server knows (registered when a block of that class is first saved)."""

    id: str
    name: str  # the class's block type name ("Cube", "Secret")
    slug: str  # "cube", "secret"
    created: float
    updated: float
    fields: list[str] = field(default_factory=list)  # the schema's fields, in order
    secret_fields: list[str] = field(default_factory=list)  # those shown masked


@dataclass
class BlockDocument:
    id: str
    name: str
    block_type_slug: str
    block_type_name: str
    data: dict[str, Any]  # the block's fields, as JSON
    created: float
    updated: float


@dataclass
class ConcurrencyLimit:
    """A global concurrency limit (Prefect's "v2" limits); a tag's limit is named ``tag:<tag>``."""

    id: str
    name: str
    limit: int
    created: float
    updated: float
    active: bool = True
    active_slots: int = 0
    slot_decay_per_second: float = 0.0
    holders: list[str] = field(default_factory=list)  # the task runs holding a tag's slots


@dataclass
class PauseRecord:
    """A flow run's current pause (Prefect keeps it in the Paused state's details): what ends it, and what
    input it waits for (`keyset`: where the input's schema, description and response are kept)."""

    run_id: str
    pause_key: str
    timeout: float | None  # the session time the pause expires at (None: never)
    reschedule: bool  # a suspension: the run leaves, and is scheduled again when resumed
    keyset: dict[str, str] | None = None
    used_keys: list[str] = field(default_factory=list)  # every pause key the run has paused with


@dataclass
class EventRecord:
    """An event as Prefect's events system keeps it (``emit_event``)."""

    id: str
    occurred: float
    event: str
    resource: dict[str, str]
    related: list[dict[str, str]] = field(default_factory=list)
    payload: dict[str, Any] = field(default_factory=dict)
    follows: str | None = None


# -- the store -------------------------------------------------------------------------------

_TABLES = {  # what to_dict / from_dict carry: attribute -> record type, keyed by what
    "deployments": Deployment,
    "variables": Variable,
    "block_types": BlockType,
    "blocks": BlockDocument,
    "limits": ConcurrencyLimit,
    "pauses": PauseRecord,
}


class Store:
    """Everything the session's server knows. Subscribed to the session's events; the rest is written to it."""

    def __init__(self) -> None:
        self._runs: dict[str, RunRecord] = {}
        self.inherited: set[str] = set()  # runs kept from earlier processes (from_dict): not this session's own
        self.logs: list[LogEmitted] = []
        self.artifacts: list[ArtifactCreated] = []
        self.artifact_updates: list[ArtifactUpdated] = []
        self.deployments: dict[str, Deployment] = {}  # by id
        self.variables: dict[str, Variable] = {}  # by name
        self.block_types: dict[str, BlockType] = {}  # by slug
        self.blocks: dict[str, BlockDocument] = {}  # by "slug/name"
        self.limits: dict[str, ConcurrencyLimit] = {}  # by name
        self.events: list[EventRecord] = []  # emitted events; runs' state events are made when read
        self.pauses: dict[str, PauseRecord] = {}  # by flow run id: the pause each paused run is in
        # Inputs a flow run was given or waits for (Prefect's flow run input): by run id, then key, as JSON text.
        self.flow_run_inputs: dict[str, dict[str, str]] = {}

    # -- the event stream -----------------------------------------------------------------
    def __call__(self, event: Event) -> None:
        # `type(...) is` rather than isinstance: this runs for every event.
        kind = type(event)
        e: Any = event
        if kind is StateChanged:
            record = self._runs.get(e.run_id)
            if record is not None:
                record.states.append(e.state)
        elif kind is LogEmitted:
            self.logs.append(e)
        elif kind is RunCreated:
            self._runs[e.run_id] = RunRecord(
                e.run_id, e.kind, e.name, e.owner, e.parent_id, e.flow_run_id, e.tracks, [], e.timestamp,
                e.parameters, list(e.tags), e.task_inputs, e.deployment_id, e.expected_start, e.task_key, e.version,
                e.parent_task_run_id,
            )  # fmt: skip
        elif kind is ArtifactCreated:
            self.artifacts.append(e)
        elif kind is ArtifactUpdated:
            self.artifact_updates.append(e)

    # -- runs --------------------------------------------------------------------------------
    @property
    def runs(self) -> list[RunRecord]:
        return list(self._runs.values())

    def get(self, run_id: str) -> RunRecord:
        return self._runs[run_id]

    def find(self, run_id: str) -> RunRecord | None:
        return self._runs.get(run_id)

    def delete_run(self, run_id: str) -> None:
        """Forget a run and the task runs inside it (the server's database cascades a flow run's deletion)."""
        self._runs.pop(run_id, None)
        self.pauses.pop(run_id, None)
        self.flow_run_inputs.pop(run_id, None)
        for inner in [r.run_id for r in self._runs.values() if r.flow_run_id == run_id]:
            del self._runs[inner]

    def add_run(self, record: RunRecord) -> RunRecord:
        """A run made by the server itself (a deployment's scheduled run), not by an engine."""
        self._runs[record.run_id] = record
        return record

    def flow_names(self) -> list[str]:
        """Every flow the server has seen (run or deployed), in the order it first saw them."""
        seen = dict.fromkeys(r.owner for r in self._runs.values() if r.kind == "flow")
        seen.update(dict.fromkeys(d.flow_name for d in self.deployments.values()))
        return list(seen)

    def logs_of(self, flow_run_id: str) -> list[LogEmitted]:
        """A flow run's logs, its task runs' included, in order."""
        def owner(log: LogEmitted) -> str | None:
            if log.run_kind == "task" and log.run_id is not None:
                record = self._runs.get(log.run_id)
                return record.flow_run_id if record is not None else None
            return log.run_id

        return [log for log in self.logs if owner(log) == flow_run_id]

    # -- the JSON form: what the page keeps between Runs --------------------------------------
    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "runs": [r.to_dict() for r in self._runs.values()],
            "logs": [log.to_dict() for log in self.logs],
            "artifacts": [a.to_dict() for a in self.artifacts],
            "events": [asdict(e) for e in self.events],
            "flow_run_inputs": self.flow_run_inputs,
        }
        for name in _TABLES:
            data[name] = [asdict(record) for record in getattr(self, name).values()]
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), default=repr)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Store:
        store = cls()
        for raw in data.get("runs", []):
            record = RunRecord.from_dict(raw)
            store._runs[record.run_id] = record
        store.inherited = set(store._runs)
        for raw in data.get("logs", []):
            store.logs.append(LogEmitted.from_dict(raw))
        for raw in data.get("artifacts", []):
            store.artifacts.append(ArtifactCreated.from_dict(raw))
        store.events = [EventRecord(**raw) for raw in data.get("events", [])]
        store.deployments = {r["id"]: Deployment(**r) for r in data.get("deployments", [])}
        store.variables = {r["name"]: Variable(**r) for r in data.get("variables", [])}
        store.blocks = {f"{r['block_type_slug']}/{r['name']}": BlockDocument(**r) for r in data.get("blocks", [])}
        store.block_types = {r["slug"]: BlockType(**r) for r in data.get("block_types", [])}
        store.limits = {r["name"]: ConcurrencyLimit(**r) for r in data.get("limits", [])}
        store.pauses = {r["run_id"]: PauseRecord(**r) for r in data.get("pauses", [])}
        store.flow_run_inputs = {k: dict(v) for k, v in data.get("flow_run_inputs", {}).items()}
        for limit in store.limits.values():
            # Slots are held by leases of a process that has ended: Prefect's server frees them when the lease
            # expires; here the next process starts without them (PORT.yaml: limits-released-between-runs).
            limit.active_slots, limit.holders = 0, []
        return store


__all__ = [
    "BlockDocument", "BlockType", "ConcurrencyLimit", "Deployment", "EventRecord", "PauseRecord", "RunRecord", "Store",
    "Variable",
    "flow_id", "jsonable", "select_runs",
]  # fmt: skip
