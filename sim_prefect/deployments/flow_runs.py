"""Running a deployment on request (``prefect.deployments.flow_runs``): `run_deployment`.

``run_deployment("flow/deployment", parameters={...})`` asks the server for a
run of the deployment (`create_flow_run_from_deployment`, which the CLI's
``prefect deployment run`` uses too) and, unless ``timeout=0``, polls it every
``poll_interval`` seconds until it is final or ``timeout`` seconds have
passed; it returns the run as the API gives it (``FlowRun``), and logs
nothing. A served deployment's run is picked up by the serving loop in this
session (runner/runner.py); with nobody serving, it stays Scheduled, as in
Prefect with no worker or served process. Called inside a flow (or a task),
the run is that flow's subflow: a task run is added to the caller's flow run
to track it (named as the server names it), and takes the run's states.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import uuid
from collections.abc import Iterable
from typing import Any

from .. import _msgs, current_run, names
from ..async_dispatch import async_dispatch
from ..client.schemas.objects import FlowRun
from ..exceptions import not_imitated
from ..run_events import RunCreated
from ..server import deployments as server
from ..server.flow_runs import take_state
from ..session import Session, session
from ..states import Pending
from ..store import Deployment, RunRecord

UNKNOWN_PARAMETERS = "The following parameters were specified but not found on the deployment: {unknown}"
AVAILABLE_PARAMETERS = "The following parameters are available on the deployment: {available}"


def find_deployment(s: Session, name: str | uuid.UUID) -> Deployment:
    """A deployment by ``flow/name`` or by id; the server's ObjectNotFound otherwise."""
    try:
        deployment_id: uuid.UUID | None = name if isinstance(name, uuid.UUID) else uuid.UUID(name)
    except ValueError:
        deployment_id = None
    if deployment_id is not None:
        return server.read(s, str(deployment_id))
    return server.read_by_name(s, str(name))


def unknown_parameters(deployment: Deployment, parameters: Iterable[str]) -> list[str]:
    """The names that are not the flow's parameters (the CLI refuses them before asking the server)."""
    known = set(deployment.parameter_names)
    return [name for name in parameters if name not in known]


def create_flow_run_from_deployment(
    name: str | uuid.UUID,
    parameters: dict[str, Any] | None = None,
    *,
    check_parameter_names: bool = False,
    scheduled_time: dt.datetime | None = None,
    flow_run_name: str | None = None,
    tags: Iterable[str] | None = None,
    idempotency_key: str | None = None,
    work_queue_name: str | None = None,
    job_variables: dict[str, Any] | None = None,
    parent_task_run_id: str | None = None,
    parent_id: str | None = None,
) -> RunRecord:
    """A run of the deployment `name`, its parameters merged over the deployment's (the server's rules).

    The one way a deployment is run on request: ``run_deployment`` and the CLI's ``prefect deployment run``
    use it. `check_parameter_names`: refuse names the flow does not take, with the CLI's message (ValueError),
    before the server is asked; the server itself accepts them (the served run then crashes, as in Prefect).
    """
    s = session()
    deployment = find_deployment(s, name)
    parameters = dict(parameters or {})
    if check_parameter_names:
        unknown = unknown_parameters(deployment, parameters)
        if unknown:
            raise ValueError("\n".join([
                UNKNOWN_PARAMETERS.format(unknown=", ".join(repr(u) for u in unknown)),
                AVAILABLE_PARAMETERS.format(available=", ".join(repr(p) for p in deployment.parameter_names)),
            ]))  # fmt: skip
    return server.create_flow_run(
        s, deployment, parameters, tags=tags or (), scheduled_time=scheduled_time, name=flow_run_name,
        idempotency_key=idempotency_key, parent_id=parent_id, parent_task_run_id=parent_task_run_id,
        work_queue_name=work_queue_name, job_variables=job_variables,
    )  # fmt: skip


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _tracking_task_run(s: Session, deployment: Deployment, parameters: dict[str, Any]) -> tuple[str, str] | None:
    """In a flow or task run: the task run Prefect adds to the caller's flow run for the deployment's run;
    its id, and the id of the run that called (None outside any run)."""
    ctx = current_run.current()
    if ctx is None:
        return None
    caller = ctx.run
    flow_run = caller if caller.kind == "flow" else caller.flow_run
    if flow_run is None:  # a task called outside any flow: no flow run to add the task run to
        return None
    full = deployment.full_name
    task_inputs: dict[str, list[str]] = {key: [] for key in parameters}
    if caller.kind == "task":
        task_inputs["__parents__"] = [caller.id]
    run_id = s.new_id()
    event = RunCreated(run_id, "task", names.flow_run_name(s.rng), full, caller.id, s.now(), flow_run.id)
    event.task_inputs = task_inputs
    event.task_key = f"prefect.deployments.flow_runs.run_deployment.{_slug(full)}"
    event.version = deployment.version
    s.emit(event)
    take_state(s, s.store.get(run_id), Pending())
    return run_id, caller.id


