"""What the current run knows about itself (``prefect.runtime``).

``from prefect.runtime import flow_run, task_run``; then ``flow_run.name``,
``task_run.name``, ``task_run.parameters`` and so on, read at the moment of
access. Outside a run they give Prefect's empty values (None, {}, [] or 0).
As in Prefect, ``PREFECT__RUNTIME__FLOW_RUN__NAME=...`` (and so on) stands in
for a value, e.g. in a test.
"""

from __future__ import annotations

from typing import Any

from . import deployment, flow_run, task_run

__all__ = ["deployment", "flow_run", "task_run"]


def values() -> dict[str, Any]:
    """The runtime modules by name, for formatting a template like ``result_storage_key``."""
    return {"deployment": deployment, "flow_run": flow_run, "task_run": task_run}
