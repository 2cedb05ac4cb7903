"""The client's methods for one part of Prefect's API: Deployments and their runs (read_deployment_by_name, create_flow_run_from_deployment, ...).

Prefect keeps them in ``prefect/client/orchestration/_deployments/client.py``; the
async client (``get_client()``) gets the same methods as coroutines.
"""

from __future__ import annotations

from .base import BaseClient


class DeploymentClient(BaseClient):
    """Deployments and their runs (read_deployment_by_name, create_flow_run_from_deployment, ...)."""


__all__ = ["DeploymentClient"]
