"""What Prefect's API answers that is not one of its stored objects (``prefect.client.schemas.responses``)."""

from __future__ import annotations

import enum
from typing import Any, Literal, Optional

from ... import store
from ...models import Model
from ...types import DateTime


def _time(value: float) -> DateTime:
    return DateTime.at(value)


class GlobalConcurrencyLimitResponse(Model):
    """A global concurrency limit as the server shows it (``client.read_global_concurrency_limit_by_name``)."""

    id: Any  # uuid.UUID
    created: Any  # DateTimes in UTC
    updated: Any
    active: bool
    name: str
    limit: int
    active_slots: int
    slot_decay_per_second: float

    @classmethod
    def of(cls, record: store.ConcurrencyLimit, active_slots: int | None = None) -> GlobalConcurrencyLimitResponse:
        import uuid  # when first needed: it costs the page's first boot

        return cls(
            id=uuid.UUID(record.id), created=_time(record.created), updated=_time(record.updated),
            active=record.active, name=record.name, limit=record.limit,
            active_slots=record.active_slots if active_slots is None else active_slots,
            slot_decay_per_second=record.slot_decay_per_second,
        )  # fmt: skip


# -- what the server answers a proposed state (``client.set_flow_run_state``) ------------------------


class DeploymentResponse(Model):
    """A deployment as the server shows it (``client.read_deployment_by_name``); its schedules as the store's JSON."""

    id: Any  # uuid.UUID
    created: Any
    updated: Any
    name: str
    version: Optional[str] = None
    description: Optional[str] = None
    flow_id: Any = None
    paused: bool = False
    schedules: list[Any] = []
    parameters: dict[str, Any] = {}
    tags: list[str] = []
    entrypoint: Optional[str] = None
    path: Optional[str] = None
    work_pool_name: Optional[str] = None
    work_queue_name: Optional[str] = None
    job_variables: dict[str, Any] = {}
    enforce_parameter_schema: bool = True
    parameter_openapi_schema: Optional[dict[str, Any]] = None
    concurrency_limit: Optional[int] = None
    last_polled: Any = None

    @classmethod
    def of(cls, record: store.Deployment) -> DeploymentResponse:
        import uuid  # when first needed: it costs the page's first boot

        return cls.model_construct(
            id=uuid.UUID(record.id), created=_time(record.created), updated=_time(record.updated), name=record.name,
            version=record.version, description=record.description, flow_id=uuid.UUID(record.flow_id),
            paused=record.paused, schedules=[dict(s) for s in record.schedules], parameters=dict(record.parameters),
            tags=list(record.tags), entrypoint=record.entrypoint, path=record.path,
            work_pool_name=record.work_pool_name, work_queue_name=record.work_queue_name,
            job_variables=dict(record.job_variables), enforce_parameter_schema=record.enforce_parameter_schema,
            parameter_openapi_schema=record.parameter_schema or None, concurrency_limit=record.concurrency_limit,
            last_polled=_time(record.last_polled) if record.last_polled is not None else None,
        )  # fmt: skip


class SetStateStatus(str, enum.Enum):
    """Enumerates return statuses for setting run states."""

    ACCEPT = "ACCEPT"
    REJECT = "REJECT"
    ABORT = "ABORT"
    WAIT = "WAIT"

    def __repr__(self) -> str:  # Prefect's AutoEnum
        return f"{type(self).__name__}.{self.value}"

    __str__ = __repr__


class StateAcceptDetails(Model):
    """Details associated with an ACCEPT state transition."""

    type: Literal["accept_details"] = "accept_details"


class StateRejectDetails(Model):
    """Details associated with a REJECT state transition."""

    type: Literal["reject_details"] = "reject_details"
    reason: Optional[str] = None


class StateAbortDetails(Model):
    """Details associated with an ABORT state transition."""

    type: Literal["abort_details"] = "abort_details"
    reason: Optional[str] = None


class StateWaitDetails(Model):
    """Details associated with a WAIT state transition."""

    type: Literal["wait_details"] = "wait_details"
    delay_seconds: int
    reason: Optional[str] = None


class OrchestrationResult(Model):
    """The server's answer to a proposed state: the run's state now, and whether the proposal was taken."""

    state: Any = None
    status: SetStateStatus
    details: Any


for _cls in (
    DeploymentResponse, GlobalConcurrencyLimitResponse, SetStateStatus, StateAcceptDetails, StateRejectDetails, StateAbortDetails,
    StateWaitDetails, OrchestrationResult,
):  # fmt: skip
    _cls.__module__ = "prefect.client.schemas.responses"

__all__ = [
    "DeploymentResponse",
    "GlobalConcurrencyLimitResponse", "OrchestrationResult", "SetStateStatus", "StateAbortDetails",
    "StateAcceptDetails", "StateRejectDetails", "StateWaitDetails",
]  # fmt: skip
