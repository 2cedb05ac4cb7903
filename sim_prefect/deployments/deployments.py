"""Prefect 2's deployment module (``prefect.deployments.deployments``): removed in Prefect 3, as there."""

from __future__ import annotations

from typing import Any

from ..exceptions import PrefectImportError

REMOVED = "`prefect.deployments.deployments:{name}` has been removed. Use `flow.serve()`, `flow.deploy()`, or `prefect deploy` instead."


def __getattr__(name: str) -> Any:
    raise PrefectImportError(REMOVED.format(name=name))
