"""Let code written for Prefect import sim_prefect unchanged: ``import prefect`` -> sim_prefect.

`install_as_prefect()` registers sim_prefect and its submodules in
``sys.modules`` under Prefect's module names, so ``from prefect import flow``,
``from prefect.futures import wait`` or ``from prefect.runtime import task_run``
find the simulator. Only the modules listed in `PREFECT_MODULES` exist; any other
``prefect.*`` import fails with ModuleNotFoundError, as a missing feature should.

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
}


# Prefect modules that Prefect's documentation imports and sim_prefect leaves out: the feature each is.
NOT_IMITATED_MODULES = {
    "prefect.assets": "assets",
    "prefect.automations": "automations",
    "prefect.blocks": "blocks",
    "prefect.client.orchestration": "the API client (get_client)",
    "prefect.concurrency": "global concurrency and rate limits",
    "prefect.deployments": "deployments",
    "prefect.events": "events",
    "prefect.filesystems": "storage blocks",
    "prefect.locking": "cache locks",
    "prefect.results": "result stores",
    "prefect.schedules": "schedules",
    "prefect.server": "the Prefect server",
    "prefect.settings": "Prefect settings",
    "prefect.task_worker": "background task workers",
    "prefect.testing": "Prefect's test harness",
    "prefect.transactions": "transactions",
    "prefect.variables": "variables",
    "prefect.workers": "workers",
}


class _PrefectModules(importlib.abc.MetaPathFinder):
    """Stops ``import prefect.anything_else`` from finding sim_prefect's own modules, and says why."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if not fullname.startswith("prefect.") or fullname in PREFECT_MODULES:
            return None
        feature = next(
            (f for m, f in NOT_IMITATED_MODULES.items() if fullname == m or fullname.startswith(m + ".")), None
        )
        if feature is None:
            raise ModuleNotFoundError(f"No module named {fullname!r}: {_msgs.NOT_IN_SIM}", name=fullname)
        raise ModuleNotFoundError(_msgs.NOT_IMITATED.format(feature=feature, detail=fullname), name=fullname)


_finder = _PrefectModules()


def install_as_prefect() -> dict[str, ModuleType]:
    """Make ``import prefect`` (and the modules above) import sim_prefect.

    Refuses if the real Prefect is already imported: the two must not mix.
    """
    real = sys.modules.get("prefect")
    if real is not None and not real.__name__.startswith("sim_prefect"):
        raise RuntimeError("the real prefect is already imported; install the alias before importing it")
    installed = {}
    for alias, target in PREFECT_MODULES.items():
        module = importlib.import_module(target)
        sys.modules[alias] = module
        installed[alias] = module
    if _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)
    return installed


@contextlib.contextmanager
def prefect_alias() -> Iterator[None]:
    """``import prefect`` serves sim_prefect within the block; afterwards the modules are as they were.

    For code that runs in a process that may also hold the real Prefect (the
    test suite runs the page's runner in-process).
    """
    names = [*PREFECT_MODULES, *(n for n in sys.modules if n == "prefect" or n.startswith("prefect."))]
    saved = {name: sys.modules.get(name) for name in names}
    for name in names:
        sys.modules.pop(name, None)
    added = _finder not in sys.meta_path
    try:
        install_as_prefect()
        yield
    finally:
        if added and _finder in sys.meta_path:
            sys.meta_path.remove(_finder)
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


__all__ = ["NOT_IMITATED_MODULES", "PREFECT_MODULES", "install_as_prefect", "prefect_alias"]
