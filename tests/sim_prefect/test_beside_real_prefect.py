"""sim_prefect keeps its log records when real Prefect is imported in the same process.

Real Prefect configures `logging` when it is imported (its own handlers on the
``prefect`` loggers, including one that sends records to its API). A test
suite, or a learner's notebook, may import both; sim_prefect must still print
every line, once.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import prefect  # real Prefect first: it sets up logging at import
import sim_prefect
from sim_prefect import flow, get_run_logger, task

sim_prefect.configure("deterministic")

@task
def t():
    get_run_logger().warning("careful")

@flow
def f():
    get_run_logger().critical("very bad")
    t()

f()
"""


@pytest.mark.skipif(importlib.util.find_spec("prefect") is None, reason="real Prefect is not installed")
def test_records_survive_real_prefects_logging_setup() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PREFECT_HOME": str(ROOT / ".build" / "prefect-home")}
    proc = subprocess.run(
        [sys.executable, "-W", "error::UserWarning", "-c", SCRIPT],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    lines = [line.split(" | ", 1)[1] for line in proc.stderr.splitlines() if " | " in line]
    assert lines == [
        "INFO    | Flow run 'olive-ocelot' - Beginning flow run 'olive-ocelot' for flow 'f'",
        "CRITICAL | Flow run 'olive-ocelot' - very bad",
        "WARNING | Task run 't-7c6' - careful",
        "INFO    | Task run 't-7c6' - Finished in state Completed()",
        "INFO    | Flow run 'olive-ocelot' - Finished in state Completed()",
    ]
