"""The server's side of a flow run: states it sets itself, pauses and resumes, and the input a run waits for.

- `take_state`: the server records a state for a run that no engine in this
  session is driving at that moment (Scheduled, Late, Pending, Submitting,
  Resuming, a resume's Running, an expired pause's Failed).
- Pauses (`start_pause`, `resume`): a paused run's pause (its key, timeout,
  and the keys of the input it waits for) is kept in ``store.pauses``; its
  input's schema, description and response in ``store.flow_run_inputs``, as
  Prefect keeps flow run inputs. `resume` validates the response against the
  schema as Prefect's server does, refusing with the same reasons.
- `expire_pauses`: Prefect's pause-expiration service (every 5 seconds) fails a
  run whose pause ran out: ``The flow was paused and never resumed.``
- `mark_late_runs`: Prefect's late-runs service marks a scheduled run nobody
  picked up 15 seconds after its time as ``Late``.
- `pending_input` / `resume_with`: what the page needs to show a paused run's
  form and to resume it with what was typed (errors come back as data).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from .. import _msgs
from ..flow_engine import mirror_state
from ..run_events import StateChanged
from ..session import Session
from ..states import Failed, State, StateType
from ..store import PauseRecord, RunRecord
from ..utilities import schema_tools

UTC = dt.timezone.utc
# Prefect's server settings (PREFECT_SERVER_SERVICES_*), their defaults.
LATE_RUNS_AFTER = 15.0
PAUSE_EXPIRATIONS_LOOP = 5.0


def stamp(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, UTC)


def take_state(s: Session, record: RunRecord, state: State, at: float | None = None) -> State:
    """The server records `state` for the run (at session time `at`, default now; after its last state)."""
    moment = stamp(s.now() if at is None else at)
    last = record.state
    if last is not None and moment <= last.timestamp:
        moment = last.timestamp + dt.timedelta(microseconds=1)
    taken = State(
        state.type, state.name, state.message, moment, state.data, state.scheduled_time,
        record.run_id, record.kind, record.flow_run_id,
    )  # fmt: skip
    s.emit(StateChanged(record.run_id, taken))
    if record.parent_task_run_id is not None and record.kind == "flow":
        mirror_state(s, record.parent_task_run_id, taken)  # a deployment subflow's task run follows along
    return taken


# -- services -------------------------------------------------------------------------------------


def mark_late_runs(s: Session) -> None:
    """Scheduled runs still waiting `LATE_RUNS_AFTER` seconds past their time become ``Late``."""
    now = s.now()
    for record in s.store.runs:
        state = record.state
        if record.kind != "flow" or record.deployment_id is None or state is None:
            continue  # an engine's own AwaitingRetry is not the service's business
        if state.type is not StateType.SCHEDULED or state.name != "Scheduled" or state.scheduled_time is None:
            continue
        late_at = state.scheduled_time.timestamp() + LATE_RUNS_AFTER
        if late_at <= now:
            take_state(s, record, State(StateType.SCHEDULED, "Late", scheduled_time=state.scheduled_time), at=late_at)


def expire_pauses(s: Session) -> None:
    """Runs whose pause ran out fail, as Prefect's pause-expiration service fails them (its loop's delay)."""
    now = s.now()
    for run_id, pause in list(s.store.pauses.items()):
        record = s.store.find(run_id)
        if record is None or record.state is None or not record.state.is_paused():
            continue
        if pause.timeout is not None and pause.timeout + PAUSE_EXPIRATIONS_LOOP <= now:
            take_state(s, record, Failed(message=_msgs.NEVER_RESUMED.format(state="paused")),
                       at=pause.timeout + PAUSE_EXPIRATIONS_LOOP)  # fmt: skip


def pause_expired(s: Session, record: RunRecord) -> bool:
    """Is the run paused, with its pause's time over? (Any state proposed for it then fails it.)"""
    pause = s.store.pauses.get(record.run_id)
    state = record.state
    return (
        pause is not None and state is not None and state.is_paused()
        and pause.timeout is not None and s.now() >= pause.timeout
    )  # fmt: skip


# -- pauses ---------------------------------------------------------------------------------------


