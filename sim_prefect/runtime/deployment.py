"""The current deployment (``prefect.runtime.deployment``).

In a deployment's run (one a served process runs: runner/runner.py) these
are the deployment's ``id`` (text), ``name`` and ``version``, the run's id,
and ``parameters``: the run's parameters as the server keeps them (the
deployment's and the run's own, without the flow's defaults). In a run
started by calling the flow, as in Prefect: None, and the flow run's
parameters for ``parameters``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import current_run
from ..session import session
from ..store import Deployment
from .environment import lookup

__all__ = ["flow_run_id", "id", "name", "parameters", "version"]


def _deployment() -> Deployment | None:
    run = current_run.current_flow_run()
    record = session().store.find(run.id) if run is not None else None
    if record is None or record.deployment_id is None:
        return None
    return session().store.deployments.get(record.deployment_id)


def _parameters() -> dict[str, Any]:
    run = current_run.current_flow_run()
    if run is None:
        return {}
    if _deployment() is not None:
        return dict(session().store.get(run.id).parameters)
    return dict(run.parameters)


def _flow_run_id() -> str | None:
    run = current_run.current_flow_run()
    return run.id if run is not None else None


_FIELDS: dict[str, Callable[[], Any]] = {
    "id": lambda: d.id if (d := _deployment()) is not None else None,
    "flow_run_id": _flow_run_id,
    "name": lambda: d.name if (d := _deployment()) is not None else None,
    "parameters": _parameters,
    "version": lambda: d.version if (d := _deployment()) is not None else None,
}


def __getattr__(name: str) -> Any:
    return lookup("deployment", _FIELDS, name)


def __dir__() -> list[str]:
    return sorted(__all__)
