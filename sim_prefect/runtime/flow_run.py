"""The current flow run (``prefect.runtime.flow_run``); inside a task, the task's flow run.

Attributes: ``id``, ``name``, ``flow_name``, ``parameters``, ``run_count``,
``tags``, ``parent_flow_run_id``. Each is computed when it is read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import current_run
from .environment import lookup

__all__ = ["flow_name", "id", "name", "parameters", "parent_flow_run_id", "run_count", "tags"]


def _run() -> Any:
    return current_run.current_flow_run()


def _parent_flow_run_id() -> str | None:
    run = _run()
    parent = getattr(run, "parent", None) if run is not None else None
    return parent.flow_run.id if parent is not None else None


_FIELDS: dict[str, Callable[[], Any]] = {
    "id": lambda: _run().id if _run() else None,
    "name": lambda: _run().name if _run() else None,
    "flow_name": lambda: _run().flow.name if _run() else None,
    "parameters": lambda: dict(_run().parameters) if _run() else {},
    "run_count": lambda: _run().run_count if _run() else 0,
    "tags": lambda: sorted(_run().tags) if _run() else [],
    "parent_flow_run_id": _parent_flow_run_id,
}


def __getattr__(name: str) -> Any:
    return lookup("flow_run", _FIELDS, name)


def __dir__() -> list[str]:
    return sorted(__all__)
