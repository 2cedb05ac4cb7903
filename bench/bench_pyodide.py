"""sim_prefect in Pyodide under Node.js against CPython, same flows, same run.

Anchor: the same code in this CPython. Measured: a flow of 10,000 direct task
calls and one of 1,000 submitted tasks, each in a fresh session with every log
record formatted (as the page does), min / median / max over repeats.

    python -m bench pyodide
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

REPEATS = 5
CODE = """
import json, time
import sim_prefect
from sim_prefect import flow, task
from sim_prefect.run_events import LogEmitted
from sim_prefect.formatting import format_record

def timed(build, repeats):
    times = []
    for _ in range(repeats):
        session = sim_prefect.configure("fast", terminal=False)
        lines = []
        session.bus.subscribe(lambda e: lines.append(format_record(e)) if isinstance(e, LogEmitted) else None)
        fn = build()
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times

def direct(n):
    @task
    def one(i):
        return i
    @flow
    def big():
        for i in range(n):
            one(i)
    return big

def submitted(n):
    @task
    def one(i):
        return i
    @flow
    def big():
        futures = [one.submit(i) for i in range(n)]
        return [f.result() for f in futures]
    return big

print(json.dumps({
    "10,000 direct task calls": timed(lambda: direct(10_000), REPEATS),
    "1,000 submitted tasks": timed(lambda: submitted(1_000), REPEATS),
}))
""".replace("REPEATS", str(REPEATS))


def _fmt(xs: list[float]) -> str:
    return f"{min(xs):.3f} / {statistics.median(xs):.3f} / {max(xs):.3f} s"


def main() -> None:
    from lessonbuild import assets

    node = shutil.which("node")
    if node is None:
        print("Node.js is not installed: skipping the Pyodide benchmark.")
        return
    with tempfile.TemporaryDirectory() as tmp:
        zip_path = Path(tmp) / "python.zip"
        zip_path.write_bytes(assets.python_zip(ROOT))
        code_path = Path(tmp) / "bench.py"
        code_path.write_text(CODE, encoding="utf-8")
        cpython = json.loads(
            subprocess.run([sys.executable, str(code_path)], capture_output=True, text=True, check=True).stdout.splitlines()[-1]
        )
        pyodide = json.loads(
            subprocess.run([node, str(ROOT / "bench" / "pyodide_big_flow.mjs"), str(zip_path), str(code_path)],
                           capture_output=True, text=True, check=True, cwd=ROOT).stdout.splitlines()[-1]  # fmt: skip
        )
    print(f"min / median / max over {REPEATS} runs; anchor: CPython {sys.version.split()[0]}")
    for name in cpython:
        ratio = statistics.median(pyodide[name]) / statistics.median(cpython[name])
        print(f"{name}:")
        print(f"  CPython (anchor)  {_fmt(cpython[name])}")
        print(f"  Pyodide (Node)    {_fmt(pyodide[name])}   median ratio {ratio:.2f}x")


if __name__ == "__main__":
    main()
