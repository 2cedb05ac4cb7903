"""The client's methods for one part of Prefect's API: Variables (create_variable, read_variable_by_name, ...).

Prefect keeps them in ``prefect/client/orchestration/_variables/client.py``; the
async client (``get_client()``) gets the same methods as coroutines.
"""

from __future__ import annotations

from .base import BaseClient


class VariableClient(BaseClient):
    """Variables (create_variable, read_variable_by_name, ...)."""


__all__ = ["VariableClient"]
