"""Deployments (``prefect.deployments``): `run_deployment`, `arun_deployment` and `deploy`.

A deployment is made with ``flow.to_deployment()`` or ``flow.serve()``
(runner.py, ../runner/runner.py); this package runs one on request
(flow_runs.py). Prefect 2's ``Deployment`` class is gone in Prefect 3: asking
for it raises Prefect's own ``PrefectImportError``.
"""

from __future__ import annotations

from typing import Any

from ..exceptions import PrefectImportError, not_imitated
from .flow_runs import arun_deployment, run_deployment
from .runner import deploy

REMOVED = "`{module}:{name}` has been removed. Use `flow.serve()`, `flow.deploy()`, or `prefect deploy` instead."


def initialize_project(*args: Any, **kwargs: Any) -> None:
    raise not_imitated("project recipes (prefect.yaml)", "initialize_project()")


def __getattr__(name: str) -> Any:
    if name == "Deployment":
        raise PrefectImportError(REMOVED.format(module="prefect.deployments", name=name))
    raise AttributeError(f"module 'prefect.deployments' has no attribute {name!r}")


__all__ = ["arun_deployment", "deploy", "initialize_project", "run_deployment"]