def keyset(state_name: str, pause_key: str) -> dict[str, str]:
    """Where a pause's input is kept: ``paused-1-schema`` and so on (Prefect's ``keyset_from_paused_state``)."""
    base = f"{state_name.lower()}-{pause_key}"
    return {"description": f"{base}-description", "response": f"{base}-response", "schema": f"{base}-schema"}


def start_pause(s: Session, record: RunRecord, pause: PauseRecord) -> None:
    s.store.pauses[record.run_id] = pause


def write_input(s: Session, run_id: str, key: str, value: Any) -> None:
    s.store.flow_run_inputs.setdefault(run_id, {})[key] = json.dumps(value)


def read_input(s: Session, run_id: str, key: str) -> Any:
    """A flow run input's value (None if there is none)."""
    raw = s.store.flow_run_inputs.get(run_id, {}).get(key)
    return None if raw is None else json.loads(raw)


@dataclass(frozen=True)
class Resumed:
    """What a resume request got: accepted, or refused with Prefect's reason (``status``: ACCEPT, REJECT, ABORT)."""

    status: str
    reason: str | None = None


def resume(s: Session, record: RunRecord, run_input: dict[str, Any] | None) -> Resumed:
    """Prefect's resume endpoint: check the input against the schema the run waits with, then let it go on."""
    state = record.state
    if state is None or not state.is_paused():
        return Resumed("ABORT", "Cannot resume a flow run that is not paused.")
    pause = s.store.pauses.get(record.run_id)
    keys = pause.keyset if pause is not None else None
    if keys:
        run_input = run_input or {}
        schema = read_input(s, record.run_id, keys["schema"])
        if schema is None:
            return Resumed("REJECT", "Run input schema not found.")
        problem = schema_tools.validate(run_input, schema)
        if problem is not None:
            return Resumed("REJECT", f"Reason: {problem}")
    if pause_expired(s, record):
        # The server's rule for any state proposed after the pause ran out (its name: the proposed state's).
        take_state(s, record, Failed(message=_msgs.NEVER_RESUMED.format(state="running")))
        return Resumed("REJECT", "pause expired")
    if pause is not None and pause.reschedule:
        take_state(s, record, State(StateType.SCHEDULED, "Resuming", scheduled_time=stamp(s.now())))
    else:
        take_state(s, record, State(StateType.RUNNING, "Running"))
    if keys and run_input:
        write_input(s, record.run_id, keys["response"], run_input)
    return Resumed("ACCEPT")


# -- for the page: a paused run's form ---------------------------------------------------------


def pending_input(s: Session, run_id: str) -> dict[str, Any] | None:
    """What a paused run waits for, to draw its form: None if it is not paused.

    ``{"run_id", "state", "schema" (JSON schema, or None without input), "description" (Markdown or None),
    "fields": [{"name", "type", "title", "default", "required", "description", "enum"}]}``.
    """
    record = s.store.find(run_id)
    if record is None or record.state is None or not record.state.is_paused():
        return None
    pause = s.store.pauses.get(run_id)
    keys = pause.keyset if pause is not None else None
    schema = read_input(s, run_id, keys["schema"]) if keys else None
    description = read_input(s, run_id, keys["description"]) if keys else None
    fields = []
    if schema:
        required = set(schema.get("required", []))
        for name, prop in schema.get("properties", {}).items():
            fields.append({
                "name": name, "type": prop.get("type") or [o.get("type") for o in prop.get("anyOf", [])],
                "title": prop.get("title", name), "default": prop.get("default"), "required": name in required,
                "description": prop.get("description"), "enum": prop.get("enum"),
            })  # fmt: skip
    return {"run_id": run_id, "state": record.state.name, "schema": schema, "description": description, "fields": fields}


def resume_with(s: Session, run_id: str, values: dict[str, Any] | None) -> list[str]:
    """Resume a paused run with the values of its form: [] when it goes on, else the reasons it was refused."""
    record = s.store.find(run_id)
    if record is None:
        return [f"No flow run {run_id}"]
    result = resume(s, record, values)
    if result.status == "ACCEPT":
        return []
    return [result.reason or result.status]


__all__ = [
    "LATE_RUNS_AFTER", "Resumed", "expire_pauses", "keyset", "mark_late_runs", "pause_expired", "pending_input",
    "read_input", "resume", "resume_with", "start_pause", "take_state", "write_input",
]  # fmt: skip
