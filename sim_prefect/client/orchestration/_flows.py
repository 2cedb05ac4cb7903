"""The client's methods for one part of Prefect's API: flows (read_flows, read_flow_by_name, read_flow).

Prefect keeps them in ``prefect/client/orchestration/_flows/client.py``; the
async client (``get_client()``) gets the same methods as coroutines. A flow
exists on the server from its first run (or deployment) on; its id stays the
same for its name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...exceptions import PrefectHTTPStatusError
from ..schemas.filters import DeploymentFilter, FlowFilter, FlowRunFilter, TaskRunFilter
from ..schemas.objects import Flow
from ..schemas.sorting import FlowSort
from ._flow_runs import FlowRunClient, checked, ordered, run_uuid
from .base import paged

if TYPE_CHECKING:
    import uuid

_FLOW_ORDERS = {
    FlowSort.CREATED_DESC: [(lambda f: f.created, True)],
    FlowSort.UPDATED_DESC: [(lambda f: f.updated, True)],
    FlowSort.NAME_ASC: [(lambda f: f.name, False)],
    FlowSort.NAME_DESC: [(lambda f: f.name, True)],
}


class FlowClient(FlowRunClient):
    """Flows (read_flows, read_flow_by_name, read_flow)."""

    def read_flows(
        self,
        *,
        flow_filter: FlowFilter | None = None,
        flow_run_filter: FlowRunFilter | None = None,
        task_run_filter: TaskRunFilter | None = None,
        deployment_filter: DeploymentFilter | None = None,
        work_pool_filter: Any = None,
        work_queue_filter: Any = None,
        sort: FlowSort | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Flow]:
        """The flows `flow_filter` lets through; the other filters keep the flows with a run they let through."""
        flows = self._flows()
        if flow_filter is not None:
            checked(flow_filter, FlowFilter, "flow_filter")
            flows = [f for f in flows if flow_filter.includes(f)]
        if any(x is not None for x in (flow_run_filter, task_run_filter, deployment_filter, work_pool_filter, work_queue_filter)):
            runs = self._select_flow_runs(
                None, flow_run_filter, task_run_filter, deployment_filter, work_pool_filter, work_queue_filter
            )
            having = {r.flow_id for r in runs}
            flows = [f for f in flows if f.id in having]
        order = _FLOW_ORDERS[FlowSort(sort or FlowSort.NAME_ASC)]
        return paged(ordered(flows, order), limit, offset, "/flows/filter")

    def read_flow_by_name(self, flow_name: str) -> Flow:
        for flow in self._flows():
            if flow.name == flow_name:
                return flow
        raise PrefectHTTPStatusError.of(404, f"/flows/name/{flow_name}", "Flow not found")

    def read_flow(self, flow_id: uuid.UUID | str) -> Flow:
        wanted = run_uuid(flow_id, "/flows/{id}")
        for flow in self._flows():
            if str(flow.id) == wanted:
                return flow
        raise PrefectHTTPStatusError.of(404, f"/flows/{flow_id}", "Flow not found")

    def _flows(self) -> list[Flow]:
        """Every flow the server knows, made when first run or deployed."""
        first_seen: dict[str, float] = {}
        for record in self.store.runs:
            if record.kind == "flow":
                first_seen.setdefault(record.owner, record.created)
        for deployment in self.store.deployments.values():
            first_seen[deployment.flow_name] = min(first_seen.get(deployment.flow_name, deployment.created), deployment.created)
        return [Flow.of_name(name, created) for name, created in first_seen.items()]


__all__ = ["FlowClient"]
