"""Run one CLI scenario on one backend, as ``python cli_session.py``: set the server up, then type the commands.

    python tests/harness/cli_session.py --backend real --out TRANSCRIPT SCENARIO_DIR
    python tests/harness/cli_session.py --backend sim  --out TRANSCRIPT SCENARIO_DIR

A scenario folder holds plain ``from prefect import ...`` scripts and the commands a
learner types:

- ``setup.py`` (optional): populates the server (runs flows, saves variables, limits, blocks);
- ``serve.py`` (optional): serves a deployment while the commands are typed;
- ``commands.txt``: one ``prefect ...`` line per command, optionally preceded by
  ``COLUMNS=60`` (the terminal's width; 100 otherwise) and followed by ``# relative``
  when the output tells times in words (see tests/harness/normalize.py). ``{run:NAME}``
  stands for the id of the flow run named NAME; ``@deployment FLOW/NAME`` waits until
  the served deployment is there; ``@parallel`` says that no command changes what
  another prints (help pages, usage errors), so the real leg may run them side by side;
- ``cleanup.py`` (optional): removes what the scenario made that the commands did not, from
  the real leg's server (a sim_prefect session ends with its process).

- ``--backend real``: each script runs in a process of its own against the server
  ``PREFECT_API_URL`` names (``serve.py`` in the background, stopped with Ctrl-C at the
  end), and each command is the installed ``prefect`` command, in a process of its own.
- ``--backend sim``: everything in this one process, as in the page: the scripts run on
  sim_prefect (``import prefect`` gives it), and each command is `sim_prefect.cli.run`
  on the same session; with ``serve.py``, the commands are typed while it serves (as a
  job on the session's scheduler, as the page's terminal types them beside a served Run).

The transcript (each command's line, what it printed, stdout and stderr merged, and its
exit status) goes to ``--out``; the scripts' own output goes to this process's stdout.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import runpy
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PLACEHOLDER = re.compile(r"\{run:([^}]+)\}")
WAIT_SECONDS = 90.0
PARALLEL = 4  # commands at once, for a scenario whose commands change nothing


@dataclass
class Step:
    line: str  # as written, `# relative` included
    argv: list[str]  # after `prefect`, placeholders not yet filled
    columns: int = 100
    deployment: str | None = None  # `@deployment FLOW/NAME`: wait for it instead of typing a command


def read_steps(path: Path) -> list[Step]:
    steps = []
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or line == "@parallel":
            continue
        if line.startswith("@deployment "):
            steps.append(Step(line, [], deployment=line.split(None, 1)[1]))
            continue
        command = line.split("  #", 1)[0].strip()
        columns = 100
        if command.startswith("COLUMNS="):
            width, command = command.split(None, 1)
            columns = int(width.split("=", 1)[1])
        words = shlex.split(command)
        assert words[0] == "prefect", f"{path}: a command starts with `prefect`: {raw!r}"
        steps.append(Step(line, words[1:], columns))
    return steps


def flow_run_id(name: str) -> str:
    """The id of the flow run named `name`, read through the client (Prefect's or sim_prefect's)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterName

    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(flow_run_filter=FlowRunFilter(name=FlowRunFilterName(any_=[name])))
    if len(runs) != 1:
        raise LookupError(f"expected one flow run named {name!r}, found {len(runs)}")
    return str(runs[0].id)


def wait_for_deployment(name: str) -> None:
    """Until the deployment is on the server and its serving process has polled it once."""
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        with get_client(sync_client=True) as client:
            try:
                if client.read_deployment_by_name(name).last_polled is not None:
                    return
            except ObjectNotFound:
                pass
        time.sleep(0.5)
    raise TimeoutError(f"deployment {name} was not served within {WAIT_SECONDS:.0f} s")


def filled(argv: list[str]) -> list[str]:
    return [PLACEHOLDER.sub(lambda m: flow_run_id(m.group(1)), word) for word in argv]


def typed(step: Step, argv: list[str]) -> str:
    """The command line as the transcript shows it: the ids filled in, the `# relative` mark kept."""
    prefix = f"COLUMNS={step.columns} " if step.columns != 100 else ""
    mark = "  # relative" if step.line.endswith("# relative") else ""
    return " ".join(["$", f"{prefix}prefect", *([shlex.join(argv)] if argv else [])]) + mark


# -- real Prefect ---------------------------------------------------------------------------------


