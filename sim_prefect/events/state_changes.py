"""The events Prefect makes of every run's state changes, made from the store's records when read.

Prefect emits ``prefect.flow-run.<State name>`` (from its server) and
``prefect.task-run.<State name>`` (from the task engine) for every state a
run takes, and ``prefect.flow-run.heartbeat`` as a flow run's attempt
starts (and every 180 seconds while it runs). Keeping an event per state as
it happens would add work to every task run; the records already hold every
state, so the events are made from them here, only when someone reads
events: the same names, resource labels, related resources, payloads and
ids (a state's event has the state's id) as Prefect's.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from ..prefect_settings import PREFECT_VERSION
from ..client.schemas.objects import derived_id
from ..states import State, StateType
from ..store import RunRecord, Store, flow_id
from .schemas.events import ReceivedEvent

HEARTBEAT_SECONDS = 180  # PREFECT_FLOWS_HEARTBEAT_FREQUENCY's default
TIGHT_TIMING = datetime.timedelta(minutes=5)  # a state's event follows the one before only within this
_HEARTBEAT_AFTER = datetime.timedelta(microseconds=1)  # the attempt's first beat, just after Running


def run_events(server: Store, now: float) -> list[ReceivedEvent]:
    """Every run's state-change and heartbeat events, run by run (the caller orders them by time)."""
    events: list[ReceivedEvent] = []
    for record in server.runs:
        if record.kind == "flow":
            events.extend(_flow_run_events(record, server, now))
        elif record.tracks is None:  # a subflow's task run gets its states from the API: no events
            events.extend(_task_run_events(record, server))
    return events


def _event(name: str, state_or_time: Any, resource: dict[str, str], related: list[dict[str, str]],
           payload: dict[str, Any], event_id: Any, follows: Any = None) -> ReceivedEvent:  # fmt: skip
    occurred = state_or_time.timestamp if isinstance(state_or_time, State) else state_or_time
    return ReceivedEvent(
        occurred=occurred, event=name, resource=resource, related=related, payload=payload, id=event_id,
        follows=follows, received=occurred,
    )


def _labels(record: RunRecord, state: State, run_count: int, kind: str) -> dict[str, str]:
    labels = {
        "prefect.resource.id": f"prefect.{kind}.{record.run_id}",
        "prefect.resource.name": record.name,
        "prefect.run-count": str(run_count),
        "prefect.state-message": state.message or "",
        "prefect.state-name": state.name,
        "prefect.state-timestamp": state.timestamp.isoformat(),
        "prefect.state-type": state.type.value,
    }
    if kind == "task-run":
        labels["prefect.orchestration"] = "client"
    return labels


def _tags(tags: set[str], present: list[dict[str, str]]) -> list[dict[str, str]]:
    ids = {r["prefect.resource.id"] for r in present}
    return [
        {"prefect.resource.id": f"prefect.tag.{tag}", "prefect.resource.role": "tag"}
        for tag in sorted(tags) if f"prefect.tag.{tag}" not in ids
    ]  # fmt: skip


def _flow(record: RunRecord) -> dict[str, str]:
    return {"prefect.resource.id": f"prefect.flow.{flow_id(record.owner)}", "prefect.resource.role": "flow",
            "prefect.resource.name": record.owner}  # fmt: skip


def _deployment(record: RunRecord, server: Store) -> list[dict[str, str]]:
    deployment = server.deployments.get(record.deployment_id) if record.deployment_id else None
    if deployment is None:
        return []
    return [{"prefect.resource.id": f"prefect.deployment.{deployment.id}", "prefect.resource.role": "deployment",
             "prefect.resource.name": deployment.name}]  # fmt: skip


def flow_run_related(record: RunRecord, server: Store, with_parent: bool = True) -> list[dict[str, str]]:
    """What the server relates to a flow run's events: its flow, deployment, the task run that tracks it in
    its parent, and every tag among them."""
    related = [_flow(record), *_deployment(record, server)]
    tags = set(record.tags)
    deployment = server.deployments.get(record.deployment_id) if record.deployment_id else None
    if deployment is not None:
        tags |= set(deployment.tags)
    tracker = server.find(record.parent_task_run_id) if record.parent_task_run_id else None
    if tracker is not None and with_parent:
        related.append({"prefect.resource.id": f"prefect.task-run.{tracker.run_id}",
                        "prefect.resource.role": "task-run", "prefect.resource.name": tracker.name})  # fmt: skip
        tags |= set(tracker.tags)
    return related + _tags(tags, related)


