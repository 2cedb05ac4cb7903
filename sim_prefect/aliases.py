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

import importlib
import sys
from types import ModuleType

# Prefect's module name -> the sim_prefect module that stands in for it.
PREFECT_MODULES = {
    "prefect": "sim_prefect",
    "prefect.exceptions": "sim_prefect.exceptions",
    "prefect.flows": "sim_prefect.flows",
    "prefect.futures": "sim_prefect.futures",
    "prefect.logging": "sim_prefect.loggers",
    "prefect.runtime": "sim_prefect.runtime",
    "prefect.runtime.flow_run": "sim_prefect.runtime.flow_run",
    "prefect.runtime.task_run": "sim_prefect.runtime.task_run",
    "prefect.states": "sim_prefect.states",
    "prefect.tasks": "sim_prefect.tasks",
    "prefect.utilities": "sim_prefect.utilities",
    "prefect.utilities.annotations": "sim_prefect.annotations",
    "prefect.task_engine": "sim_prefect.exceptions",  # TaskRunTimeoutError lives here in Prefect
    "prefect.flow_engine": "sim_prefect.exceptions",  # FlowRunTimeoutError
}


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
    return installed


__all__ = ["PREFECT_MODULES", "install_as_prefect"]