def _prefect_command() -> list[str]:
    script = Path(sys.executable).with_name("prefect")
    return [str(script)] if script.exists() else [sys.executable, "-m", "prefect"]


def _prefect(folder: Path, env: dict[str, str], step: Step) -> str:
    """One command, typed in a terminal of its own: its transcript entry."""
    argv = filled(step.argv)
    done = subprocess.run(
        [*_prefect_command(), *argv], cwd=folder, env={**env, "COLUMNS": str(step.columns)},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=240,
    )  # fmt: skip
    return f"{typed(step, argv)}\n{done.stdout.decode('utf-8', 'replace')}[exit {done.returncode}]\n"


def run_real(folder: Path, steps: list[Step], out: io.TextIOBase) -> None:
    # Served from a git checkout with a remote (a fresh clone: CI's), Prefect names a deployment's version after
    # the commit (prefect/_internal/versioning.py); the transcripts were recorded outside any repository, so git
    # is kept from climbing out of the scenario's folder.
    env = {**os.environ, "GIT_CEILING_DIRECTORIES": str(folder.parent)}
    if (folder / "setup.py").exists():
        subprocess.run([sys.executable, "setup.py"], cwd=folder, env=env, check=True)
    served = None
    if (folder / "serve.py").exists():
        served = subprocess.Popen([sys.executable, "serve.py"], cwd=folder, env=env, start_new_session=True)
    try:
        if "@parallel" in (folder / "commands.txt").read_text().splitlines():
            with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
                out.write("".join(pool.map(lambda step: _prefect(folder, env, step), steps)))
            return
        for step in steps:
            if step.deployment:
                wait_for_deployment(step.deployment)
                continue
            out.write(_prefect(folder, env, step))
            out.flush()
    finally:
        if served is not None:
            os.killpg(served.pid, signal.SIGINT)  # Ctrl-C, as at home
            try:
                served.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(served.pid, signal.SIGKILL)
                served.wait()
        if (folder / "cleanup.py").exists():
            subprocess.run([sys.executable, "cleanup.py"], cwd=folder, env=env, check=True)


# -- sim_prefect ------------------------------------------------------------------------------------


def _run_script(path: Path) -> None:
    """`path` as ``python path`` would run it (its folder first on the import path)."""
    sys.argv = [str(path)]
    sys.path.insert(0, str(path.parent))
    try:
        runpy.run_path(str(path), run_name="__main__")
    finally:
        sys.path.remove(str(path.parent))


def _typing(steps: list[Step], out: io.TextIOBase) -> Iterator[Any]:
    """Type each command in turn (a generator: a job's steps, when a script serves meanwhile)."""
    from sim_prefect.cli import run
    from sim_prefect.scheduler import Sleep

    for step in steps:
        if step.deployment:
            continue  # the served deployment is made before the loop that types these commands starts
        argv = filled(step.argv)
        buffer = io.StringIO()
        status = run(argv, columns=step.columns, stdout=buffer, stderr=buffer)
        out.write(f"{typed(step, argv)}\n{buffer.getvalue()}[exit {status}]\n")
        yield Sleep(0.0)  # the next command is the job's next step


def run_sim(folder: Path, steps: list[Step], out: io.TextIOBase) -> None:
    import sim_prefect
    from sim_prefect.scheduler import Job

    sim_prefect.install_as_prefect()
    session = sim_prefect.session()
    os.chdir(folder)
    if (folder / "setup.py").exists():
        _run_script(folder / "setup.py")
    if (folder / "serve.py").exists():
        typing = _typing(steps, out)
        finished: list[bool] = []

        def commands() -> Iterator[Any]:
            yield from typing
            finished.append(True)

        session.scheduler.spawn(Job(commands()))
        session.serving.stop_when(lambda: bool(finished))
        _run_script(folder / "serve.py")
    else:
        for _ in _typing(steps, out):
            pass


RUNNERS: dict[str, Callable[[Path, list[Step], io.TextIOBase], None]] = {"real": run_real, "sim": run_sim}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=sorted(RUNNERS), required=True)
    parser.add_argument("--out", required=True, help="where the transcript goes")
    parser.add_argument("scenario", help="the scenario's folder")
    args = parser.parse_args(argv)
    folder = Path(args.scenario).resolve()
    with open(args.out, "w", encoding="utf-8") as out:
        RUNNERS[args.backend](folder, read_steps(folder / "commands.txt"), out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
