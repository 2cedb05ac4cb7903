"""A deployment to be served (``prefect.deployments.runner``): `RunnerDeployment`, and `deploy`.

``flow.to_deployment(name, ...)`` makes a `RunnerDeployment`: the flow's
name, the deployment's name, its schedules (deployments/schedules.py),
default parameters, tags, description and version (the flow's by default),
whether it is paused, and its entrypoint (``file.py:function``, relative to the
working folder, as Prefect writes it). `apply()` writes it to the session's
server (server/deployments.py), which schedules its runs; ``serve(...)``
applies it and runs what comes due (runner/runner.py).

What needs Prefect's work pools and workers fails loudly: ``deploy()``,
``flow.deploy()``, ``apply()`` to a work pool (PORT.yaml says why); so do
triggers and concurrency limits, which sim_prefect does not enforce.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from .. import _msgs
from ..async_dispatch import async_dispatch
from ..exceptions import not_imitated
from ..server import deployments as server
from ..session import session
from ..utilities import schema_tools
from .schedules import DeploymentScheduleCreate, construct_deployment_schedules, normalize_to_deployment_schedule

if TYPE_CHECKING:
    from ..flows import Flow

WORKERS = "work pools and workers"
AT_HOME = (
    "sim_prefect runs a deployment only by serving it (flow.serve(), serve()); with real Prefect at home: "
    "`prefect work-pool create --type process my-pool`, then flow.deploy(..., work_pool_name='my-pool'), then "
    "`prefect worker start --pool my-pool`"
)


def refuse_workers(detail: str) -> NoReturn:
    raise not_imitated(WORKERS, f"{detail}: {AT_HOME}")


class RunnerDeployment:
    """A deployment of a flow, ready to be applied to the server and served."""

    def __init__(
        self,
        name: str,
        flow_name: str | None = None,
        description: str | None = None,
        version: str | None = None,
        tags: list[str] | None = None,
        schedules: list[Any] | None = None,
        concurrency_limit: int | None = None,
        paused: bool | None = None,
        parameters: dict[str, Any] | None = None,
        entrypoint: str | None = None,
        triggers: list[Any] | None = None,
        enforce_parameter_schema: bool = True,
        work_pool_name: str | None = None,
        work_queue_name: str | None = None,
        job_variables: dict[str, Any] | None = None,
    ) -> None:
        if name.endswith(".py"):
            name = Path(name).stem
        self.name = name
        self.flow_name = flow_name
        self.description = description
        self.version = version
        self.tags = list(tags or [])
        self.schedules: list[DeploymentScheduleCreate] = normalize_to_deployment_schedule(schedules)
        self.concurrency_limit = concurrency_limit
        self.paused = bool(paused)  # Prefect's reconciliation: None is False
        self.parameters = dict(parameters or {})
        self.entrypoint = entrypoint
        self.triggers = list(triggers or [])
        self.enforce_parameter_schema = enforce_parameter_schema
        self.work_pool_name = work_pool_name
        self.work_queue_name = work_queue_name
        self.job_variables = dict(job_variables or {})
        self.storage = None
        self._flow: Flow[Any, Any] | None = None
        self._path: str | None = None
        self._parameter_schema: dict[str, Any] = {}

    @property
    def full_name(self) -> str:
        return f"{self.flow_name}/{self.name}"

    def __repr__(self) -> str:
        shown = ("name", "flow_name", "description", "version", "tags", "schedules", "paused", "parameters",
                 "entrypoint", "work_pool_name")  # fmt: skip
        return f"RunnerDeployment({', '.join(f'{k}={getattr(self, k)!r}' for k in shown)})"

    # -- making one from a flow -------------------------------------------------------------------
    @classmethod
    def from_flow(
        cls,
        flow: Flow[Any, Any],
        name: str,
        interval: Any = None,
        cron: Any = None,
        rrule: Any = None,
        paused: bool | None = None,
        schedule: Any = None,
        schedules: Any = None,
        concurrency_limit: Any = None,
        parameters: dict[str, Any] | None = None,
        triggers: list[Any] | None = None,
        description: str | None = None,
        tags: list[str] | None = None,
        version: str | None = None,
        version_type: Any = None,
        enforce_parameter_schema: bool = True,
        work_pool_name: str | None = None,
        work_queue_name: str | None = None,
        job_variables: dict[str, Any] | None = None,
        entrypoint_type: Any = None,
        _sla: Any = None,
    ) -> RunnerDeployment:
        if triggers:
            raise not_imitated("deployment triggers (automations)", f"to_deployment(triggers=...) for {name!r}")
        if concurrency_limit is not None:
            raise not_imitated("deployment concurrency limits", f"concurrency_limit={concurrency_limit!r} for {name!r}")
        if _sla is not None:
            raise not_imitated("deployment SLAs", f"_sla=... for {name!r}")
        if version_type is not None:
            raise not_imitated("deployment version types", f"version_type={version_type!r} for {name!r}")
        if entrypoint_type is not None and str(getattr(entrypoint_type, "value", entrypoint_type)) != "file":
            raise not_imitated("module-path entrypoints", f"entrypoint_type={entrypoint_type!r}")
        constructed = construct_deployment_schedules(interval, cron, rrule, schedule, schedules)
        deployment = cls(
            name=name, flow_name=flow.name, schedules=constructed, paused=paused, tags=tags, parameters=parameters,
            description=description, version=version, enforce_parameter_schema=enforce_parameter_schema,
            work_pool_name=work_pool_name, work_queue_name=work_queue_name, job_variables=job_variables,
        )  # fmt: skip
        deployment.entrypoint = _entrypoint(flow)
        deployment._path = "."
        deployment._flow = flow
        deployment._parameter_schema = schema_tools.parameter_schema(flow.fn)
        deployment.version = deployment.version or flow.version
        deployment.description = deployment.description or flow.description
        return deployment

    # -- writing it to the server -------------------------------------------------------------------
    async def aapply(self, schedules: list[Any] | None = None, work_pool_name: str | None = None,
                     image: str | None = None, version_info: Any = None) -> uuid.UUID:  # fmt: skip
        return self._apply(schedules, work_pool_name, image, version_info)

    @async_dispatch(aapply)
    def apply(self, schedules: list[Any] | None = None, work_pool_name: str | None = None,
              image: str | None = None, version_info: Any = None) -> uuid.UUID:  # fmt: skip
        """Create or update the deployment on the server; its id."""
        return self._apply(schedules, work_pool_name, image, version_info)

    def _apply(self, schedules: list[Any] | None, work_pool_name: str | None, image: str | None,
               version_info: Any) -> uuid.UUID:  # fmt: skip
        work_pool_name = work_pool_name or self.work_pool_name
        if image and not work_pool_name:
            raise ValueError("An image can only be provided when registering a deployment with a work pool.")
        if self.work_queue_name and not work_pool_name:
            raise ValueError("A work queue can only be provided when registering a deployment with a work pool.")
        if self.job_variables and not work_pool_name:
            raise ValueError("Job variables can only be provided when registering a deployment with a work pool.")
        if work_pool_name:
            refuse_workers(f"a deployment to the work pool {work_pool_name!r}")
        if version_info is not None:
            raise not_imitated("deployment version info", "apply(version_info=...)")
        if schedules is not None:
            self.schedules = normalize_to_deployment_schedule(schedules)
        s = session()
        server.check_name(self.name)
        deployment = server.apply(
            s, self.flow_name or "", self.name,
            parameters=dict(self.parameters), tags=list(self.tags), description=self.description,
            version=self.version, paused=self.paused, schedules=[entry.to_json() for entry in self.schedules],
            entrypoint=self.entrypoint, path=self._path, enforce_parameter_schema=self.enforce_parameter_schema,
            parameter_schema=self._parameter_schema, parameter_names=list(self._parameter_schema.get("properties", {})),
            work_pool_name=None, work_queue_name=None, job_variables=dict(self.job_variables),
        )  # fmt: skip
        return uuid.UUID(deployment.id)


def _entrypoint(flow: Flow[Any, Any]) -> str:
    """``file.py:function``, relative to the working folder, as Prefect writes a served flow's entrypoint."""
    fn = flow.fn
    path = getattr(fn, "__globals__", {}).get("__file__")
    if not path:
        raise ValueError(_msgs.INTERACTIVE_FLOW)
    try:
        relative = Path(path).absolute().relative_to(Path.cwd().absolute())
    except ValueError:
        relative = Path(os.path.relpath(Path(path).absolute(), Path.cwd().absolute()))
    return f"{relative}:{getattr(fn, '__qualname__', fn.__name__)}"


async def adeploy(*deployments: RunnerDeployment, **kwargs: Any) -> NoReturn:
    refuse_workers("deploy()")


@async_dispatch(adeploy)
def deploy(*deployments: RunnerDeployment, **kwargs: Any) -> NoReturn:
    """``prefect.deploy``: to a work pool, for a worker to run; not imitated (see `AT_HOME`)."""
    refuse_workers("deploy()")


RunnerDeployment.__module__ = "prefect.deployments.runner"

__all__ = ["AT_HOME", "RunnerDeployment", "adeploy", "deploy", "refuse_workers"]
