"""Structured events: the one stream that every view is drawn from.

The engine never writes text. It emits these events:

- `RunCreated`: a flow run or task run exists (with its name and parent);
- `StateChanged`: a run moved to a new state;
- `LogEmitted`: a log record (level, logger, run, message, traceback);
- `ArtifactCreated` / `ArtifactUpdated`: a run published an artifact.

Sinks subscribe to the stream: the terminal sink formats `LogEmitted` into
Prefect's lines on stderr; the page's sink posts every event, as JSON, from the
worker to the page, which draws the output and the state timeline; the
session's store (store.py) keeps the records, as Prefect's server does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Literal, Union

from .states import State

RunKind = Literal["flow", "task"]


# Events are plain (slotted) dataclasses, not frozen ones: a flow of 10,000 tasks
# makes about 100,000 of them, and frozen instances cost five times as much to
# build. Treat them as read-only values all the same.


@dataclass(slots=True)
class RunCreated:
    run_id: str
    kind: RunKind
    name: str  # the run's name: 'persimmon-rat', 'fetch_data-82b'
    owner: str  # the flow's or task's name: 'example-pipeline', 'fetch_data'
    parent_id: str | None  # the run whose code created this one (a flow or a task)
    timestamp: float
    flow_run_id: str | None = None  # a task run's flow run (None outside any flow)
    tracks: str | None = None  # "subflow": the task run Prefect adds for a subflow call
    parameters: dict[str, Any] = field(default_factory=dict)  # a flow run's, as JSON (store.jsonable)
    tags: tuple[str, ...] = ()
    task_inputs: dict[str, list[str]] = field(default_factory=dict)  # a task run's upstream runs, by parameter
    deployment_id: str | None = None
    expected_start: float | None = None
    task_key: str | None = None  # a task run's task: its function's name and a hash of its code
    version: str | None = None  # the flow's (or task's) version, as the server records it
    parent_task_run_id: str | None = None  # a subflow run's: the task run its parent flow run tracks it by

    def to_dict(self) -> dict[str, Any]:
        return {
            "event": "run",
            "run_id": self.run_id,
            "kind": self.kind,
            "name": self.name,
            "owner": self.owner,
            "parent_id": self.parent_id,
            "flow_run_id": self.flow_run_id,
            "tracks": self.tracks,
            "timestamp": self.timestamp,
            "parameters": self.parameters,
            "tags": list(self.tags),
            "task_inputs": self.task_inputs,
            "deployment_id": self.deployment_id,
            "task_key": self.task_key,
            "version": self.version,
            "parent_task_run_id": self.parent_task_run_id,
        }


@dataclass(slots=True)
class StateChanged:
    run_id: str
    state: State

    def to_dict(self) -> dict[str, Any]:
        return {"event": "state", "run_id": self.run_id, **self.state.to_dict()}


@dataclass(slots=True)
class LogEmitted:
    timestamp: float
    level: str  # 'DEBUG' ... 'CRITICAL'
    logger: str  # 'prefect.flow_runs', 'prefect.task_runs', or any other name
    message: str
    run_id: str | None = None
    run_kind: RunKind | None = None
    run_name: str | None = None
    traceback: str | None = None  # already formatted, ends without a newline
    thread: str | None = None  # Prefect's internal loggers name their thread (its "debug" format)

    def to_dict(self) -> dict[str, Any]:
        return {
            "event": "log",
            "timestamp": self.timestamp,
            "level": self.level,
            "logger": self.logger,
            "message": self.message,
            "run_id": self.run_id,
            "run_kind": self.run_kind,
            "run_name": self.run_name,
            "traceback": self.traceback,
            "thread": self.thread,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LogEmitted:
        return cls(**{k: v for k, v in data.items() if k != "event"})


@dataclass(slots=True)
class ArtifactCreated:
    """A run published an artifact (``prefect.artifacts``): markdown, a table, a link, progress or an image."""

    artifact_id: str
    type: str  # "markdown", "table", "progress" or "image" (a link is markdown, as in Prefect)
    key: str | None
    description: str | None
    data: Any  # markdown text, a table as JSON text, a percentage, an image URL
    task_run_id: str | None
    flow_run_id: str | None
    timestamp: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "event": "artifact", "artifact_id": self.artifact_id, "type": self.type, "key": self.key,
            "description": self.description, "data": self.data, "task_run_id": self.task_run_id,
            "flow_run_id": self.flow_run_id, "timestamp": self.timestamp,
        }  # fmt: skip

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArtifactCreated:
        return cls(**{k: v for k, v in data.items() if k != "event"})


@dataclass(slots=True)
class ArtifactUpdated:
    """A progress artifact moved on."""

    artifact_id: str
    data: float
    description: str | None
    timestamp: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "event": "artifact_update", "artifact_id": self.artifact_id, "data": self.data,
            "description": self.description, "timestamp": self.timestamp,
        }  # fmt: skip


Event = Union[RunCreated, StateChanged, LogEmitted, ArtifactCreated, ArtifactUpdated]
Subscriber = Callable[[Event], None]


class EventBus:
    """A list of subscribers, called in order, synchronously."""

    def __init__(self) -> None:
        # A tuple, replaced on each change: emitting (often) needs no copy, and a
        # subscriber that unsubscribes while being called does not disturb the loop.
        self._subscribers: tuple[Subscriber, ...] = ()

    def subscribe(self, fn: Subscriber) -> Callable[[], None]:
        self._subscribers = (*self._subscribers, fn)

        def unsubscribe() -> None:
            self._subscribers = tuple(s for s in self._subscribers if s is not fn)

        return unsubscribe

    def replace(self, old: Subscriber, new: Subscriber) -> None:
        """Put `new` in `old`'s place, in the same order."""
        self._subscribers = tuple(new if s is old else s for s in self._subscribers)

    def emit(self, event: Event) -> None:
        for fn in self._subscribers:
            fn(event)
