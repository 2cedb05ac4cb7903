"""The server's side of deployments: keeping them, scheduling their runs, making a run from one, pausing them.

- `apply`: create or update a deployment by its flow's name and its own name
  (``flow.serve``, ``to_deployment(...).apply()``), as Prefect's server upserts
  it; new schedules replace the old ones, whose future runs go.
- `schedule_runs`: Prefect's scheduler service. For each active schedule of a
  deployment that is not paused, runs are created ahead: from now, at least 3
  and at least an hour ahead, at most 100 and at most 100 days ahead (its
  defaults). Each is auto-scheduled, tagged ``auto-scheduled`` and the
  deployment's tags, its parameters the schedule's over the deployment's, in
  ``Scheduled('Flow run scheduled')`` at its time.
- `create_flow_run`: the one way to run a deployment on request
  (``run_deployment``, ``prefect deployment run``, the page): parameters
  merged over the deployment's and, unless the deployment says not to,
  checked against the flow's parameter schema (the server's 409); tags the
  deployment's and the caller's; ``Scheduled`` at the requested time.
- `pause` / `unpause`: a paused deployment creates no runs, and its future
  auto-scheduled runs are deleted (what serve's shutdown does).
- `catch_up`: every service at once, up to now (the serving loop calls it
  on each poll; so do run_deployment's waits).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from .. import _msgs, names
from ..client.schemas.schedules import schedule_from_dict
from ..exceptions import InvalidNameError, ObjectNotFound, PrefectHTTPStatusError
from ..run_events import RunCreated
from ..session import STEP_COST, Session
from ..states import State, StateType
from ..store import Deployment, RunRecord, flow_id, jsonable
from ..utilities import schema_tools
from .flow_runs import expire_pauses, mark_late_runs, stamp, take_state

# Prefect's scheduler settings (PREFECT_SERVER_SERVICES_SCHEDULER_*), their defaults.
MIN_RUNS = 3
MAX_RUNS = 100
MIN_SCHEDULED_TIME = 3600.0
MAX_SCHEDULED_TIME = 100 * 86400.0


# -- reading -----------------------------------------------------------------------------------


def find(s: Session, flow_name: str, name: str) -> Deployment | None:
    return next((d for d in s.store.deployments.values() if d.flow_name == flow_name and d.name == name), None)


def read_by_name(s: Session, full_name: str) -> Deployment:
    """The deployment ``flow/deployment``, or the server's 404 (``ObjectNotFound``, whose text is 'None')."""
    flow_name, _, name = full_name.partition("/")
    found = find(s, flow_name, name)
    if found is None:
        path = f"/deployments/name/{flow_name}/{name}"
        raise ObjectNotFound(http_exc=PrefectHTTPStatusError.of(404, path, "Deployment not found"))
    return found


def read(s: Session, deployment_id: str) -> Deployment:
    found = s.store.deployments.get(str(deployment_id))
    if found is None:
        raise ObjectNotFound(http_exc=PrefectHTTPStatusError.of(404, f"/deployments/{deployment_id}", "Deployment not found"))
    return found


# -- writing -----------------------------------------------------------------------------------


def apply(s: Session, flow_name: str, name: str, **fields: Any) -> Deployment:
    """Create the deployment, or update the one of that flow and name; its runs are scheduled at once."""
    s.clock.charge(STEP_COST)  # the server's work takes time: its runs start after it, as Prefect's scheduler's do
    now = s.now()
    found = find(s, flow_name, name)
    schedules = [dict(entry) for entry in fields.pop("schedules", [])]
    for entry in schedules:
        entry.setdefault("id", s.new_id())
        entry.setdefault("created", now)
    if found is None:
        deployment = Deployment(
            id=s.new_id(), name=name, flow_name=flow_name, flow_id=flow_id(flow_name), created=now, updated=now,
            schedules=schedules, **fields,
        )  # fmt: skip
        s.store.deployments[deployment.id] = deployment
    else:
        deployment = found
        if _schedule_kinds(found.schedules) != _schedule_kinds(schedules):
            _delete_future_runs(s, deployment)  # Prefect drops the old schedules' runs with them
        else:
            for old, new in zip(found.schedules, schedules):
                new["id"], new["created"] = old["id"], old["created"]
        for key, value in fields.items():
            setattr(deployment, key, value)
        deployment.schedules = schedules
        deployment.updated = now
    schedule_runs(s, deployment)
    return deployment


