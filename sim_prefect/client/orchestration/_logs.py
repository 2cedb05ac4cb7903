"""The client's methods for one part of Prefect's API: Logs (read_logs).

Prefect keeps them in ``prefect/client/orchestration/_logs/client.py``; the
async client (``get_client()``) gets the same methods as coroutines.
"""

from __future__ import annotations

from .base import BaseClient


class LogClient(BaseClient):
    """Logs (read_logs)."""


__all__ = ["LogClient"]
