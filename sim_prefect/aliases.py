"""Let code written for Prefect import sim_prefect unchanged: ``import prefect`` -> sim_prefect.

`install_as_prefect()` puts an import hook in front of Python's, so
``from prefect import flow``, ``from prefect.futures import wait`` or
``from prefect.runtime import task_run`` find the simulator's module, each when
it is first imported. Only the modules listed in `PREFECT_MODULES` exist; any
other ``prefect.*`` import fails with ModuleNotFoundError, as a missing feature
should. Prefect's integrations that the pages name (``from prefect_dask import
DaskTaskRunner``) are served the same way, from `INTEGRATION_MODULES`.

Used by the conformance suite (which runs the same scripts on both), and by
any page that wants a learner's ``import prefect`` to work.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.abc
import importlib.machinery
import sys
from collections.abc import Iterator, Sequence
from types import ModuleType

from . import _msgs

# Prefect's module name -> the sim_prefect module that stands in for it.
PREFECT_MODULES = {
    "prefect": "sim_prefect",
    "prefect.artifacts": "sim_prefect.artifacts",
    "prefect.cache_policies": "sim_prefect.cache_policies",
    "prefect.client": "sim_prefect.client",
    "prefect.client.schemas": "sim_prefect.client.schemas",
    "prefect.client.schemas.objects": "sim_prefect.client.schemas.objects",
    "prefect.client.schemas.filters": "sim_prefect.client.schemas.filters",
    "prefect.client.schemas.sorting": "sim_prefect.client.schemas.sorting",
    "prefect.client.schemas.events": "sim_prefect.client.schemas.events",
    "prefect.events": "sim_prefect.events",
    "prefect.events.filters": "sim_prefect.events.filters",
    "prefect.events.schemas": "sim_prefect.events.schemas",
    "prefect.events.schemas.events": "sim_prefect.events.schemas.events",
    "prefect.events.utilities": "sim_prefect.events.utilities",
    "prefect.testing": "sim_prefect.testing",
    "prefect.testing.utilities": "sim_prefect.testing.utilities",
    "prefect.types": "sim_prefect.types",
    "prefect.types._datetime": "sim_prefect.types._datetime",
    "prefect.client.schemas.actions": "sim_prefect.client.schemas.actions",
    "prefect.client.schemas.responses": "sim_prefect.client.schemas.responses",
    "prefect.client.base": "sim_prefect.client.base",
    "prefect.variables": "sim_prefect.variables",
    "prefect.blocks": "sim_prefect.blocks",
    "prefect.blocks.core": "sim_prefect.blocks.core",
    "prefect.blocks.system": "sim_prefect.blocks.system",
    "prefect.concurrency": "sim_prefect.concurrency",
    "prefect.concurrency.sync": "sim_prefect.concurrency.sync",
    "prefect.concurrency.asyncio": "sim_prefect.concurrency.asyncio",
    "prefect.concurrency._asyncio": "sim_prefect.concurrency.slots",  # where Prefect defines the errors
    "prefect.client.orchestration": "sim_prefect.client.orchestration",
    "prefect.context": "sim_prefect.context",
    "prefect.exceptions": "sim_prefect.exceptions",
    "prefect.flows": "sim_prefect.flows",
    "prefect.futures": "sim_prefect.futures",
    "prefect.logging": "sim_prefect.loggers",
    "prefect.logging.loggers": "sim_prefect.loggers",
    "prefect.runtime": "sim_prefect.runtime",
    "prefect.runtime.deployment": "sim_prefect.runtime.deployment",
    "prefect.runtime.flow_run": "sim_prefect.runtime.flow_run",
    "prefect.runtime.task_run": "sim_prefect.runtime.task_run",
    "prefect.states": "sim_prefect.states",
    "prefect.task_runners": "sim_prefect.task_runners",
    "prefect.tasks": "sim_prefect.tasks",
    "prefect.utilities": "sim_prefect.utilities",
    "prefect.utilities.annotations": "sim_prefect.annotations",
    "prefect.task_engine": "sim_prefect.task_engine",
    "prefect.flow_engine": "sim_prefect.flow_engine",
    "prefect.transactions": "sim_prefect.transactions",
    "prefect.results": "sim_prefect.results",
    "prefect.locking": "sim_prefect.locking",
    "prefect.locking.memory": "sim_prefect.locking.memory",
    "prefect.locking.protocol": "sim_prefect.locking.protocol",
    "prefect.schedules": "sim_prefect.schedules",
    "prefect.client.schemas.schedules": "sim_prefect.client.schemas.schedules",
    "prefect.deployments": "sim_prefect.deployments",
    "prefect.deployments.deployments": "sim_prefect.deployments.deployments",
    "prefect.deployments.flow_runs": "sim_prefect.deployments.flow_runs",
    "prefect.deployments.runner": "sim_prefect.deployments.runner",
    "prefect.deployments.schedules": "sim_prefect.deployments.schedules",
    "prefect.runner": "sim_prefect.runner",
    "prefect.runner.runner": "sim_prefect.runner.runner",
    "prefect.flow_runs": "sim_prefect.flow_runs",
    "prefect.input": "sim_prefect.input",
    "prefect.input.run_input": "sim_prefect.input.run_input",
}

# Prefect's integration packages that the pages name, served the same way (prefect_dask.py says why its
# names import and fail when used).
INTEGRATION_MODULES = {
    "prefect_dask": "sim_prefect.prefect_dask",
    "prefect_dask.task_runners": "sim_prefect.prefect_dask",
    "prefect_dask.client": "sim_prefect.prefect_dask",
    "prefect_dask.utils": "sim_prefect.prefect_dask",
}


# Prefect modules that Prefect's documentation imports and sim_prefect leaves out: the feature each is.
NOT_IMITATED_MODULES = {
    "prefect.assets": "assets",
    "prefect.automations": "automations",
    "prefect.events.clients": "events clients (emit_event sends to the session's server)",
    "prefect.events.worker": "the events worker (emit_event sends to the session's server)",
    "prefect.events.actions": "automations' actions",
    "prefect.events.schemas.automations": "automations' triggers",
    "prefect.events.schemas.deployment_triggers": "deployment triggers",
    "prefect.filesystems": "storage blocks",
    # Prefect's other blocks (notifications, webhooks, fields such as SecretDict): only Block and Secret are here.
    "prefect.blocks.notifications": "notification blocks",
    "prefect.blocks.webhook": "webhook blocks",
    "prefect.blocks.fields": "block field types (SecretDict)",
    "prefect.blocks.abstract": "abstract block classes",
    "prefect.blocks.redis": "Redis storage blocks",
    "prefect.concurrency.v1": "the first version of concurrency limits (prefect.concurrency.v1)",
    "prefect.locking.filesystem": "file-system locks (FileSystemLockManager)",
    "prefect.server": "the Prefect server",
    "prefect.settings": "Prefect settings",
    "prefect.task_worker": "background task workers",
    "prefect.testing.fixtures": "Prefect's own pytest fixtures",
    "prefect.testing.standard_test_suites": "Prefect's own test suites",
    "prefect.workers": "work pools and workers",
    "prefect.deployments.steps": "deployment steps (prefect.yaml pull steps)",
    "prefect.runner.storage": "flow code storage for deployments (Flow.from_source)",
    "prefect_ray": "prefect-ray's RayTaskRunner (task runs on a Ray cluster)",
}

# Top-level packages served here besides prefect: Prefect's integrations (`pip install prefect-dask`).
INTEGRATIONS = ("prefect_dask", "prefect_ray")
_SERVED = {**PREFECT_MODULES, **INTEGRATION_MODULES}


class _PrefectModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves ``import prefect.X`` with the sim_prefect module that stands in for it, when it is first imported.

    Nothing is imported ahead: a Run that never imports ``prefect.deployments``
    never loads the server-side modules (the page's first Run stays quick). Any
    other ``prefect.*`` import fails, saying why.
    """

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if not _is_prefects(fullname):
            return None
        if fullname in _SERVED:
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        feature = next(
            (f for m, f in NOT_IMITATED_MODULES.items() if fullname == m or fullname.startswith(m + ".")), None
        )
        if feature is None:
            raise ModuleNotFoundError(f"No module named {fullname!r}: {_msgs.NOT_IN_SIM}", name=fullname)
        raise ModuleNotFoundError(_msgs.NOT_IMITATED.format(feature=feature, detail=fullname), name=fullname)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return importlib.import_module(_SERVED[spec.name])

    def exec_module(self, module: ModuleType) -> None:
        """The stand-in is imported already (`create_module`)."""


