"""The client's methods for one part of Prefect's API: artifacts (read_artifacts).

Prefect keeps them in ``prefect/client/orchestration/_artifacts/client.py``; the
async client (``get_client()``) gets the same methods as coroutines. A
progress artifact shows its latest value; the default order is the server's
``ID_DESC``.
"""

from __future__ import annotations

from ...run_events import ArtifactUpdated
from ..schemas.filters import ArtifactFilter, FlowRunFilter, TaskRunFilter
from ..schemas.objects import Artifact
from ..schemas.sorting import ArtifactSort
from ._flow_runs import FlowRunClient, checked, ordered
from .base import paged

_ARTIFACT_ORDERS = {
    ArtifactSort.CREATED_DESC: [(lambda a: a.created, True)],
    ArtifactSort.UPDATED_DESC: [(lambda a: a.updated, True)],
    ArtifactSort.ID_DESC: [(lambda a: str(a.id), True)],
    ArtifactSort.KEY_DESC: [(lambda a: a.key, True)],
    ArtifactSort.KEY_ASC: [(lambda a: a.key, False)],
}


class ArtifactClient(FlowRunClient):
    """Artifacts (read_artifacts)."""

    def read_artifacts(
        self,
        *,
        artifact_filter: ArtifactFilter | None = None,
        flow_run_filter: FlowRunFilter | None = None,
        task_run_filter: TaskRunFilter | None = None,
        sort: ArtifactSort | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Artifact]:
        """The artifacts every filter lets through (the run filters: through the artifact's flow or task run)."""
        checked(artifact_filter, ArtifactFilter, "artifact_filter")
        server = self.store
        updates: dict[str, list[ArtifactUpdated]] = {}
        for update in server.artifact_updates:
            updates.setdefault(update.artifact_id, []).append(update)
        artifacts = [Artifact.from_record(a, updates.get(a.artifact_id, [])) for a in server.artifacts]
        if artifact_filter is not None:
            artifacts = [a for a in artifacts if artifact_filter.includes(a)]
        if flow_run_filter is not None:
            flow_runs = {r.id for r in self._select_flow_runs(None, flow_run_filter, None, None)}
            artifacts = [a for a in artifacts if a.flow_run_id in flow_runs]
        if task_run_filter is not None:
            task_runs = {r.id for r in self._select_task_runs(None, None, task_run_filter, None)}
            artifacts = [a for a in artifacts if a.task_run_id in task_runs]
        order = _ARTIFACT_ORDERS[ArtifactSort(sort or ArtifactSort.ID_DESC)]
        return paged(ordered(artifacts, order), limit, offset, "/artifacts/filter")


__all__ = ["ArtifactClient"]
