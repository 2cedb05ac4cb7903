"""The current task run (``prefect.runtime.task_run``).

Attributes: ``id``, ``name``, ``task_name``, ``parameters``, ``run_count``,
``tags``, ``api_url`` and ``ui_url``. Each is computed when it is read; outside a task run they are empty.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import current_run
from .environment import api_url as _api_url
from .environment import lookup
from .environment import ui_url as _ui_url

__all__ = ["api_url", "id", "name", "parameters", "run_count", "tags", "task_name", "ui_url"]


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
    "api_url": lambda: _url(_api_url),
    "ui_url": lambda: _url(_ui_url),
}


def _url(base: Callable[[], str | None]) -> str | None:
    """The task run's page, when there is an address to give it (Prefect's: none without one)."""
    root, run = base(), _run()
    return f"{root}/runs/task-run/{run.id}" if root is not None and run is not None else None


def __getattr__(name: str) -> Any:
    return lookup("task_run", _FIELDS, name)


def __dir__() -> list[str]:
    return sorted(__all__)
