"""``emit_event``: send an event of your own to Prefect's events system (``prefect.events.utilities``).

It returns the `Event` it sent, and the session's server keeps it (store.py),
with the resources of the run it was emitted in added to its related ones,
as Prefect's events worker adds them. An event that cannot be made (a
resource without ``prefect.resource.id``) is not raised: Prefect logs
``Error emitting event: <name>`` with the traceback and returns None. One
larger than the server takes (1.5 MB of JSON) raises ``EventTooLarge``.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
from typing import Any

from .. import current_run
from ..exceptions import EventTooLarge
from ..loggers import emit_logger_log
from ..session import session
from ..store import EventRecord, Store, flow_id, jsonable
from .schemas.events import Event, RelatedResource
from .state_changes import TIGHT_TIMING

LOGGER = "prefect.events.utilities"
MAXIMUM_SIZE_BYTES = 1_500_000  # PREFECT_SERVER_EVENTS_MAXIMUM_SIZE_BYTES's default: an event's JSON, at most


def emit_event(
    event: str,
    resource: dict[str, str],
    occurred: datetime.datetime | None = None,
    related: list[dict[str, str]] | list[RelatedResource] | None = None,
    payload: dict[str, Any] | None = None,
    id: Any = None,
    follows: Event | None = None,
    **kwargs: Any,
) -> Event | None:
    """Send an event; returns it (None if it could not be made, which is logged, as Prefect does)."""
    try:
        fields: dict[str, Any] = {"event": event, "resource": resource, **kwargs}
        if occurred is not None:
            fields["occurred"] = occurred
        if related is not None:
            fields["related"] = related
        if payload is not None:
            fields["payload"] = payload
        if id is not None:
            fields["id"] = id
        if follows is not None:
            moment = occurred if occurred is not None else datetime.datetime.fromtimestamp(session().now(), datetime.timezone.utc)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=datetime.timezone.utc)
            if -TIGHT_TIMING < moment - follows.occurred < TIGHT_TIMING:
                fields["follows"] = follows.id
        sent = Event(**fields)
        size = len(json.dumps(jsonable(sent.model_dump()), separators=(",", ":")).encode())
        maximum = int(os.environ.get("PREFECT_SERVER_EVENTS_MAXIMUM_SIZE_BYTES")
                      or os.environ.get("PREFECT_EVENTS_MAXIMUM_SIZE_BYTES") or MAXIMUM_SIZE_BYTES)  # fmt: skip
        if size > maximum:
            raise EventTooLarge(size, maximum)
    except EventTooLarge:
        raise
    except Exception as exc:
        emit_logger_log(LOGGER, logging.ERROR, f"Error emitting event: {event}", exc)
        return None
    server = session().store
    server.events.append(EventRecord(
        str(sent.id), sent.occurred.timestamp(), sent.event, dict(sent.resource.root),
        [dict(r.root) for r in sent.related] + _from_run_context(sent, server), jsonable(sent.payload),
        str(sent.follows) if sent.follows is not None else None,
    ))  # fmt: skip
    return sent


def _from_run_context(sent: Event, server: Store) -> list[dict[str, str]]:
    """What Prefect's events worker relates an event to: the flow run (and task run) it was emitted in,
    their flow and deployment, and their tags; none that the event names already."""
    ctx = current_run.current()
    if ctx is None:
        return []
    run: Any = ctx.run
    flow_run: Any = run if run.kind == "flow" else current_run.current_flow_run()
    if flow_run is None:
        return []
    related = [{"prefect.resource.id": f"prefect.flow-run.{flow_run.id}", "prefect.resource.role": "flow-run",
                "prefect.resource.name": flow_run.name}]  # fmt: skip
    tags = set(flow_run.tags)
    if run.kind == "task":
        related.append({"prefect.resource.id": f"prefect.task-run.{run.id}", "prefect.resource.role": "task-run",
                        "prefect.resource.name": run.name})  # fmt: skip
        tags |= set(run.tags)
    related.append({"prefect.resource.id": f"prefect.flow.{flow_id(flow_run.flow.name)}", "prefect.resource.role": "flow",
                    "prefect.resource.name": flow_run.flow.name})  # fmt: skip
    record = server.find(flow_run.id)
    deployment = server.deployments.get(record.deployment_id) if record is not None and record.deployment_id else None
    if deployment is not None:
        related.append({"prefect.resource.id": f"prefect.deployment.{deployment.id}",
                        "prefect.resource.role": "deployment", "prefect.resource.name": deployment.name})  # fmt: skip
    related += [{"prefect.resource.id": f"prefect.tag.{tag}", "prefect.resource.role": "tag"} for tag in sorted(tags)]
    named = {sent.resource.id, *(r.id for r in sent.related)}
    return [r for r in related if r["prefect.resource.id"] not in named]


__all__ = ["emit_event"]
