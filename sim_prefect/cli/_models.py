"""Prefect's API objects as its CLI prints them: every field, in Prefect's order, pretty or as JSON.

``prefect flow-run inspect`` prints ``Pretty(flow_run)``; with ``-o json`` it prints
``flow_run.model_dump(mode="json")``. Both show Prefect's models, whose fields
sim_prefect's client objects only partly carry. Here each model is written
out field by field, in Prefect 3.9.1's order (``prefect/client/schemas``),
from what the store knows:

- `pretty` is what rich shows through the models' ``__rich_repr__``
  (prefect/_internal/schemas/bases.py): a field equal to its default is left
  out (a field with a default *factory* has no default there, so ``tags=[]``
  stays), and a field annotated ``UUID`` is shown as its text;
- `dump` is pydantic's JSON mode: ids and times as text (``...Z`` for UTC),
  durations in seconds, enums as their values, sets as lists.
"""

from __future__ import annotations

import datetime
import enum
import uuid
from dataclasses import dataclass, field
from typing import Any

from ..client.schemas.objects import FlowRun, Log, derived_id
from ..states import State, StateType
from ..types import DateTime
from ._pretty import Fields

_REQUIRED: Any = type("PydanticUndefined", (), {"__eq__": lambda self, other: False, "__hash__": None})()
_ZERO = datetime.timedelta(0)


@dataclass
class Raw:
    """A value whose repr is given (``datetime.datetime(..., tzinfo=TzInfo(0))``, as pydantic makes it)."""

    text: str
    value: Any

    def __repr__(self) -> str:
        return self.text


@dataclass
class Model:
    """A model's fields: (name, value, default, shown as text because annotated ``UUID``)."""

    name: str
    fields: list[tuple[str, Any, Any, bool]] = field(default_factory=list)

    def add(self, name: str, value: Any, default: Any = _REQUIRED, text: bool = False) -> Model:
        self.fields.append((name, value, default, text))
        return self


def pretty(value: Any) -> Any:
    """What rich's Pretty shows for a model (and what is inside it)."""
    if isinstance(value, Model):
        shown = []
        for name, child, default, text in value.fields:
            if default == child:
                continue
            shown.append((name, str(child) if text and child else pretty(child)))
        return Fields(value.name, shown)
    if isinstance(value, dict):
        return {k: pretty(v) for k, v in value.items()}
    if isinstance(value, list):
        return [pretty(v) for v in value]
    return value