_finder = _PrefectModules()


def _is_prefects(name: str) -> bool:
    top = name.partition(".")[0]
    return top == "prefect" or top in INTEGRATIONS


def install_as_prefect() -> ModuleType:
    """Make ``import prefect`` (and the modules above) import sim_prefect; returns ``prefect``.

    Refuses if the real Prefect is already imported: the two must not mix.
    """
    real = sys.modules.get("prefect")
    if real is not None and not real.__name__.startswith("sim_prefect"):
        raise RuntimeError("the real prefect is already imported; install the alias before importing it")
    if _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)
    return importlib.import_module("prefect")


@contextlib.contextmanager
def prefect_alias() -> Iterator[None]:
    """``import prefect`` serves sim_prefect within the block; afterwards the modules are as they were.

    For code that runs in a process that may also hold the real Prefect (the
    test suite runs the page's runner in-process).
    """
    saved = {name: module for name, module in sys.modules.items() if _is_prefects(name)}
    for name in saved:
        del sys.modules[name]
    added = _finder not in sys.meta_path
    try:
        install_as_prefect()
        yield
    finally:
        if added and _finder in sys.meta_path:
            sys.meta_path.remove(_finder)
        for name in [n for n in sys.modules if _is_prefects(n)]:
            del sys.modules[name]
        sys.modules.update(saved)


__all__ = ["INTEGRATION_MODULES", "NOT_IMITATED_MODULES", "PREFECT_MODULES", "install_as_prefect", "prefect_alias"]
