"""The two backends a script can run on: real Prefect and sim_prefect.

Both run the script in a fresh Python process through runner.py, so each
starts from clean module state, prints to a real stdout/stderr pair (merged
into one stream, as a terminal shows them), and leaves a JSON file with the
state history of every run it made. A script is a conformance scenario, one
of the lesson's demo files, or a claim the lesson makes; it runs from its own
folder.

Each run gets its own result storage folder, empty at first, so that cached
results never leak between scripts; a `Script` with ``runs=2`` runs twice on
the same storage, as ``python script.py`` run twice at home would.
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.harness.real_prefect import PrefectServer, clean_env
from tests.harness.normalize import FLOW_RUN_SLUG, TASK_RUN_SUFFIX

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
RUNNER = HERE / "runner.py"

# The terminal each run pretends to have. Colour runs force colours the way a
# user would (FORCE_COLOR), with a 256-colour or a plain xterm, or with
# NO_COLOR (rich then keeps bold but drops colours).
COLOURS = {
    None: {"TERM": "dumb"},
    "256": {"FORCE_COLOR": "1", "TERM": "xterm-256color"},
    "16": {"FORCE_COLOR": "1", "TERM": "xterm"},
    "nocolor": {"FORCE_COLOR": "1", "TERM": "xterm-256color", "NO_COLOR": "1"},
}
# Printed between the runs of a script that runs more than once.
NEXT_RUN = "=== the same script, run again ==="


@dataclass(frozen=True)
class Script:
    """A script to run: where it is, how many times, with which arguments and colours."""

    path: Path
    runs: int = 1
    args: tuple[str, ...] = ()
    colour: str | None = None
    env: tuple[tuple[str, str], ...] = ()  # extra environment variables

    @property
    def key(self) -> str:
        return f"{self.path.parent.name}-{self.path.stem}-{self.colour or 'plain'}-{self.runs}"


@dataclass(frozen=True)
class Result:
    """What one script left behind (all its runs together)."""

    output: str  # stdout and stderr, merged as they were written
    returncode: int
    states: list[dict[str, Any]] = field(default_factory=list)


def generated_names_collide(states: list[dict[str, Any]]) -> bool:
    """Did two runs get the same generated name (e.g. two 'fetch_data-3f2')?

    Task-run names end in 3 random hex digits, so in a script with a dozen runs
    of one task this happens about once in a few hundred runs. The transcript then
    cannot be told apart run by run, so the script is run again.
    """
    seen: set[tuple[str, str]] = set()
    for record in states:
        key = (record["kind"], record["name"])
        generated = FLOW_RUN_SLUG.match(record["name"]) if record["kind"] == "flow" else TASK_RUN_SUFFIX.match(record["name"])
        if generated and key in seen:
            return True
        seen.add(key)
    return False


def run_script(backend: str, script: Script, env: dict[str, str], workdir: Path) -> Result:
    """Run `script` on `backend` ('real' or 'sim') in fresh processes (again if names collide)."""
    for _ in range(3):
        result = _run_all(backend, script, env, workdir)
        if not generated_names_collide(result.states):
            break
    return result


def _run_all(backend: str, script: Script, env: dict[str, str], workdir: Path) -> Result:
    storage = workdir / f"{backend}-{script.key}-storage"
    if storage.exists():
        for old in storage.iterdir():
            old.unlink()
    isolated = {
        **env, **COLOURS[script.colour], **dict(script.env),
        "PREFECT_LOCAL_STORAGE_PATH": str(storage), "SIM_PREFECT_HOME": str(workdir / f"{backend}-{script.key}-home"),
    }  # fmt: skip
    outputs: list[str] = []
    states: list[dict[str, Any]] = []
    returncode = 0
    for n in range(script.runs):
        states_file = workdir / f"{backend}-{script.key}-{n}.json"
        states_file.unlink(missing_ok=True)
        # A later run is another process: other generated names and ids (sim_prefect's are seeded).
        seeded = {"SIM_PREFECT_SEED": str(n)} if n and "SIM_PREFECT_SEED" in isolated else {}
        proc = subprocess.run(
            [sys.executable, str(RUNNER), "--backend", backend, "--states", str(states_file), str(script.path), *script.args],
            cwd=str(script.path.parent),
            env={**isolated, **seeded},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=240,
        )
        outputs.append(proc.stdout.decode("utf-8", "replace"))
        states += json.loads(states_file.read_text()) if states_file.exists() else []
        returncode = proc.returncode
    return Result(f"{NEXT_RUN}\n".join(outputs), returncode, states)


class Backend:
    """Runs scripts and remembers the results, so each runs once per session."""

    name: str

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self._results: dict[Script, Future[Result] | Result] = {}

    def env(self) -> dict[str, str]:
        raise NotImplementedError

    def run(self, script: Script) -> Result:
        found = self._results.get(script)
        if isinstance(found, Future):
            found = found.result()
        if found is None:
            found = run_script(self.name, script, self.env(), self.workdir)
        self._results[script] = found
        return found

    def prefetch(self, scripts: list[Script], workers: int) -> None:
        """Start these runs now, a few at a time; `run()` then waits for each."""
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"{self.name}-scripts")
        env = self.env()
        for script in scripts:
            if script not in self._results:
                self._results[script] = pool.submit(run_script, self.name, script, env, self.workdir)
        pool.shutdown(wait=False)


class SimBackend(Backend):
    """sim_prefect in fast mode, as the page runs it: real time, waits skipped."""

    name = "sim"

    def env(self) -> dict[str, str]:
        # Seeded names: the same in every run (and checked free of collisions).
        return {**clean_env(), "SIM_PREFECT_MODE": "fast", "SIM_PREFECT_SEED": "0"}


class RealBackend(Backend):
    """Real Prefect, every process talking to one shared server."""

    name = "real"

    def __init__(self, workdir: Path, server: PrefectServer) -> None:
        super().__init__(workdir)
        self.server = server

    def env(self) -> dict[str, str]:
        return self.server.client_env()


__all__ = ["Backend", "NEXT_RUN", "RealBackend", "Result", "Script", "SimBackend", "run_script"]