def dump(value: Any) -> Any:
    """pydantic's ``model_dump(mode="json")``."""
    if isinstance(value, Model):
        return {name: dump(child) for name, child, _, _ in value.fields}
    if isinstance(value, Raw):
        return dump(value.value)
    if isinstance(value, dict):
        return {str(k): dump(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [dump(v) for v in value]
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime.datetime):
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _pydantic_time(moment: datetime.datetime) -> Raw:
    """A state's timestamp: a plain datetime in pydantic's UTC (``TzInfo(0)``)."""
    us = f", {moment.microsecond}" if moment.microsecond else ""
    m = moment.astimezone(datetime.timezone.utc)
    text = f"datetime.datetime({m.year}, {m.month}, {m.day}, {m.hour}, {m.minute}, {m.second}{us}, tzinfo=TzInfo(0))"
    return Raw(text, m)


def _time(moment: datetime.datetime | None) -> DateTime | None:
    return None if moment is None else DateTime.at(moment.timestamp())


def state_details(state: State, flow_run_id: uuid.UUID, by_server: bool = False) -> Model:
    """What Prefect's engine and server put in a flow run's state's details (`by_server`: a deployment's run
    as the server made it, ``Scheduled``: not deferred, and no transition, which only a client's proposal has)."""
    scheduled = _time(state.scheduled_time) if state.is_scheduled() else None
    completed = state.type is StateType.COMPLETED
    details = Model("StateDetails")
    details.add("flow_run_id", flow_run_id, None).add("task_run_id", None, None).add("child_flow_run_id", None, None)
    details.add("scheduled_time", scheduled, None).add("cache_key", None, None).add("cache_expiration", None, None)
    details.add("deferred", False if by_server else None, None).add("untrackable_result", completed, False)
    details.add("pause_timeout", None, None)
    details.add("pause_reschedule", False, False).add("pause_key", None, None).add("run_input_keyset", None, None)
    details.add("refresh_cache", None, None).add("retriable", False if state.is_failed() else None, None)
    details.add("transition_id", None if by_server else derived_id("transition", state.id), None)
    details.add("task_parameters_id", None, None)
    details.add("traceparent", None, None).add("deployment_concurrency_lease_id", None, None)
    return details


def state_model(state: State, flow_run_id: uuid.UUID, by_server: bool = False) -> Model:
    model = Model("State").add("id", state.id, text=True).add("created", None, None).add("updated", None, None)
    model.add("type", state.type).add("name", state.name, None).add("timestamp", _pydantic_time(state.timestamp))
    model.add("message", state.message, None).add("state_details", state_details(state, flow_run_id, by_server))
    return model.add("data", None, None)


def flow_run_model(run: FlowRun) -> Model:
    """Prefect's ``FlowRun``, from the client's."""
    started = run.run_count > 0
    policy = Model("FlowRunPolicy").add("max_retries", 0, 0).add("retry_delay_seconds", 0.0, 0)
    policy.add("retries", 0 if started else None, None).add("retry_delay", 0 if started else None, None)
    policy.add("pause_keys", set()).add("resuming", False, False).add("retry_type", None, None)
    state = run.state
    model = Model("FlowRun")
    for name, default, text in (
        ("id", _REQUIRED, True), ("created", None, False), ("updated", None, False), ("name", _REQUIRED, False),
        ("flow_id", _REQUIRED, True), ("state_id", None, False), ("deployment_id", None, False),
        ("deployment_version", None, False), ("work_queue_name", None, False), ("flow_version", None, False),
        ("parameters", _REQUIRED, False), ("idempotency_key", None, False), ("context", _REQUIRED, False),
    ):  # fmt: skip
        model.add(name, getattr(run, name, default if default is not _REQUIRED else None), default, text)
    model.add("empirical_policy", policy)
    for name, default in (
        ("tags", _REQUIRED), ("labels", _REQUIRED), ("parent_task_run_id", None), ("run_count", 0),
        ("expected_start_time", None), ("next_scheduled_start_time", None), ("start_time", None), ("end_time", None),
        ("total_run_time", _ZERO), ("estimated_run_time", _ZERO), ("estimated_start_time_delta", _ZERO),
        ("auto_scheduled", False), ("infrastructure_document_id", None), ("infrastructure_pid", None),
        ("created_by", None), ("work_queue_id", None), ("work_pool_id", None), ("work_pool_name", None),
    ):  # fmt: skip
        model.add(name, getattr(run, name, None if default is _REQUIRED else default), default)
    # A deployment's run that has not started is in the Scheduled state the server made it with.
    by_server = run.deployment_id is not None and run.run_count == 0 and state is not None and state.is_scheduled()
    model.add("state", state_model(state, run.id, by_server) if state is not None else None, None)
    model.add("job_variables", dict(getattr(run, "job_variables", {}) or {}), None)
    return model.add("state_type", run.state_type, None).add("state_name", run.state_name, None)


def log_model(log: Log) -> Model:
    model = Model("Log")
    for name in ("id", "created", "updated", "name", "level", "message", "timestamp", "flow_run_id", "task_run_id"):
        model.add(name, getattr(log, name))
    return model


def simple_model(name: str, obj: Any, fields: tuple[str, ...], defaults: dict[str, Any] | None = None) -> Model:
    """A model whose fields the client's object carries as they are (id shown as text)."""
    model = Model(name)
    for field_name in fields:
        default = (defaults or {}).get(field_name, None if field_name in ("created", "updated") else _REQUIRED)
        model.add(field_name, getattr(obj, field_name), default, field_name == "id")
    return model


__all__ = ["Model", "Raw", "dump", "flow_run_model", "log_model", "pretty", "simple_model", "state_model"]
