"""The current flow run (``prefect.runtime.flow_run``); inside a task, the task's flow run.

Attributes: ``id``, ``name``, ``flow_name``, ``flow_version``, ``parameters``,
``run_count``, ``tags``, ``scheduled_start_time``, ``parent_flow_run_id``,
``parent_deployment_id``, ``root_flow_run_id``, ``api_url``, ``ui_url`` and
``job_variables``. Each is computed when it is read, from the engine's run,
or from what the session's server (store.py) records of the runs around it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import current_run
from ..session import session
from ..types import DateTime
from .environment import api_url as _api_url
from .environment import lookup
from .environment import ui_url as _ui_url

__all__ = [
    "api_url", "flow_name", "flow_version", "id", "job_variables", "name", "parameters", "parent_deployment_id",
    "parent_flow_run_id", "root_flow_run_id", "run_count", "scheduled_start_time", "tags", "ui_url",
]  # fmt: skip


def _run() -> Any:
    return current_run.current_flow_run()


def _parent_flow_run_id(run_id: str | None) -> str | None:
    """The flow run that called this one as a subflow (through the task run that tracks it there)."""
    store = session().store
    record = store.find(run_id) if run_id else None
    tracker = store.find(record.parent_task_run_id) if record is not None and record.parent_task_run_id else None
    return tracker.flow_run_id if tracker is not None else None


def _parent_deployment_id() -> str | None:
    parent = _parent_flow_run_id(_id())
    record = session().store.find(parent) if parent else None
    return record.deployment_id if record is not None else None


def _root_flow_run_id() -> str | None:
    run_id = _id()
    while (parent := _parent_flow_run_id(run_id)) is not None:
        run_id = parent
    return run_id


def _id() -> str | None:
    run = _run()
    return run.id if run else None


def _scheduled_start_time() -> DateTime:
    """When the run was expected to start (its creation, for a run not scheduled ahead); outside one, now."""
    s = session()
    record = s.store.find(_id() or "")
    return DateTime.at(record.expected_start_time.timestamp() if record is not None else s.now())


def _url(base: Callable[[], str | None]) -> str | None:
    run_id = _id()
    return None if run_id is None else f"{base()}/flow-runs/flow-run/{run_id}"


_FIELDS: dict[str, Callable[[], Any]] = {
    "id": _id,
    "name": lambda: _run().name if _run() else None,
    "flow_name": lambda: _run().flow.name if _run() else None,
    "flow_version": lambda: _run().flow.version if _run() else None,
    "parameters": lambda: dict(_run().parameters) if _run() else {},
    "run_count": lambda: _run().run_count if _run() else 0,
    "tags": lambda: sorted(_run().tags) if _run() else [],
    "scheduled_start_time": _scheduled_start_time,
    "parent_flow_run_id": lambda: _parent_flow_run_id(_id()),
    "parent_deployment_id": _parent_deployment_id,
    "root_flow_run_id": _root_flow_run_id,
    "api_url": lambda: _url(_api_url),
    "ui_url": lambda: _url(_ui_url),
    "job_variables": lambda: {} if _run() else None,  # a run not started by a worker has none
}


def __getattr__(name: str) -> Any:
    return lookup("flow_run", _FIELDS, name)


def __dir__() -> list[str]:
    return sorted(__all__)
