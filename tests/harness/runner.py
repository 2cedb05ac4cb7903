"""Run one conformance scenario on one backend, as ``python runner.py``.

    python tests/harness/runner.py --backend sim  --states OUT.json SCRIPT.py [ARGS...]
    python tests/harness/runner.py --backend real --states OUT.json SCRIPT.py [ARGS...]

The script is written against ``from prefect import ...``, or it is one of the
lesson's demo files, written against ``from sim_prefect import ...``.

- ``--backend real`` runs it on the installed Prefect (pointed at a server by
  ``PREFECT_API_URL``). Every run the script makes is tagged with a tag unique to
  this process, so the runs can be found again on a server that other scenarios
  share; afterwards their state histories are read back through Prefect's client.
  A demo file's ``import sim_prefect`` gets real Prefect's names instead
  (`_real_as_sim_prefect`); its `print_state_log()`, the simulator's own table,
  prints nothing there.
- ``--backend sim`` first makes ``import prefect`` resolve to ``sim_prefect``
  (`sim_prefect.install_as_prefect()`), then runs the same script; the state
  histories come from `sim_prefect.state_log()`.

Either way the script runs as ``__main__`` with its own folder first on the import path,
and an exception that escapes it is printed as Python would print it for the
script alone (the runner's and runpy's own frames are left out), exit status 1.

The state histories are written as JSON: one record per run, in the order the
runs started (see `_record`). This module uses only the standard library plus
the backend it is asked to run.
"""

from __future__ import annotations

import argparse
import json
import os
import runpy
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import serving  # beside this file (python tests/harness/runner.py puts its folder first on the import path)

RUNNER_FILES = {os.path.abspath(__file__)}


def _record(kind: str, name: str, states: list[Any], run_count: int, flow: str | None, start: float) -> dict[str, Any]:
    """One run as the JSON the tests compare."""
    return {
        "kind": kind,
        "name": name,
        "flow": flow,  # for a task run: the name of its flow run (None outside a flow)
        "states": [[s_name, s_type] for s_name, s_type, _, _ in states],
        "messages": [message for _, _, message, _ in states],
        "timestamps": [stamp for _, _, _, stamp in states],
        "run_count": run_count,
        "start": start,
    }


# -- the real backend ----------------------------------------------------------------


def _real_states(tag: str) -> list[dict[str, Any]]:
    """Every run tagged `tag`, read back through Prefect's client."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterId,
        FlowRunFilterTags,
        TaskRunFilter,
        TaskRunFilterTags,
    )

    def read(client: Any) -> list[dict[str, Any]]:
        flow_runs = client.read_flow_runs(flow_run_filter=FlowRunFilter(tags=FlowRunFilterTags(all_=[tag])))
        task_runs = client.read_task_runs(task_run_filter=TaskRunFilter(tags=TaskRunFilterTags(all_=[tag])))
        # A deployment's runs carry the deployment's tags, not the script's: a serving scenario names its
        # deployments (serving.py), and the task runs of every run read count too (run_deployment's own).
        setup = serving.configured()
        extra_flows, extra_tasks = serving.real_deployment_runs(setup[0]) if setup else ([], [])
        flow_runs = list({r.id: r for r in [*flow_runs, *extra_flows]}.values())
        if flow_runs:
            inside = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[r.id for r in flow_runs])))
            task_runs = list({r.id: r for r in [*task_runs, *extra_tasks, *inside]}.values())
        names = {fr.id: fr.name for fr in flow_runs}
        records = []
        for kind, run, reader in [("flow", fr, client.read_flow_run_states) for fr in flow_runs] + [
            ("task", tr, client.read_task_run_states) for tr in task_runs
        ]:
            states = sorted(reader(run.id), key=lambda s: s.timestamp)
            rows = [(s.name, s.type.value, s.message, s.timestamp.timestamp()) for s in states]
            flow = names.get(run.flow_run_id) if kind == "task" else None
            start = rows[0][3] if rows else 0.0
            records.append(_record(kind, run.name, rows, run.run_count, flow, start))
        return sorted(records, key=lambda r: r["start"])

    # Task-run states reach the server as events, recorded a moment later: read
    # until two reads agree and every run has ended (or we have waited enough).
    with get_client(sync_client=True) as client:
        previous = None
        deadline = time.monotonic() + 10
        while True:
            current = read(client)
            settled = all(r["states"] and r["states"][-1][1] in _FINAL for r in current)
            if current == previous and (settled or time.monotonic() > deadline):
                return current
            previous = current
            time.sleep(0.2)


_FINAL = {"COMPLETED", "FAILED", "CANCELLED", "CRASHED"}


# -- the simulated backend ---------------------------------------------------------------


def _sim_states() -> list[dict[str, Any]]:
    import sim_prefect

    runs = sim_prefect.state_log()
    names = {r.run_id: r.name for r in runs}
    records = []
    for run in runs:
        rows = [(s.name, s.type.value, s.message, s.timestamp.timestamp()) for s in run.states]
        flow = names.get(run.flow_run_id) if run.kind == "task" and run.flow_run_id else None
        records.append(_record(run.kind, run.name, rows, run.run_count, flow, rows[0][3] if rows else 0.0))
    return sorted(records, key=lambda r: r["start"])


# -- running the script ----------------------------------------------------------------


def _strip_runner_frames(exc: BaseException) -> None:
    """Drop the leading frames that belong to this runner and to runpy."""
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if os.path.abspath(filename) in RUNNER_FILES or "runpy" in os.path.basename(filename):
            tb = tb.tb_next
        else:
            break
    exc.__traceback__ = tb


def _real_as_sim_prefect(tag: str) -> None:
    """Let a demo file's ``from sim_prefect import flow, task, ...`` import real Prefect.

    The simulator's own `print_state_log()` prints nothing; its `state_log()`
    gives the runs so far, read back from the server (name, kind and states,
    each state with its name and type), as the demo files use it.
    """
    import types

    import prefect

    shim = types.ModuleType("sim_prefect")
    for name in prefect.__all__:
        setattr(shim, name, getattr(prefect, name))
    shim.print_state_log = lambda *args, **kwargs: None  # type: ignore[attr-defined]

    def state_log() -> list[Any]:
        runs = []
        for record in _real_states(tag):
            states = [
                types.SimpleNamespace(name=name, type=types.SimpleNamespace(value=kind))
                for name, kind in record["states"]
            ]
            runs.append(types.SimpleNamespace(kind=record["kind"], name=record["name"], states=states))
        return runs

    shim.state_log = state_log  # type: ignore[attr-defined]
    shim.__path__ = []  # a package, so that `sim_prefect.futures` and friends can be found
    sys.modules["sim_prefect"] = shim
    sys.meta_path.insert(0, _SubmodulesOfPrefect())


class _SubmodulesOfPrefect:
    """``import sim_prefect.X`` gives real ``prefect.X`` (for ``from sim_prefect.futures import wait``)."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if not name.startswith("sim_prefect."):
            return None
        import importlib
        import importlib.util

        real = importlib.import_module("prefect." + name.removeprefix("sim_prefect."))
        return importlib.util.spec_from_loader(name, _Alias(real))


