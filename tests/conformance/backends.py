"""The two backends a conformance scenario can run on: real Prefect and sim_prefect.

Both run the scenario script in a fresh Python process through runner.py, so
each starts from clean module state, prints to a real stdout/stderr pair (merged
into one stream, as a terminal shows them), and leaves a JSON file with the
state history of every run it made.

Real Prefect would start its own temporary server in every process (about 4 s
each). Instead `PrefectServer` starts one ``prefect server start`` for the
whole test session, and every real scenario points at it with
``PREFECT_API_URL``. A dedicated server makes Prefect log one extra line per
flow run, ``View at http://.../runs/flow-run/<uuid>``; setting ``PREFECT_UI_URL``
to the empty string turns it off (Prefect then knows no UI URL and logs
nothing), so the transcripts look like the temporary server's.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from transcripts import FLOW_RUN_SLUG, TASK_RUN_SUFFIX

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
RUNNER = HERE / "runner.py"
SCENARIOS = HERE / "scenarios"
PREFECT_VERSION = "3.9.1"  # the version the golden transcripts were captured with

# Switches that keep a real Prefect run quiet and local (no telemetry, no UI link).
QUIET_PREFECT = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
    "PREFECT_TELEMETRY_ENABLE_RESOURCE_METRICS": "false",
    "PREFECT_UI_URL": "",
}

# The terminal each scenario pretends to have. Colour runs force colours the
# way a user would (FORCE_COLOR), with a 256-colour or a plain xterm, or with
# NO_COLOR (rich then keeps bold but drops colours).
COLOURS = {
    None: {"TERM": "dumb"},
    "256": {"FORCE_COLOR": "1", "TERM": "xterm-256color"},
    "16": {"FORCE_COLOR": "1", "TERM": "xterm"},
    "nocolor": {"FORCE_COLOR": "1", "TERM": "xterm-256color", "NO_COLOR": "1"},  # bold only
}


@dataclass(frozen=True)
class Result:
    """What one scenario run left behind."""

    output: str  # stdout and stderr, merged as they were written
    returncode: int
    states: list[dict[str, Any]]


def _base_env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PREFECT_", "SIM_PREFECT_")) and k not in ("FORCE_COLOR", "NO_COLOR", "TERM", "COLORTERM")
    }
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.pop("PYTHONPATH", None)
    return env


def generated_names_collide(states: list[dict[str, Any]]) -> bool:
    """Did two runs get the same generated name (e.g. two 'fetch_data-3f2')?

    Task-run names end in 3 random hex digits, so in a scenario with a dozen runs
    of one task this happens about once in a few hundred runs. The transcript then
    cannot be told apart run by run, so the scenario is run again.
    """
    seen: set[tuple[str, str]] = set()
    for record in states:
        key = (record["kind"], record["name"])
        generated = FLOW_RUN_SLUG.match(record["name"]) if record["kind"] == "flow" else TASK_RUN_SUFFIX.match(record["name"])
        if generated and key in seen:
            return True
        seen.add(key)
    return False


def run_scenario(backend: str, name: str, colour: str | None, env: dict[str, str], workdir: Path) -> Result:
    """Run scenario `name` on `backend` ('real' or 'sim') in a fresh process (again if names collide)."""
    for _ in range(3):
        result = _run_once(backend, name, colour, env, workdir)
        if not generated_names_collide(result.states):
            break
    return result


def _run_once(backend: str, name: str, colour: str | None, env: dict[str, str], workdir: Path) -> Result:
    states_file = workdir / f"{backend}-{name}-{colour or 'plain'}.json"
    states_file.unlink(missing_ok=True)
    proc = subprocess.run(
        [sys.executable, str(RUNNER), "--backend", backend, "--states", str(states_file), str(SCENARIOS / f"{name}.py")],
        cwd=str(SCENARIOS),
        env={**env, **COLOURS[colour]},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        timeout=180,
    )
    output = proc.stdout.decode("utf-8", "replace")
    states = json.loads(states_file.read_text()) if states_file.exists() else []
    return Result(output, proc.returncode, states)


class Backend:
    """Runs scenarios and remembers the results, so each runs once per session."""

    name: str

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self._results: dict[tuple[str, str | None], Future[Result] | Result] = {}

    def env(self) -> dict[str, str]:
        raise NotImplementedError

    def run(self, scenario: str, colour: str | None = None) -> Result:
        key = (scenario, colour)
        found = self._results.get(key)
        if isinstance(found, Future):
            found = found.result()
        if found is None:
            found = run_scenario(self.name, scenario, colour, self.env(), self.workdir)
        self._results[key] = found
        return found

    def prefetch(self, runs: list[tuple[str, str | None]], workers: int) -> None:
        """Start these runs now, a few at a time; `run()` then waits for each."""
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"{self.name}-scenarios")
        env = self.env()
        for scenario, colour in runs:
            if (scenario, colour) not in self._results:
                self._results[(scenario, colour)] = pool.submit(
                    run_scenario, self.name, scenario, colour, env, self.workdir
                )
        pool.shutdown(wait=False)


class SimBackend(Backend):
    """sim_prefect in fast mode, as the page runs it: real time, waits skipped."""

    name = "sim"

    def env(self) -> dict[str, str]:
        # Seeded names: the same in every run (and checked free of collisions).
        return {**_base_env(), "SIM_PREFECT_MODE": "fast", "SIM_PREFECT_SEED": "0"}


class RealBackend(Backend):
    """Real Prefect, every process talking to one shared server."""

    name = "real"

    def __init__(self, workdir: Path, server: PrefectServer) -> None:
        super().__init__(workdir)
        self.server = server

    def env(self) -> dict[str, str]:
        return self.server.client_env()

def installed_prefect_version() -> str | None:
    """The version of the `prefect` importable by this Python, or None."""
    try:
        from importlib.metadata import PackageNotFoundError, version
    except ImportError:  # pragma: no cover
        return None
    try:
        return version("prefect")
    except PackageNotFoundError:
        return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PrefectServer:
    """One ``prefect server start`` on loopback, with its own PREFECT_HOME."""

    def __init__(self) -> None:
        self.home = Path(tempfile.mkdtemp(prefix="conformance-prefect-home-"))
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/api"
        self.log = self.home / "server.log"
        self._proc: subprocess.Popen[bytes] | None = None

    def _env(self) -> dict[str, str]:
        return {**_base_env(), **QUIET_PREFECT, "PREFECT_HOME": str(self.home)}

    def client_env(self) -> dict[str, str]:
        return {**self._env(), "PREFECT_API_URL": self.url}

    def start(self) -> None:
        with open(self.log, "wb") as log:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(self.port)],
                env=self._env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so stop() ends all of it
            )

    def wait_healthy(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc is not None and self._proc.poll() is not None:
                raise RuntimeError(f"prefect server exited early; see {self.log}:\n{self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.25)
        raise RuntimeError(f"prefect server not healthy after {timeout:.0f} s; see {self.log}")

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            os.killpg(self._proc.pid, signal.SIGTERM)
            try:
                self._proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self._proc.pid, signal.SIGKILL)
                self._proc.wait()
        shutil.rmtree(self.home, ignore_errors=True)
