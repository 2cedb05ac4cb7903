"""The client's methods for one part of Prefect's API: Flow runs, their states, and task runs (read_flow_runs, read_task_runs, ...).

Prefect keeps them in ``prefect/client/orchestration/_flow_runs/client.py``; the
async client (``get_client()``) gets the same methods as coroutines.
"""

from __future__ import annotations

from .base import BaseClient


class FlowRunClient(BaseClient):
    """Flow runs, their states, and task runs (read_flow_runs, read_task_runs, ...)."""


__all__ = ["FlowRunClient"]