class _Alias:
    """A loader whose module is an existing one."""

    def __init__(self, module: Any) -> None:
        self.module = module
        self.spec = module.__spec__

    def create_module(self, spec: Any) -> Any:
        return self.module

    def exec_module(self, module: Any) -> None:
        module.__spec__ = self.spec  # the import system set the alias's spec; the module stays prefect's


def run_script(script: str, args: list[str]) -> int:
    """Run `script` as ``__main__``; return the exit status Python would give."""
    path = os.path.abspath(script)
    sys.argv = [path, *args]
    # The one legitimate insert on the import path: it imitates `python script.py`, which
    # puts the script's own folder first, so that a script can import a module beside it as
    # it would at home (runpy.run_path does not do this by itself).
    sys.path.insert(0, os.path.dirname(path))
    try:
        runpy.run_path(path, run_name="__main__")
    except SystemExit as exc:
        code = exc.code
        if code is None:
            return 0
        if isinstance(code, int):
            return code
        print(code, file=sys.stderr)
        return 1
    except BaseException as exc:  # noqa: BLE001 - printed as Python would, like an uncaught error
        _strip_runner_frames(exc)
        sys.stdout.flush()
        sys.excepthook(type(exc), exc, exc.__traceback__)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("real", "sim"), required=True)
    parser.add_argument("--states", help="write the runs' state histories here (JSON)")
    parser.add_argument("script")
    parser.add_argument("args", nargs="*", help="the script's own arguments")
    args = parser.parse_args(argv)

    # A redirected stdout behaves like a terminal: flushed at each line, so the
    # script's prints interleave with the log lines (stderr) as they happen.
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]

    if args.backend == "sim":
        import sim_prefect

        sim_prefect.install_as_prefect()
        serving.drive("sim")
        with sim_prefect.tags(f"conformance-{uuid.uuid4().hex}"):  # as the real leg tags its runs
            status = run_script(args.script, args.args)
        states = _sim_states()
    else:
        from prefect import tags

        tag = f"conformance-{uuid.uuid4().hex}"
        _real_as_sim_prefect(tag)
        serving.drive("real")
        with tags(tag):
            status = run_script(args.script, args.args)
        states = _real_states(tag)

    if args.states:
        Path(args.states).write_text(json.dumps(states, indent=1))
    sys.stdout.flush()
    sys.stderr.flush()
    return status


if __name__ == "__main__":
    sys.exit(main())
