"""What a plain flow Run loads of sim_prefect, against the server-side features: import times and modules.

Part of ``python -m bench sim_prefect`` (bench_sim_prefect.py). The page's Run-ready
must not pay for Prefect's server-side features (deployments, the runner, the
client, the CLI, variables, blocks, events, ...): they load only when a Run imports
them. Measured, each repeat in a fresh interpreter:

- ``from prefect import flow, task`` on sim_prefect (``install_as_prefect()``
  first, as the page and the conformance suite do): its time, and the sim_prefect
  modules it loads;
- a plain flow Run after it (a direct task call, a submitted task, a map,
  printed lines): the modules it loads beyond the import (none expected);
- then the server-side imports a practitioner writes (`SERVER_IMPORTS`): their
  time on top, and the modules they load;
- the page's own start (CPython only): ``import playground.runner`` and its
  ``warm_up()``, which is the state the page's memory snapshot holds, then a
  plain Run through ``playground.runner.run``.

The same snippet runs in this CPython and, when Node.js and Pyodide are there, in
Pyodide under Node (tests/harness/pyodide.py's command, our Python as the page's
python.zip). Anchor: real Prefect's ``from prefect import flow, task`` in a fresh
CPython. Every loaded module is named against `SERVER_SIDE`, so what a plain Run
loads of them is printed by name.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from tests.harness.real_prefect import clean_env, prefect_env

ROOT = Path(__file__).resolve().parent.parent

# The sim_prefect modules behind Prefect's server-side features (a name, or a package and all below it).
SERVER_SIDE = (
    "sim_prefect.server", "sim_prefect.runner", "sim_prefect.deployments", "sim_prefect.client",
    "sim_prefect.cli", "sim_prefect.events", "sim_prefect.concurrency", "sim_prefect.transactions",
    "sim_prefect.variables", "sim_prefect.blocks", "sim_prefect.schedules", "sim_prefect.flow_runs",
    "sim_prefect.input", "sim_prefect.testing", "sim_prefect.locking", "sim_prefect.serve_controls",
)  # fmt: skip

# What a practitioner imports for those features (`sim_prefect.cli` is the page's terminal).
SERVER_IMPORTS = """\
from prefect import serve, get_client, pause_flow_run
from prefect.runner import Runner
from prefect.deployments import run_deployment
from prefect.schedules import Cron, Interval
from prefect.variables import Variable
from prefect.blocks.system import Secret
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter
from prefect.concurrency.sync import concurrency, rate_limit
from prefect.transactions import transaction
from prefect.events import emit_event
from prefect.input import RunInput
from prefect.testing.utilities import prefect_test_harness
import sim_prefect.cli
"""

# A plain Run: synchronous, since Pyodide under Node cannot run asyncio.run() from a plain
# runPython (the page's start covers async flows: warm_up() runs one).
PLAIN_RUN = """\
@task(retries=1)
def inc(x):
    return x + 1
@flow(log_prints=True)
def plain():
    print(inc(1), inc.submit(2).result(), inc.map([3, 4]).result())
