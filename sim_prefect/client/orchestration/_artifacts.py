"""The client's methods for one part of Prefect's API: Artifacts (read_artifacts).

Prefect keeps them in ``prefect/client/orchestration/_artifacts/client.py``; the
async client (``get_client()``) gets the same methods as coroutines.
"""

from __future__ import annotations

from .base import BaseClient


class ArtifactClient(BaseClient):
    """Artifacts (read_artifacts)."""


__all__ = ["ArtifactClient"]
