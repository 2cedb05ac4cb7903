"""The client's methods for one part of Prefect's API: Global and tag concurrency limits.

Prefect keeps them in ``prefect/client/orchestration/_concurrency_limits/client.py``; the
async client (``get_client()``) gets the same methods as coroutines.
"""

from __future__ import annotations

from .base import BaseClient


class ConcurrencyLimitClient(BaseClient):
    """Global and tag concurrency limits."""


__all__ = ["ConcurrencyLimitClient"]
