"""The cost of one scheduled run of a served deployment: sim_prefect's fast clock against real Prefect.

Part of ``python -m bench sim_prefect`` (bench_sim_prefect.py); each side runs in a
fresh child process of its own, and each repeat is timed separately. The served
flow is the same on both (`SERVED_FLOW`: a flow calling one trivial task).

- **sim_prefect** (`time_sim`, in a fresh ``fast`` session per repeat): the wall
  time of one ``served.serve(name=..., cron="* * * * *")`` call, stopped after
  `runs` runs have ended through the session's serve controls
  (``session().serving.stop_after_runs``), as the page's Stop or Ctrl-C would. It
  includes everything the serving process does: applying the deployment, the
  server's scheduler making each minute's run, the runner's polls, every run
  Scheduled -> Pending -> Running -> Completed with its log lines (to stderr, a
  file), and the shutdown (deployment paused). The fast clock skips the minute
  between runs: what is left is the cost of the runs.
- **real Prefect** (`time_real`): ``prefect server start`` (tests/harness's
  `PrefectServer`: loopback, its own home, analytics off), then the serving script
  as a process of its own (``served.serve(name=...)``, as tests/harness/serving.py
  serves a scenario), with ``PREFECT_RUNNER_POLL_FREQUENCY=1`` (Prefect's default
  is 10 s: idle time between polls, not a run's cost; its limit of 5 runs at once
  stays). Once the deployment is polled, each repeat creates `runs` runs of it
  through the client (as ``prefect deployment run`` does, without a CLI process
  per run) and times from just before the first is created until a read of the
  runs finds them all Completed (read every 0.1 s). Included: creating them, the
  runner's polls, a process per run, each run's engine, its states and logs sent
  to the server. Not included: starting the server, the serving process, or
  registering the deployment.

Per-run cost = wall time / runs on each side; ratios real / sim, repeat by repeat.
Scheduled (sim) against triggered (real) runs: on Prefect, the scheduler's runs
come due one a minute, so triggered runs, all due at once, are what shows its
cost per run; on the fast clock a scheduled run is due at once too.
"""

from __future__ import annotations

import contextlib
import io
import os
import runpy
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SERVED_FLOW = '''\
from prefect import flow, task


@task
def inc(x: int) -> int:
    return x + 1


@flow(name="bench-served")
def served() -> int:
    return inc(1)


if __name__ == "__main__":
    served.serve(name="bench-serve")
'''
DEPLOYMENT = "bench-served/bench-serve"
REAL_POLL_SECONDS = "1"
REAL_WAIT_SECONDS = 900.0  # one repeat's runs must end within this


def time_sim(runs: int) -> float:
    """Seconds for one fresh fast session to serve `runs` scheduled runs (a cron each minute)."""
    import sim_prefect

    s = sim_prefect.configure("fast")
    with tempfile.TemporaryDirectory(prefix="bench-served-") as folder:
        script = Path(folder) / "bench_served.py"  # a deployment's flow must come from a file, as on Prefect
        script.write_text(SERVED_FLOW, encoding="utf-8")
        with sim_prefect.aliases.prefect_alias():
            served = runpy.run_path(str(script), run_name="bench_served")["served"]
        s.serving.stop_after_runs = runs
        started = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):  # the runner's start message
            served.serve(name="bench-serve", cron="* * * * *")
        elapsed = time.perf_counter() - started
    ended = [r for r in s.store.runs if r.kind == "flow" and r.state is not None and r.state.is_completed()]
    if len(ended) < runs:
        raise RuntimeError(f"sim_prefect served {len(ended)} completed runs, not {runs}")
    return elapsed


def time_real(runs: int, repeats: int) -> list[float]:
    """Seconds for real Prefect's serving process to run `runs` triggered runs, per repeat."""
    from tests.harness.real_prefect import PrefectServer

    server = PrefectServer()
    serving: subprocess.Popen[bytes] | None = None
    try:
        server.start()
        server.wait_healthy()
        env = {**server.client_env(), "PREFECT_RUNNER_POLL_FREQUENCY": REAL_POLL_SECONDS}
        script = server.home / "bench_served.py"
        script.write_text(SERVED_FLOW, encoding="utf-8")
        with open(server.home / "serve.log", "wb") as log:
            serving = subprocess.Popen(
                [sys.executable, str(script)], env=env, cwd=server.home, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: its runs' processes end with it
            )  # fmt: skip
        os.environ.update(env)  # this process's client talks to the same server (prefect not imported yet)
        return _trigger_and_time(runs, repeats, serving, server.home / "serve.log")
    finally:
        if serving is not None and serving.poll() is None:
            os.killpg(serving.pid, signal.SIGINT)  # Ctrl-C
            try:
                serving.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(serving.pid, signal.SIGKILL)
                serving.wait()
        server.stop()


def _trigger_and_time(runs: int, repeats: int, serving: subprocess.Popen[bytes], log: Path) -> list[float]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.exceptions import ObjectNotFound

    def check_alive() -> None:
        if serving.poll() is not None:
            raise RuntimeError(f"the serving process ended ({serving.returncode}):\n{log.read_text(errors='replace')[-3000:]}")

    times: list[float] = []
    with get_client(sync_client=True) as client:
        deadline = time.monotonic() + REAL_WAIT_SECONDS
        while True:  # until the runner has polled for the deployment's runs once
            check_alive()
            with contextlib.suppress(ObjectNotFound):
                deployment = client.read_deployment_by_name(DEPLOYMENT)
                if deployment.last_polled is not None:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("the deployment was never polled")
            time.sleep(0.2)
        for _ in range(repeats):
            started = time.perf_counter()
            ids = [client.create_flow_run_from_deployment(deployment.id).id for _ in range(runs)]
            deadline = time.monotonic() + REAL_WAIT_SECONDS
            while True:
                found = client.read_flow_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=ids)))
                if sum(r.state is not None and r.state.is_completed() for r in found) == runs:
                    break
                failed = [r.state.name for r in found if r.state is not None and r.state.is_final() and not r.state.is_completed()]
                if failed:
                    raise RuntimeError(f"served runs ended {failed}:\n{log.read_text(errors='replace')[-3000:]}")
                check_alive()
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{runs} runs not Completed after {REAL_WAIT_SECONDS:.0f} s")
                time.sleep(0.1)
            times.append(time.perf_counter() - started)
    return times


__all__ = ["DEPLOYMENT", "SERVED_FLOW", "time_real", "time_sim"]
