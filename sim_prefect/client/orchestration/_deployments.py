"""The client's methods for one part of Prefect's API: deployments and their runs.

``read_deployment``, ``read_deployment_by_name``, ``read_deployments``,
``create_flow_run_from_deployment``, ``pause_deployment``,
``resume_deployment``, ``delete_deployment``; and a paused run's
``resume_flow_run``. Prefect keeps them in
``prefect/client/orchestration/_deployments/client.py``; the async client
(``get_client()``) gets the same methods as coroutines. What the server
decides is decided by the session's server (sim_prefect/server/).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from typing import Any

from ...exceptions import ObjectNotFound, PrefectHTTPStatusError, not_imitated
from ...server import deployments as server
from ...server.flow_runs import resume
from ...states import State
from ..schemas.objects import FlowRun
from ..schemas.responses import (
    DeploymentResponse,
    OrchestrationResult,
    SetStateStatus,
    StateAbortDetails,
    StateAcceptDetails,
    StateRejectDetails,
)
from .base import BaseClient


class DeploymentClient(BaseClient):
    """Deployments and their runs."""

    def read_deployment(self, deployment_id: uuid.UUID | str) -> DeploymentResponse:
        return DeploymentResponse.of(server.read(self.session, str(deployment_id)))

    def read_deployment_by_name(self, name: str) -> DeploymentResponse:
        """The deployment ``flow/deployment``; ``ObjectNotFound`` if there is none."""
        return DeploymentResponse.of(server.read_by_name(self.session, name))

    def read_deployments(self, *, limit: int | None = None, offset: int = 0, **filters: Any) -> list[DeploymentResponse]:
        if any(value is not None for value in filters.values()):
            raise not_imitated("filtering deployments", f"read_deployments({', '.join(filters)}=...)")
        found = sorted(self.store.deployments.values(), key=lambda d: (d.flow_name, d.name))
        return [DeploymentResponse.of(d) for d in found[offset : None if limit is None else offset + limit]]

    def create_flow_run_from_deployment(
        self,
        deployment_id: uuid.UUID | str,
        *,
        parameters: dict[str, Any] | None = None,
        context: dict[str, Any] | None = None,
        state: State | None = None,
        name: str | None = None,
        tags: Iterable[str] | None = None,
        idempotency_key: str | None = None,
        parent_task_run_id: uuid.UUID | None = None,
        work_queue_name: str | None = None,
        job_variables: dict[str, Any] | None = None,
        labels: dict[str, Any] | None = None,
    ) -> FlowRun:
        """A run of the deployment, Scheduled (at the state's scheduled time, if one is given)."""
        if state is not None and not state.is_scheduled():
            raise not_imitated("creating a deployment's run in a state other than Scheduled", f"state={state!r}")
        deployment = server.read(self.session, str(deployment_id))
        scheduled: datetime.datetime | None = state.scheduled_time if state is not None else None
        record = server.create_flow_run(
            self.session, deployment, parameters, tags=tags or (), scheduled_time=scheduled, name=name,
            idempotency_key=idempotency_key, parent_task_run_id=str(parent_task_run_id) if parent_task_run_id else None,
            work_queue_name=work_queue_name, job_variables=job_variables,
        )  # fmt: skip
        return FlowRun.from_record(record, self.store, self.session.now())

    def pause_deployment(self, deployment_id: uuid.UUID | str) -> None:
        server.pause(self.session, server.read(self.session, str(deployment_id)))

    def resume_deployment(self, deployment_id: uuid.UUID | str) -> None:
        server.unpause(self.session, server.read(self.session, str(deployment_id)))

    def delete_deployment(self, deployment_id: uuid.UUID | str) -> None:
        deployment = server.read(self.session, str(deployment_id))
        for record in self.store.runs:  # the server deletes its runs that have not started
            state = record.state
            if record.deployment_id == deployment.id and state is not None and state.is_scheduled():
                self.store.delete_run(record.run_id)
        del self.store.deployments[deployment.id]

    def resume_flow_run(self, flow_run_id: uuid.UUID | str, run_input: dict[str, Any] | None = None) -> OrchestrationResult:
        """Resume a paused flow run (the server checks `run_input` against the input the run waits for)."""
        record = self.store.find(str(flow_run_id))
        if record is None or record.kind != "flow":
            raise ObjectNotFound(http_exc=PrefectHTTPStatusError.of(404, f"/flow_runs/{flow_run_id}/resume", "Flow run not found"))
        answer = resume(self.session, record, run_input)
        status = SetStateStatus(answer.status)
        details: Any = (StateAcceptDetails() if status is SetStateStatus.ACCEPT
                        else StateRejectDetails(reason=answer.reason) if status is SetStateStatus.REJECT
                        else StateAbortDetails(reason=answer.reason))  # fmt: skip
        return OrchestrationResult(state=record.state, status=status, details=details)


__all__ = ["DeploymentClient"]