def _flow_run_events(record: RunRecord, server: Store, now: float) -> Iterator[ReceivedEvent]:
    related = flow_run_related(record, server)
    previous: State | None = None
    run_count = 0
    states = record.states
    for i, state in enumerate(states):
        if state.type is StateType.RUNNING:
            run_count += 1
        payload: dict[str, Any] = {
            "intended": {"from": previous.type.value if previous else None, "to": state.type.value},
            "initial_state": _flow_state(previous),
            "validated_state": _flow_state(state),
        }
        yield _event(
            f"prefect.flow-run.{state.name}", state, _labels(record, state, run_count, "flow-run"), related,
            payload, state.id, _follows(previous, state),
        )  # fmt: skip
        if state.type is StateType.RUNNING:
            end = states[i + 1].timestamp if i + 1 < len(states) else datetime.datetime.fromtimestamp(now, datetime.timezone.utc)
            yield from _heartbeats(record, server, state.timestamp + _HEARTBEAT_AFTER, end)
        previous = state


def _heartbeats(record: RunRecord, server: Store, start: datetime.datetime, end: datetime.datetime) -> Iterator[ReceivedEvent]:
    """An attempt's heartbeats: as it starts, then every 180 seconds until it ends."""
    resource = {"prefect.resource.id": f"prefect.flow-run.{record.run_id}", "prefect.resource.name": record.name,
                "prefect.version": PREFECT_VERSION}  # fmt: skip
    related = flow_run_related(record, server, with_parent=False)
    beat = start
    while beat <= end:
        yield _event("prefect.flow-run.heartbeat", beat, resource, related, {}, derived_id("heartbeat", record.run_id, beat))
        beat += datetime.timedelta(seconds=HEARTBEAT_SECONDS)


def _flow_state(state: State | None) -> dict[str, str] | None:
    """A state in a flow-run event's payload: its type, name and message (if any)."""
    if state is None:
        return None
    payload = {"type": state.type.value, "name": state.name}
    if state.message:
        payload["message"] = state.message
    return payload


def _follows(previous: State | None, state: State) -> Any:
    if previous is None or not (-TIGHT_TIMING < state.timestamp - previous.timestamp < TIGHT_TIMING):
        return None
    return previous.id


def _task_run_events(record: RunRecord, server: Store) -> Iterator[ReceivedEvent]:
    flow_run = server.find(record.flow_run_id) if record.flow_run_id else None
    own_tags = _tags(set(record.tags), [])
    if flow_run is not None:
        context = [
            {"prefect.resource.id": f"prefect.flow-run.{flow_run.run_id}", "prefect.resource.role": "flow-run",
             "prefect.resource.name": flow_run.name},
            _flow(flow_run), *_deployment(flow_run, server),
        ]  # fmt: skip
        related = own_tags + context
        related += _tags(set(flow_run.tags) | set(record.tags), related)
    else:
        related = own_tags
    previous: State | None = None
    for i, state in enumerate(record.states):
        payload = {
            "intended": {"from": previous.type.value if previous else None, "to": state.type.value},
            "initial_state": _task_state(previous) if previous else None,
            "validated_state": {**_task_state(state), "data": None},
            "task_run": _task_run_payload(record, flow_run, i),
        }
        yield _event(
            f"prefect.task-run.{state.name}", state, _labels(record, state, _run_count(record.states[: i + 1]), "task-run"),
            related, payload, state.id, _follows(previous, state),
        )  # fmt: skip
        previous = state


def _task_state(state: State) -> dict[str, Any]:
    details: dict[str, Any] = {}
    if state.is_failed():
        details["retriable"] = False
    if state.scheduled_time is not None:
        details["scheduled_time"] = state.scheduled_time.isoformat()
    return {"type": state.type.value, "name": state.name, "message": state.message or "", "state_details": details}


def _run_count(states: list[State]) -> int:
    return sum(1 for s in states if s.type is StateType.RUNNING)


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.timezone.utc).isoformat().replace("+00:00", "Z")


def _task_run_payload(record: RunRecord, flow_run: RunRecord | None, upto: int) -> dict[str, Any]:
    """The task run as the engine held it at its `upto`-th state (Prefect's payload leaves out what is None)."""
    states = record.states[: upto + 1]
    runs = [s for s in states if s.type is StateType.RUNNING]
    total = datetime.timedelta(0)
    for before, after in zip(states, states[1:]):
        if before.type is StateType.RUNNING:
            total += after.timestamp - before.timestamp
    payload: dict[str, Any] = {
        "name": record.name,
        "task_key": record.task_key,
        "dynamic_key": str(derived_id("dynamic-key", record.run_id)),
        "tags": list(record.tags),
        "labels": {},
        "task_inputs": {
            name: [{"input_type": "task_run", "id": run_id} for run_id in ids] for name, ids in record.task_inputs.items()
        },
        "run_count": len(runs),
        "flow_run_run_count": _run_count([s for s in flow_run.states if s.timestamp.timestamp() <= record.created])
        if flow_run is not None else 0,
        "expected_start_time": _iso(record.expected_start_time),
    }
    if runs:
        payload["start_time"] = _iso(runs[0].timestamp)
    if states[-1].is_final():
        payload["end_time"] = _iso(states[-1].timestamp)
    payload["total_run_time"] = total.total_seconds()
    return payload


__all__ = ["HEARTBEAT_SECONDS", "flow_run_related", "run_events"]
