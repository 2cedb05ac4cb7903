"""The client's methods for one part of Prefect's API: Events (read_events): emitted ones, and every run's state changes.

Prefect keeps them in ``prefect/client/orchestration/_events/client.py``; the
async client (``get_client()``) gets the same methods as coroutines.
"""

from __future__ import annotations

from .base import BaseClient


class EventClient(BaseClient):
    """Events (read_events): emitted ones, and every run's state changes."""


__all__ = ["EventClient"]
