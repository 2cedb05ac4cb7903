"""The client's methods for one part of Prefect's API: Block documents (read_block_document_by_name, ...).

Prefect keeps them in ``prefect/client/orchestration/_blocks/client.py``; the
async client (``get_client()``) gets the same methods as coroutines.
"""

from __future__ import annotations

from .base import BaseClient


class BlockClient(BaseClient):
    """Block documents (read_block_document_by_name, ...)."""


__all__ = ["BlockClient"]