def _schedule_kinds(schedules: Iterable[dict[str, Any]]) -> list[Any]:
    return [(e["schedule"], e.get("parameters"), e.get("active"), e.get("slug")) for e in schedules]


def pause(s: Session, deployment: Deployment) -> None:
    """Paused: no more runs are scheduled, and the ones scheduled ahead are deleted."""
    deployment.paused = True
    deployment.updated = s.now()
    _delete_future_runs(s, deployment)


def unpause(s: Session, deployment: Deployment) -> None:
    deployment.paused = False
    deployment.updated = s.now()
    schedule_runs(s, deployment)


def _delete_future_runs(s: Session, deployment: Deployment) -> None:
    for record in s.store.runs:
        state = record.state
        if (record.deployment_id == deployment.id and record.auto_scheduled and state is not None
                and state.type is StateType.SCHEDULED):  # fmt: skip
            s.store.delete_run(record.run_id)


# -- runs ----------------------------------------------------------------------------------------


def _new_run(
    s: Session, deployment: Deployment, parameters: dict[str, Any], tags: list[str], when: float,
    state: State, name: str | None = None, parent_id: str | None = None, parent_task_run_id: str | None = None,
) -> RunRecord:  # fmt: skip
    run_id = s.new_id()
    run_name = name or names.flow_run_name(s.rng)
    event = RunCreated(run_id, "flow", run_name, deployment.flow_name, parent_id, s.now())
    event.parameters = jsonable(parameters)
    event.tags = tuple(tags)
    event.deployment_id = deployment.id
    event.expected_start = when  # no flow version until a process runs it (the engine reports it then)
    event.parent_task_run_id = parent_task_run_id
    s.emit(event)
    record = s.store.get(run_id)
    record.deployment_version = deployment.version
    record.work_queue_name = deployment.work_queue_name
    take_state(s, record, state)
    return record


def _dates_wanted(schedule: Any, most: int, start: dt.datetime, now: float) -> list[dt.datetime]:
    """The schedule's next dates until both minimums are met (the date that meets them kept, as Prefect keeps
    it), at most `most` and at most 100 days ahead. The dates are asked for a few at a time (each ask a prefix
    of the next), so a poll on a daily schedule does not compute a hundred of them."""
    end = stamp(now + MAX_SCHEDULED_TIME)
    n = MIN_RUNS
    while True:
        asked = min(n, most)
        dates: list[dt.datetime] = schedule.get_dates(n=asked, start=start, end=end)
        for i, date in enumerate(dates):
            if i + 1 >= MIN_RUNS and date.timestamp() >= now + MIN_SCHEDULED_TIME:
                return dates[: i + 1]
        if len(dates) < asked or asked >= most:
            return dates
        n *= 4


