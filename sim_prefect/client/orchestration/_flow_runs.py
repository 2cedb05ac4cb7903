"""The client's methods for one part of Prefect's API: flow runs, their states, and task runs.

``read_flow_runs``, ``count_flow_runs``, ``read_flow_run``, ``read_flow_run_states``,
``set_flow_run_state``, ``delete_flow_run``; ``read_task_runs``, ``read_task_run``,
``read_task_run_states``. Prefect keeps them in ``prefect/client/orchestration/_flow_runs/client.py``
(the task runs' in the client's ``__init__``); the async client (``get_client()``) gets
the same methods as coroutines.

What Prefect's server decides is decided here with its rules: which runs a
combination of filters selects (a flow run's flows, deployment and task runs
are joined as the server joins them), the orders (``FlowRunSort``: a
missing value sorts first, as in the server's SQLite), the default order
(``ID_DESC``) and limit (200, and no more), a missing id (``ObjectNotFound``),
and what happens to a proposed state (`_orchestrate`: the server's rules that
can meet a run here).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from ...exceptions import ObjectNotFound, PrefectHTTPStatusError, not_imitated
from ...run_events import StateChanged
from ...states import TERMINAL_STATES, Cancelled, State, StateType
from ...store import RunRecord
from ..schemas.filters import DeploymentFilter, Filter, FlowFilter, FlowRunFilter, TaskRunFilter
from ..schemas.objects import Flow, FlowRun, TaskRun, stored_state
from ..schemas.responses import (
    OrchestrationResult,
    SetStateStatus,
    StateAbortDetails,
    StateAcceptDetails,
    StateRejectDetails,
)
from ..schemas.sorting import FlowRunSort, TaskRunSort
from .base import BaseClient, paged

if TYPE_CHECKING:
    import uuid

Key = Callable[[Any], Any]

# Each order: (key, descending) pairs, the first deciding most; as the server's SQL orders them.
_FLOW_RUN_ORDERS: dict[FlowRunSort, list[tuple[Key, bool]]] = {
    FlowRunSort.ID_DESC: [(lambda r: str(r.id), True)],
    FlowRunSort.START_TIME_ASC: [(lambda r: r.start_time or r.expected_start_time, False)],
    FlowRunSort.START_TIME_DESC: [(lambda r: r.start_time or r.expected_start_time, True)],
    FlowRunSort.EXPECTED_START_TIME_ASC: [(lambda r: r.expected_start_time, False)],
    FlowRunSort.EXPECTED_START_TIME_DESC: [(lambda r: r.expected_start_time, True)],
    FlowRunSort.NAME_ASC: [(lambda r: r.name, False)],
    FlowRunSort.NAME_DESC: [(lambda r: r.name, True)],
    FlowRunSort.NEXT_SCHEDULED_START_TIME_ASC: [(lambda r: r.next_scheduled_start_time, False)],
    FlowRunSort.END_TIME_DESC: [(lambda r: r.end_time, True)],
}
_TASK_RUN_ORDERS: dict[TaskRunSort, list[tuple[Key, bool]]] = {
    TaskRunSort.ID_DESC: [(lambda r: str(r.id), True)],
    TaskRunSort.EXPECTED_START_TIME_ASC: [(lambda r: r.expected_start_time, False)],
    TaskRunSort.EXPECTED_START_TIME_DESC: [(lambda r: r.expected_start_time, True)],
    TaskRunSort.NAME_ASC: [(lambda r: r.name, False)],
    TaskRunSort.NAME_DESC: [(lambda r: r.name, True)],
    TaskRunSort.NEXT_SCHEDULED_START_TIME_ASC: [(lambda r: r.next_scheduled_start_time, False)],
    TaskRunSort.END_TIME_DESC: [(lambda r: r.end_time, True)],
    TaskRunSort.DURATION_DESC: [
        (lambda r: r.estimated_run_time, True), (lambda r: r.expected_start_time, True), (lambda r: str(r.id), True),
    ],
    TaskRunSort.DURATION_ASC: [
        (lambda r: r.estimated_run_time, False), (lambda r: r.expected_start_time, True), (lambda r: str(r.id), True),
    ],
}  # fmt: skip


def ordered(items: Iterable[Any], order: list[tuple[Key, bool]]) -> list[Any]:
    """`items` in `order`; a missing value sorts first, ascending (SQLite's NULL), ties keep their order."""
    result = list(items)
    for key, descending in reversed(order):
        result.sort(key=lambda item, key=key: (key(item) is not None, key(item)), reverse=descending)  # type: ignore[misc]
    return result


def checked(value: Any, kind: type[Filter], name: str) -> Any:
    """A filter argument: the filter model itself (Prefect's client dumps it: a dict has no model_dump)."""
    if value is not None and not isinstance(value, kind):
        raise AttributeError(f"{type(value).__name__!r} object has no attribute 'model_dump'")
    return value


def run_uuid(run_id: Any, path: str) -> str:
    """A run id as the API reads it from a path: any form of a UUID, else the server's 422."""
    import uuid  # when first needed: importing it costs the page's first boot

    try:
        return str(run_id if isinstance(run_id, uuid.UUID) else uuid.UUID(str(run_id)))
    except ValueError:
        raise PrefectHTTPStatusError.of(422, path.format(id=run_id), "Invalid request received.") from None


class FlowRunClient(BaseClient):
    """Flow runs, their states, and task runs (read_flow_runs, read_task_runs, ...)."""

    def _services_up_to_now(self) -> None:
        """Prefect's server runs its services (scheduling ahead, marking Late runs, expiring pauses) all the
        time; here they are worked out when someone looks, as the serving loop does (server/deployments.py)."""
        from ...server.deployments import catch_up

        catch_up(self.session)

    # -- flow runs -----------------------------------------------------------------------------
    def read_flow_runs(
        self,
        *,
        flow_filter: FlowFilter | None = None,
        flow_run_filter: FlowRunFilter | None = None,
        task_run_filter: TaskRunFilter | None = None,
        deployment_filter: DeploymentFilter | None = None,
        work_pool_filter: Any = None,
        work_queue_filter: Any = None,
        sort: FlowRunSort | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[FlowRun]:
        """The flow runs that every given filter lets through, in `sort` order (``ID_DESC``), at most `limit`."""
        self._services_up_to_now()
        runs = self._select_flow_runs(
            flow_filter, flow_run_filter, task_run_filter, deployment_filter, work_pool_filter, work_queue_filter
        )
        order = _FLOW_RUN_ORDERS[FlowRunSort(sort or FlowRunSort.ID_DESC)]
        return paged(ordered(runs, order), limit, offset, "/flow_runs/filter")

    def count_flow_runs(
        self,
        *,
        flow_filter: FlowFilter | None = None,
        flow_run_filter: FlowRunFilter | None = None,
        task_run_filter: TaskRunFilter | None = None,
        deployment_filter: DeploymentFilter | None = None,
        work_pool_filter: Any = None,
        work_queue_filter: Any = None,
    ) -> int:
        self._services_up_to_now()
        return len(self._select_flow_runs(
            flow_filter, flow_run_filter, task_run_filter, deployment_filter, work_pool_filter, work_queue_filter
        ))  # fmt: skip

    def read_flow_run(self, flow_run_id: uuid.UUID | str) -> FlowRun:
        self._services_up_to_now()
        return FlowRun.from_record(self._record(flow_run_id, "flow"), self.store, self.session.now())

    def read_flow_run_states(self, flow_run_id: uuid.UUID | str) -> list[State]:
        record = self.store.find(run_uuid(flow_run_id, "/flow_run_states/"))
        if record is None or record.kind != "flow":
            return []  # the server answers an unknown run with no states
        return [stored_state(s, record) for s in record.states]

    def set_flow_run_state(self, flow_run_id: uuid.UUID | str, state: State, force: bool = False) -> OrchestrationResult:
        """Propose `state` for the run; the server's rules decide (`force`: take it whatever they say)."""
        record = self._record(flow_run_id, "flow", "/flow_runs/{id}/set_state")
        status, taken, reason = (SetStateStatus.ACCEPT, state, None) if force else _orchestrate(record, state)
        if taken is not None:
            current = record.state
            if current is not None and current.type in (StateType.RUNNING, StateType.PENDING):
                raise not_imitated(
                    "changing the state of a flow run while it runs",
                    f"set_flow_run_state({state.name}) for {record.name!r}, which is {current.name}",
                )
            self._record_state(record, taken)
        result_state = stored_state(record.state, record) if record.state is not None else None
        if status is SetStateStatus.ACCEPT:
            details: Any = StateAcceptDetails()
        elif status is SetStateStatus.REJECT:
            details = StateRejectDetails(reason=reason)
        else:
            details = StateAbortDetails(reason=reason)
        return OrchestrationResult(state=result_state, status=status, details=details)

    def delete_flow_run(self, flow_run_id: uuid.UUID | str) -> None:
        """Delete the flow run and, as the server's database does, its task runs."""
        record = self._record(flow_run_id, "flow")
        self.store.delete_run(record.run_id)

    # -- task runs -----------------------------------------------------------------------------
    def read_task_runs(
        self,
        *,
        flow_filter: FlowFilter | None = None,
        flow_run_filter: FlowRunFilter | None = None,
        task_run_filter: TaskRunFilter | None = None,
        deployment_filter: DeploymentFilter | None = None,
        sort: TaskRunSort | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[TaskRun]:
        """The task runs that every given filter lets through (the flow-run filters: through their flow run)."""
        runs = self._select_task_runs(flow_filter, flow_run_filter, task_run_filter, deployment_filter)
        order = _TASK_RUN_ORDERS[TaskRunSort(sort or TaskRunSort.ID_DESC)]
        return paged(ordered(runs, order), limit, offset, "/task_runs/filter")

    def read_task_run(self, task_run_id: uuid.UUID | str) -> TaskRun:
        return TaskRun.from_record(self._record(task_run_id, "task"), self.store, self.session.now())

    def read_task_run_states(self, task_run_id: uuid.UUID | str) -> list[State]:
        record = self.store.find(run_uuid(task_run_id, "/task_run_states/"))
        if record is None or record.kind != "task":
            return []
        return [stored_state(s, record) for s in record.states]

    # -- what the reads share ---------------------------------------------------------------------
    def _record(self, run_id: Any, kind: str, path: str | None = None) -> RunRecord:
        """The run with this id, or the server's 404 (``ObjectNotFound``)."""
        path = path or ("/flow_runs/{id}" if kind == "flow" else "/task_runs/{id}")
        record = self.store.find(run_uuid(run_id, path))
        if record is None or record.kind != kind:
            detail = "Flow run not found" if kind == "flow" else "Task run not found"
            raise ObjectNotFound(http_exc=PrefectHTTPStatusError.of(404, path.format(id=run_id), detail))
        return record

    def _select_flow_runs(
        self,
        flow_filter: FlowFilter | None,
        flow_run_filter: FlowRunFilter | None,
        task_run_filter: TaskRunFilter | None,
        deployment_filter: DeploymentFilter | None,
        work_pool_filter: Any = None,
        work_queue_filter: Any = None,
    ) -> list[FlowRun]:
        """The flow runs every filter lets through; a filter on a flow run's flow, deployment or task runs
        keeps the runs that have one it lets through (the server's EXISTS)."""
        for name, value in (("work_pool_filter", work_pool_filter), ("work_queue_filter", work_queue_filter)):
            if value is not None:
                raise not_imitated("work pools and work queues", f"read_flow_runs({name}=...)")
        checked(flow_filter, FlowFilter, "flow_filter")
        checked(flow_run_filter, FlowRunFilter, "flow_run_filter")
        checked(deployment_filter, DeploymentFilter, "deployment_filter")
        server, now = self.store, self.session.now()
        records = [r for r in server.runs if r.kind == "flow"]
        if flow_filter is not None:  # the run's flow (its id, name, tags)
            records = [r for r in records if flow_filter.includes(Flow.of_name(r.owner, r.created))]
        runs = [FlowRun.from_record(r, server, now) for r in records]
        if flow_run_filter is not None:
            runs = [r for r in runs if flow_run_filter.includes(r)]
        if deployment_filter is not None:
            deployments = server.deployments
            runs = [
                r for r in runs
                if r.deployment_id is not None and str(r.deployment_id) in deployments
                and deployment_filter.includes(deployments[str(r.deployment_id)])
            ]  # fmt: skip
        if task_run_filter is not None:
            checked(task_run_filter, TaskRunFilter, "task_run_filter")
            having = {
                r.flow_run_id for r in server.runs
                if r.kind == "task" and r.flow_run_id and task_run_filter.includes(TaskRun.from_record(r, server, now))
            }  # fmt: skip
            runs = [r for r in runs if str(r.id) in having]
        return runs

    def _select_task_runs(
        self,
        flow_filter: FlowFilter | None,
        flow_run_filter: FlowRunFilter | None,
        task_run_filter: TaskRunFilter | None,
        deployment_filter: DeploymentFilter | None,
    ) -> list[TaskRun]:
        """The task runs `task_run_filter` lets through whose flow run the other filters let through."""
        checked(task_run_filter, TaskRunFilter, "task_run_filter")
        server, now = self.store, self.session.now()
        runs = [TaskRun.from_record(r, server, now) for r in server.runs if r.kind == "task"]
        if task_run_filter is not None:
            runs = [r for r in runs if task_run_filter.includes(r)]
        if flow_filter is not None or flow_run_filter is not None or deployment_filter is not None:
            flow_runs = {str(r.id) for r in self._select_flow_runs(flow_filter, flow_run_filter, None, deployment_filter)}
            runs = [r for r in runs if r.flow_run_id is not None and str(r.flow_run_id) in flow_runs]
        return runs

    def _record_state(self, record: RunRecord, state: State) -> None:
        """The server takes a state for the run (and tells whoever listens, as its events would)."""
        s = self.session
        stamp = s.now()
        last = record.state
        taken = State(
            state.type, state.name, state.message, _after(stamp, last), None, state.scheduled_time,
            record.run_id, record.kind, record.flow_run_id,
        )  # fmt: skip
        s.emit(StateChanged(record.run_id, taken))


def _after(stamp: float, last: State | None) -> Any:
    import datetime

    moment = datetime.datetime.fromtimestamp(stamp, datetime.timezone.utc)
    if last is not None and moment <= last.timestamp:  # every state after the one before, as the engines keep them
        moment = last.timestamp + datetime.timedelta(microseconds=1)
    return moment


def _orchestrate(record: RunRecord, proposed: State) -> tuple[SetStateStatus, State | None, str | None]:
    """What Prefect's server does with a proposed flow-run state (its core policy, where it can apply here):
    the status, the state the run takes (None: none), and the reason given."""
    current = record.state
    if current is None:
        return SetStateStatus.ACCEPT, proposed, None
    if current.type in TERMINAL_STATES:
        if proposed.type in (StateType.CANCELLING, StateType.PAUSED, StateType.CRASHED):
            return SetStateStatus.ABORT, None, f"Run is already in terminal state {current.type.value}."
        if proposed.type is StateType.SCHEDULED and record.deployment_id is None:
            return SetStateStatus.ABORT, None, "Cannot reschedule a run without an associated deployment."
    if current.type is StateType.CANCELLING and proposed.type is not StateType.CANCELLED:
        return SetStateStatus.REJECT, None, "Cannot transition flows that are cancelling to a state other than Cancelled."
    if proposed.type is StateType.CANCELLING and (current.type is StateType.SCHEDULED or current.name == "Resuming"):
        return SetStateStatus.REJECT, Cancelled(), "Scheduled flow run has no infrastructure to terminate."
    if proposed.type is StateType.PENDING and current.type in (
        StateType.PENDING, StateType.CANCELLING, StateType.RUNNING, StateType.CANCELLED,
    ) and not (current.type is StateType.PENDING and current.name != proposed.name != "Pending"):  # fmt: skip
        return SetStateStatus.ABORT, None, (
            f"This run is in a {current.type.value} state and cannot transition to a PENDING state."
        )
    return SetStateStatus.ACCEPT, proposed, None


__all__ = ["FlowRunClient", "checked", "ordered", "run_uuid"]
