"""sim_prefect keeps its log records when real Prefect is imported in the same process.

Real Prefect configures `logging` when it is imported: it resets the handlers of
the ``prefect`` loggers and adds its own, including one that sends records to its
API. A test suite, or a learner's notebook, may import both. sim_prefect must
still receive every record as an event (the page and the state log read events,
not stderr).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, sys
import sim_prefect
from sim_prefect import flow, get_run_logger, task
from sim_prefect.run_events import LogEmitted

@flow
def warm_up():  # sim_prefect sets up its logging first...
    get_run_logger().info("warming up")

warm_up()
import prefect  # ...then real Prefect sets up its own, at import

session = sim_prefect.configure("deterministic", terminal=False)
seen = []
session.bus.subscribe(lambda e: seen.append([e.level, e.logger, e.message]) if isinstance(e, LogEmitted) else None)

@task
def t():
    get_run_logger().warning("careful")

@flow
def f():
    get_run_logger().critical("very bad")
    t()

f()
print(json.dumps(seen))
"""


@pytest.mark.skipif(importlib.util.find_spec("prefect") is None, reason="real Prefect is not installed")
def test_run_logger_records_reach_the_event_stream_after_real_prefect_is_imported(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PREFECT_HOME": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stdout.splitlines()[-1])
    assert seen == [
        ["INFO", "prefect.flow_runs", "Beginning flow run 'olive-ocelot' for flow 'f'"],
        ["CRITICAL", "prefect.flow_runs", "very bad"],
        ["WARNING", "prefect.task_runs", "careful"],
        ["INFO", "prefect.task_runs", "Finished in state Completed()"],
        ["INFO", "prefect.flow_runs", "Finished in state Completed()"],
    ]