def schedule_runs(s: Session, deployment: Deployment) -> list[RunRecord]:
    """Prefect's scheduler service for one deployment: its runs ahead, as many as its settings ask for."""
    if deployment.paused:
        return []
    now = s.now()
    made: list[RunRecord] = []
    for entry in deployment.schedules:
        if not entry.get("active", True):
            continue
        schedule = schedule_from_dict(entry["schedule"])
        # Dates after now only: Prefect's anchor (an Interval's default: when it was made) lies a request's
        # latency before its server's scheduler looks; on the page's coarse clock it can be this very moment,
        # which must neither become a run nor count towards the minimum.
        start = stamp(now) + dt.timedelta(microseconds=1)
        most = entry.get("max_scheduled_runs") or MAX_RUNS
        wanted = _dates_wanted(schedule, most, start, now)
        existing = {r.idempotency_key for r in s.store.runs if r.deployment_id == deployment.id and r.auto_scheduled}
        for date in wanted:
            key = f"scheduled {deployment.id} {entry['id']} {date.astimezone(dt.timezone.utc).isoformat()}"
            if key in existing:
                continue
            parameters = {**deployment.parameters, **entry.get("parameters", {})}
            scheduled = State(StateType.SCHEDULED, "Scheduled", _msgs.SCHEDULED_BY_SCHEDULER,
                              scheduled_time=date.astimezone(dt.timezone.utc))  # fmt: skip
            record = _new_run(s, deployment, parameters, ["auto-scheduled", *deployment.tags], date.timestamp(), scheduled)
            record.auto_scheduled = True
            record.idempotency_key = key
            record.created_by = {"id": entry["id"], "type": "SCHEDULE", "display_value": entry.get("slug")
                                 or type(schedule).__name__}  # fmt: skip
            made.append(record)
    return made


def create_flow_run(
    s: Session,
    deployment: Deployment,
    parameters: dict[str, Any] | None = None,
    *,
    tags: Iterable[str] = (),
    scheduled_time: dt.datetime | None = None,
    name: str | None = None,
    idempotency_key: str | None = None,
    parent_id: str | None = None,
    parent_task_run_id: str | None = None,
    work_queue_name: str | None = None,
    job_variables: dict[str, Any] | None = None,
) -> RunRecord:
    """A run of the deployment, made on request: Prefect's ``create_flow_run_from_deployment`` endpoint."""
    if idempotency_key is not None:
        for record in s.store.runs:
            if record.deployment_id == deployment.id and record.idempotency_key == idempotency_key:
                return record  # the server hands back the run it made for this key
    merged = {**deployment.parameters, **(parameters or {})}
    if deployment.enforce_parameter_schema and deployment.parameter_schema:
        problem = schema_tools.validate(jsonable(merged), deployment.parameter_schema)
        if problem is not None:
            raise PrefectHTTPStatusError.of(
                409, f"/deployments/{deployment.id}/create_flow_run", _msgs.RUN_CREATION_FAILED.format(reason=problem)
            )
    if work_queue_name is not None and deployment.work_pool_name is None:
        raise PrefectHTTPStatusError.of(400, f"/deployments/{deployment.id}/create_flow_run", (
            f"Cannot create flow run in work queue {work_queue_name} because deployment {deployment.id} is not "
            "associated with a work pool. Please remove work_pool_name and try again."
        ))  # fmt: skip
    when = scheduled_time.timestamp() if scheduled_time is not None else s.now()
    state = State(StateType.SCHEDULED, "Scheduled", scheduled_time=stamp(when))
    record = _new_run(
        s, deployment, merged, sorted({*deployment.tags, *tags}), when, state, name, parent_id, parent_task_run_id
    )
    record.idempotency_key = idempotency_key
    record.job_variables = dict(job_variables or {})
    return record


def catch_up(s: Session) -> None:
    """Every service of the server, up to now: runs scheduled ahead, late runs marked, expired pauses failed."""
    for deployment in list(s.store.deployments.values()):
        schedule_runs(s, deployment)
    mark_late_runs(s)
    expire_pauses(s)


def check_name(name: str) -> None:
    """Prefect's rule for a deployment's name (its InvalidNameError)."""
    if any(c in name for c in _msgs.BANNED_NAME_CHARACTERS):
        raise InvalidNameError(_msgs.INVALID_NAME.format(name=name, banned=_msgs.BANNED_NAME_CHARACTERS))


__all__ = [
    "MAX_RUNS", "MIN_RUNS", "apply", "catch_up", "check_name", "create_flow_run", "find", "pause", "read",
    "read_by_name", "schedule_runs", "unpause",
]  # fmt: skip