def _launch(
    name: str | uuid.UUID, parameters: dict[str, Any] | None, scheduled_time: dt.datetime | None,
    flow_run_name: str | None, timeout: float | None, tags: Iterable[str] | None, idempotency_key: str | None,
    work_queue_name: str | None, as_subflow: bool, job_variables: dict[str, Any] | None, client: Any,
) -> RunRecord:  # fmt: skip
    if client is not None:
        raise not_imitated("run_deployment with a client of your own", "run_deployment(client=...)")
    if timeout is not None and timeout < 0:
        raise ValueError(_msgs.NEGATIVE_RUN_TIMEOUT)
    s = session()
    deployment = find_deployment(s, name)
    parameters = dict(parameters or {})
    tracking = _tracking_task_run(s, deployment, parameters) if as_subflow else None
    return create_flow_run_from_deployment(
        deployment.id, parameters, scheduled_time=scheduled_time, flow_run_name=flow_run_name, tags=tags,
        idempotency_key=idempotency_key, work_queue_name=work_queue_name, job_variables=job_variables,
        parent_task_run_id=tracking[0] if tracking else None, parent_id=tracking[1] if tracking else None,
    )  # fmt: skip


def _read(s: Session, record: RunRecord) -> FlowRun:
    return FlowRun.from_record(record, s.store, s.now())


def _nobody_serves(s: Session, record: RunRecord) -> bool:
    """No serving loop in this session runs this deployment: the run will wait for ever, as in Prefect."""
    return record.deployment_id not in s.serving.serving_deployments


async def arun_deployment(
    name: str | uuid.UUID,
    client: Any = None,
    parameters: dict[str, Any] | None = None,
    scheduled_time: dt.datetime | None = None,
    flow_run_name: str | None = None,
    timeout: float | None = None,
    poll_interval: float = 5,
    tags: Iterable[str] | None = None,
    idempotency_key: str | None = None,
    work_queue_name: str | None = None,
    as_subflow: bool = True,
    job_variables: dict[str, Any] | None = None,
) -> FlowRun:
    """`run_deployment`, to be awaited."""
    s = session()
    record = _launch(name, parameters, scheduled_time, flow_run_name, timeout, tags, idempotency_key,
                     work_queue_name, as_subflow, job_variables, client)  # fmt: skip
    if timeout == 0:
        return _read(s, record)
    start = s.now()
    while True:
        state = record.state
        if state is not None and state.is_final():
            return _read(s, record)
        if timeout is not None and s.now() - start >= timeout:
            return _read(s, record)
        if _nobody_serves(s, record) and not s.serving.waits_for_real(s.clock):
            s.serving.real_wait(min(poll_interval, 1.0))  # nothing here can run it: wait as Prefect would, for real
        await asyncio.sleep(poll_interval)


@async_dispatch(arun_deployment)
def run_deployment(
    name: str | uuid.UUID,
    client: Any = None,
    parameters: dict[str, Any] | None = None,
    scheduled_time: dt.datetime | None = None,
    flow_run_name: str | None = None,
    timeout: float | None = None,
    poll_interval: float = 5,
    tags: Iterable[str] | None = None,
    idempotency_key: str | None = None,
    work_queue_name: str | None = None,
    as_subflow: bool = True,
    job_variables: dict[str, Any] | None = None,
) -> FlowRun:
    """Create a run of the deployment `name` (``flow/deployment``, or its id) and, unless ``timeout=0``, wait
    until it is final (or `timeout` seconds have passed), looking every `poll_interval` seconds."""
    s = session()
    record = _launch(name, parameters, scheduled_time, flow_run_name, timeout, tags, idempotency_key,
                     work_queue_name, as_subflow, job_variables, client)  # fmt: skip
    if timeout == 0:
        return _read(s, record)
    start = s.now()
    while True:
        state = record.state
        if state is not None and state.is_final():
            return _read(s, record)
        if timeout is not None and s.now() - start >= timeout:
            return _read(s, record)
        if _nobody_serves(s, record) and not s.serving.waits_for_real(s.clock):
            s.serving.real_wait(min(poll_interval, 1.0))  # nothing here can run it: wait as Prefect would, for real
        # While this waits, the serving loop (if any) runs what is due, this run among them.
        s.scheduler.run_until(lambda: False, s.now() + poll_interval)


__all__ = ["arun_deployment", "create_flow_run_from_deployment", "find_deployment", "run_deployment",
           "unknown_parameters"]  # fmt: skip
