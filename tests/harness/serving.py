"""A script that serves deployments, driven as a learner would from a second terminal: used by runner.py.

A serving scenario (``flow.serve(...)`` or ``serve(...)``) runs until Ctrl-C. Its scenario in
tests/conformance names, in its environment:

- ``CONFORMANCE_DEPLOYMENTS``: the deployments it serves (``flow/name``, comma-separated): the
  runs of these are read back with its state history, whatever their tags;
- ``CONFORMANCE_WHILE_SERVING``: the ``prefect`` commands typed meanwhile (``;``-separated,
  each split as a shell splits it, without ``prefect``), e.g.
  ``deployment run 'hello/hello-dep' --param name=cli``;
- ``CONFORMANCE_SERVED_RUNS``: how many runs of those deployments end before Ctrl-C; a scenario that
  does not serve leaves it out (its deployments are named only to read their runs back).

`drive` sets this up inside the script's own process, before the script runs:

- **real**: a thread waits until the deployments are served (their ``last_polled`` set), types
  each command with the installed ``prefect`` command (a process of its own, as in another
  terminal), waits until that many runs have ended (and a moment more, for the served run's
  last line), and sends Ctrl-C (SIGINT) to this process;
- **sim**: the commands are typed through ``sim_prefect.cli.run`` by a job on the session's
  scheduler (the page's terminal types them so), and serving stops, as on Ctrl-C, through the
  session's serve controls once that many runs have ended.

A command that fails prints its output into the transcript, so a failure shows in the comparison.
"""

from __future__ import annotations

import io
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

WAIT_SECONDS = 120.0
LAST_LINE_SECONDS = 2.0  # Prefect's "Finished in state" line comes about a second after the state
FINAL = {"COMPLETED", "FAILED", "CANCELLED", "CRASHED"}


def configured() -> tuple[list[str], list[list[str]], int] | None:
    names = [n for n in os.environ.get("CONFORMANCE_DEPLOYMENTS", "").split(",") if n]
    if not names:
        return None
    commands = [shlex.split(c) for c in os.environ.get("CONFORMANCE_WHILE_SERVING", "").split(";") if c.strip()]
    return names, commands, int(os.environ.get("CONFORMANCE_SERVED_RUNS", "1"))


def drive(backend: str) -> None:
    """Set up the second terminal for a serving scenario (nothing for any other: a scenario may name its
    deployments only to have their runs read back)."""
    setup = configured()
    if setup is None or "CONFORMANCE_SERVED_RUNS" not in os.environ:
        return
    if backend == "real":
        threading.Thread(target=_drive_real, args=setup, daemon=True).start()
    else:
        _drive_sim(*setup)


# -- real Prefect ---------------------------------------------------------------------------------------


def _prefect_command() -> list[str]:
    script = Path(sys.executable).with_name("prefect")
    return [str(script)] if script.exists() else [sys.executable, "-m", "prefect"]


def _real_runs(client: Any, names: list[str]) -> list[Any]:
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterName

    short = [n.split("/", 1)[1] for n in names]
    return list(client.read_flow_runs(deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=short))))


def _drive_real(names: list[str], commands: list[list[str]], ended: int) -> None:
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    deadline = time.monotonic() + WAIT_SECONDS
    with get_client(sync_client=True) as client:
        for name in names:
            while time.monotonic() < deadline:
                try:
                    if client.read_deployment_by_name(name).last_polled is not None:
                        break
                except ObjectNotFound:
                    pass
                time.sleep(0.5)
        for argv in commands:
            done = subprocess.run([*_prefect_command(), *argv], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            if done.returncode:
                print(done.stdout.decode("utf-8", "replace"), flush=True)
        while time.monotonic() < deadline:
            runs = _real_runs(client, names)
            states = [r.state.type.value for r in runs if r.state is not None]
            if sum(s in FINAL for s in states) >= ended and not any(s in ("PENDING", "RUNNING") for s in states):
                break
            time.sleep(0.5)
    time.sleep(LAST_LINE_SECONDS)
    os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C


def real_deployment_runs(names: list[str]) -> tuple[list[Any], list[Any]]:
    """The served deployments' flow runs and their task runs, read back through Prefect's client."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        flow_runs = _real_runs(client, names)
        ids = [r.id for r in flow_runs]
        task_runs = list(client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=ids)))) if ids else []
    return flow_runs, task_runs


# -- sim_prefect -----------------------------------------------------------------------------------------


def _drive_sim(names: list[str], commands: list[list[str]], ended: int) -> None:
    import sim_prefect
    from sim_prefect.cli import run
    from sim_prefect.scheduler import Job, Sleep

    session = sim_prefect.session()
    typed: list[bool] = []

    def typing() -> Iterator[Any]:
        for argv in commands:
            buffer = io.StringIO()
            if run(argv, stdout=buffer, stderr=buffer):
                print(buffer.getvalue(), flush=True)
            yield Sleep(0.0)
        typed.append(True)

    def served() -> list[Any]:
        ids = {d.id for d in session.store.deployments.values() if d.full_name in names}
        return [r for r in session.store.runs if r.kind == "flow" and r.deployment_id in ids]

    def over() -> bool:
        states = [r.state for r in served() if r.state is not None]
        in_progress = any(s.type.value in ("PENDING", "RUNNING") for s in states)
        return bool(typed) and sum(s.is_final() for s in states) >= ended and not in_progress

    session.scheduler.spawn(Job(typing()))
    session.serving.stop_when(over)


__all__ = ["configured", "drive", "real_deployment_runs"]
