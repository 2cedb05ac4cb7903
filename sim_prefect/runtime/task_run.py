"""The current task run (``prefect.runtime.task_run``).

Attributes: ``id``, ``name``, ``task_name``, ``parameters``, ``run_count``,
``tags``. Each is computed when it is read; outside a task run they are empty.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import current_run
from .environment import lookup

__all__ = ["id", "name", "parameters", "run_count", "tags", "task_name"]


def _run() -> Any:
    ctx = current_run.current()
    return ctx.run if ctx is not None and ctx.run.kind == "task" else None


_FIELDS: dict[str, Callable[[], Any]] = {
    "id": lambda: _run().id if _run() else None,
    "name": lambda: _run().name if _run() else None,
    "task_name": lambda: _run().task.name if _run() else None,
    "parameters": lambda: dict(_run().parameters) if _run() else {},
    "run_count": lambda: _run().run_count if _run() else 0,
    "tags": lambda: sorted(_run().tags) if _run() else [],
}


def __getattr__(name: str) -> Any:
    return lookup("task_run", _FIELDS, name)


def __dir__() -> list[str]:
    return sorted(__all__)
