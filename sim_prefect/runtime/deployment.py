"""The current deployment (``prefect.runtime.deployment``).

Runs here never come from a deployment (there is no server), so every
attribute has Prefect's value for a run started by calling the flow: None, or
the flow run's parameters for ``parameters``, as Prefect falls back to them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import current_run
from .environment import lookup

__all__ = ["flow_run_id", "id", "name", "parameters", "version"]


def _parameters() -> dict[str, Any]:
    run = current_run.current_flow_run()
    return dict(run.parameters) if run is not None else {}


def _flow_run_id() -> str | None:
    run = current_run.current_flow_run()
    return run.id if run is not None else None


_FIELDS: dict[str, Callable[[], Any]] = {
    "id": lambda: None,
    "flow_run_id": _flow_run_id,
    "name": lambda: None,
    "parameters": _parameters,
    "version": lambda: None,
}


def __getattr__(name: str) -> Any:
    return lookup("deployment", _FIELDS, name)


def __dir__() -> list[str]:
    return sorted(__all__)