plain()
"""

SNIPPET = '''
import json, sys, time

def ours():
    return sorted(m for m in sys.modules if m == "sim_prefect" or m.startswith("sim_prefect."))

out = {}
started = time.perf_counter()
import sim_prefect
sim_prefect.install_as_prefect()
from prefect import flow, task
out["flow, task"] = time.perf_counter() - started
out["loaded by flow, task"] = ours()
sim_prefect.configure("fast", terminal=False)
exec(compile(PLAIN_RUN, "plain.py", "exec"), {"flow": flow, "task": task, "__name__": "plain"})
out["loaded by a plain Run"] = sorted(set(ours()) - set(out["loaded by flow, task"]))
started = time.perf_counter()
exec(compile(SERVER_IMPORTS, "server.py", "exec"), {})
out["server-side imports"] = time.perf_counter() - started
out["loaded by server-side imports"] = sorted(set(ours()) - set(out["loaded by flow, task"]) - set(out["loaded by a plain Run"]))
print(json.dumps(out))
'''.replace("PLAIN_RUN", repr(PLAIN_RUN)).replace("SERVER_IMPORTS", repr(SERVER_IMPORTS))

PAGE_SNIPPET = '''
import json, sys, time

def ours():
    return sorted(m for m in sys.modules if m.startswith(("sim_prefect", "playground")))

out = {}
started = time.perf_counter()
import playground.runner as runner
runner.warm_up()
out["page start"] = time.perf_counter() - started
out["loaded by the page's start"] = ours()
runner.run("from prefect import flow, task\\n" + PLAIN_RUN, mode="fast")
out["loaded by a plain Run in the page"] = sorted(set(ours()) - set(out["loaded by the page's start"]))
print(json.dumps(out))
'''.replace("PLAIN_RUN", repr(PLAIN_RUN))

REAL_SNIPPET = """
import json, time
started = time.perf_counter()
from prefect import flow, task
print(json.dumps({"flow, task": time.perf_counter() - started}))
"""


def server_side(modules: list[str]) -> list[str]:
    return [m for m in modules if any(m == s or m.startswith(s + ".") for s in SERVER_SIDE)]


def _last_json(stdout: str) -> dict[str, Any]:
    return json.loads(stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def run_cpython(code: str, repeats: int, env: dict[str, str] | None = None, python: str = sys.executable) -> list[dict[str, Any]]:
    """`code` in `repeats` fresh processes of `python` (from the project's root), each one's JSON."""
    with tempfile.TemporaryDirectory(prefix="bench-imports-") as tmp:
        path = Path(tmp) / "snippet.py"
        path.write_text(code, encoding="utf-8")
        return [
            _last_json(subprocess.run([python, str(path)], capture_output=True, text=True, check=True,
                                      cwd=ROOT, env={**(env or clean_env()), "PYTHONPATH": str(ROOT)}).stdout)  # fmt: skip
            for _ in range(repeats)
        ]


def run_pyodide(code: str, repeats: int) -> list[dict[str, Any]] | str:
    """`code` in `repeats` fresh Pyodides under Node (our Python as the page's python.zip), or why not."""
    if shutil.which("node") is None or not (ROOT / "node_modules" / "pyodide" / "pyodide.mjs").exists():
        return "skipped (Node.js or node_modules/pyodide missing: `make node_modules/.installed`)"
    from lessonbuild import assets
    from tests.harness.pyodide import node_command

    with tempfile.TemporaryDirectory(prefix="bench-imports-") as tmp:
        zip_path, code_path = Path(tmp) / "python.zip", Path(tmp) / "snippet.py"
        zip_path.write_bytes(assets.python_zip(ROOT))
        code_path.write_text(code, encoding="utf-8")
        command = node_command(ROOT / "bench" / "pyodide_big_flow.mjs", str(zip_path), str(code_path))
        return [
            _last_json(subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT, timeout=600).stdout)
            for _ in range(repeats)
        ]


def _ms(values: list[float]) -> str:
    return " / ".join(f"{v * 1000:.0f}" for v in (min(values), statistics.median(values), max(values))) + " ms"


def _names(modules: list[str]) -> str:
    return ", ".join(m.removeprefix("sim_prefect.") for m in modules) if modules else "none"


def report_side(label: str, results: list[dict[str, Any]], real_import: list[float] | None) -> None:
    """Print one interpreter's figures (modules from the first repeat: they are the same in every one)."""
    first = results[0]
    flow_task = [r["flow, task"] for r in results]
    server = [r["server-side imports"] for r in results]
    print(f"{label}:")
    anchor = ""
    if real_import:
        ratios = sorted(r / s for r, s in zip(real_import, flow_task))
        anchor = f"   (real Prefect's, CPython: {_ms(real_import)}; real / sim median {statistics.median(ratios):.0f}x)"
    print(f"  from prefect import flow, task       {_ms(flow_task)}, {len(first['loaded by flow, task'])} sim_prefect modules{anchor}")
    print(f"    of them server-side: {_names(server_side(first['loaded by flow, task']))}")
    plain = first["loaded by a plain Run"]
    print(f"  a plain flow Run then loads           {len(plain)} more: {_names(plain)}")
    print(f"    of them server-side: {_names(server_side(plain))}")
    loaded = first["loaded by server-side imports"]
    print(f"  + the server-side imports             {_ms(server)} more, {len(loaded)} more modules"
          f" ({len(server_side(loaded))} of them server-side)")  # fmt: skip


def main(repeats: int, pyodide: bool, real_python: str | None) -> None:
    print(f"imports: min / median / max over {repeats} fresh interpreters; server-side = sim_prefect's "
          + ", ".join(s.removeprefix("sim_prefect.") for s in SERVER_SIDE))  # fmt: skip
    print("  server-side imports timed: " + "; ".join(SERVER_IMPORTS.strip().splitlines()))
    real_import: list[float] | None = None
    if real_python is not None:
        with tempfile.TemporaryDirectory(prefix="bench-prefect-home-") as home:
            real_import = [r["flow, task"] for r in run_cpython(REAL_SNIPPET, repeats, prefect_env(Path(home)), real_python)]
    report_side(f"CPython {sys.version.split()[0]}", run_cpython(SNIPPET, repeats), real_import)
    page = run_cpython(PAGE_SNIPPET, 1)[0]
    start = page["loaded by the page's start"]
    print(f"  the page's start (import playground.runner, warm_up(): what its memory snapshot holds): "
          f"{len([m for m in start if m.startswith('sim_prefect')])} sim_prefect modules")  # fmt: skip
    print(f"    of them server-side: {_names(server_side(start))}")
    print(f"    a plain Run through playground.runner.run then loads: {_names(page['loaded by a plain Run in the page'])}")
    if pyodide:
        results = run_pyodide(SNIPPET, repeats)
        if isinstance(results, str):
            print(f"Pyodide under Node: {results}")
        else:
            report_side("Pyodide under Node (first import compiles our sources: no .pyc in python.zip)", results, None)
