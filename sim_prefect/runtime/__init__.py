"""What the current run knows about itself (``prefect.runtime``).

``from prefect.runtime import flow_run, task_run``; then ``flow_run.name``,
``task_run.name``, ``task_run.parameters`` and so on, read at the moment of
access. Outside a run they give Prefect's empty values (None, {}, [] or 0).
"""

from __future__ import annotations

from . import flow_run, task_run

__all__ = ["flow_run", "task_run"]
