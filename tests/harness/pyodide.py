"""Pyodide under Node.js, as the tests and benchmarks start it: one command line for all of them.

Node needs ``--experimental-wasm-stack-switching`` for what Chromium has by default
(WebAssembly stack switching, "JSPI"): without it a page's submitted task runs that
wait would take turns instead of overlapping (sim_prefect/lanes.py). V8 takes the
flag only on the command line (setting it at run time crashes Node 20).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from lessonbuild.snapshot import NODE_FLAGS  # the build makes the page's memory snapshot with the same ones

ROOT = Path(__file__).resolve().parents[2]
RUN_IN_WORKER = ROOT / "tests" / "node" / "run_in_worker.mjs"


def node_command(script: Path, *args: str) -> list[str]:
    """``node <flags> script args...``; fails with the reason if Node.js or Pyodide is missing."""
    node = shutil.which("node")
    assert node, "Node.js is required to run Pyodide outside the browser"
    assert (ROOT / "node_modules" / "pyodide" / "pyodide.mjs").exists(), "npm ci has not installed pyodide"
    return [node, *NODE_FLAGS, str(script), *args]


__all__ = ["NODE_FLAGS", "RUN_IN_WORKER", "node_command"]
