"""sim_prefect side by side with real Prefect 3: per-run overhead, serving, imports, a 10,000-task flow.

    python -m bench sim_prefect                      (or `make bench`)
    python -m bench.bench_sim_prefect --tasks 1000 --repeats 3
    options: --tasks N, --repeats N, --big N, --serve-runs N, --real-serve-runs N,
             --no-serve, --no-imports, --no-pyodide, --no-real, --real-python PATH

The anchor is real Prefect (the version installed for the conformance suite,
``sim_prefect.PREFECT_VERSION``), measured in the same run on the same machine. Each backend runs in its
own fresh process, with the log lines going to /dev/null (so both pay for
formatting them, neither for a terminal):

- ``empty``: a whole flow run with no tasks (its fixed cost; real Prefect's
  includes waiting for its heartbeat thread's 1 s tick);
- ``direct``: N direct task calls (sequential), timed inside one flow;
- ``submit``: N tasks submitted, then waited for, timed inside one flow;
- ``mapped``: ``task.map`` over N inputs, then ``.result()``, timed inside one flow;
- ``direct, results stored``: ``direct`` again once a persisted task has stored
  a result, so the storage folder exists and every call looks its key up there
  (the hard case: a fresh home has no folder, and sim_prefect then skips the
  lookup of a key nothing could find);
- ``big`` (sim only): one flow of 10,000 direct task calls. Goal: < 1 s in
  CPython. The Node/Pyodide harness times the same flow through
  `build_big_flow()`;
- ``serve``: the cost of one scheduled run of a served deployment, 1,000 runs
  on sim_prefect's fast clock against 20 runs served by real Prefect's serving
  process (sim_prefect_serving.py says exactly what is timed on each side);
- imports: ``from prefect import flow, task`` on sim_prefect, which sim_prefect
  modules it and a plain flow Run load (none of the server-side ones should be
  loaded by a Run that does not import them), and the server-side imports on top,
  in CPython and in Pyodide under Node (sim_prefect_imports.py).

Real Prefect's temporary server starts during a warm-up flow that is not
timed: what is measured is the cost of runs, not of start-up. Per-task figures
are the time of the N calls inside the flow body, divided by N (so the flow's
own start and end, which are noisy under Prefect, stay out). Ratios are
real / sim, taken repeat by repeat, reported as min / median / max. Reported,
never asserted.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sim_prefect import PREFECT_VERSION
from tests.harness.real_prefect import prefect_env

from . import sim_prefect_imports, sim_prefect_serving

ROOT = Path(__file__).resolve().parent.parent
GOAL_BIG_SECONDS = 1.0

# -- the workloads: the same code builds them for either backend ------------------------


def build_empty_flow(flow: Callable[..., Any]) -> Any:
    @flow(name="bench-empty")
    def empty() -> int:
        return 0

    return empty


def build_direct_flow(flow: Callable[..., Any], task: Callable[..., Any], n: int) -> Any:
    """A flow making `n` direct (sequential) calls of a trivial task."""

    @task
    def inc(x: int) -> int:
        return x + 1

    @flow(name="bench-direct")
    def direct() -> float:
        started = time.perf_counter()
        total = 0
        for i in range(n):
            total += inc(i)
        assert total == n * (n + 1) // 2
        return time.perf_counter() - started  # the task calls only, not the flow's own cost

    return direct


def build_submit_flow(flow: Callable[..., Any], task: Callable[..., Any], n: int) -> Any:
    """A flow submitting `n` trivial tasks, then waiting for all of them."""

    @task
    def inc(x: int) -> int:
        return x + 1

    @flow(name="bench-submit")
    def submitted() -> float:
        started = time.perf_counter()
        futures = [inc.submit(i) for i in range(n)]
        assert sum(f.result() for f in futures) == n * (n + 1) // 2
        return time.perf_counter() - started

    return submitted


def build_mapped_flow(flow: Callable[..., Any], task: Callable[..., Any], n: int) -> Any:
    """A flow mapping a trivial task over `n` inputs, then waiting for all of them."""

    @task
    def inc(x: int) -> int:
        return x + 1

    @flow(name="bench-mapped")
    def mapped() -> float:
        started = time.perf_counter()
        assert sum(inc.map(range(n)).result()) == n * (n + 1) // 2
        return time.perf_counter() - started

    return mapped


def build_storing_flow(flow: Callable[..., Any], task: Callable[..., Any]) -> Any:
    """A flow whose one task persists its result (untimed: it only fills the storage folder)."""

    @task(persist_result=True)
    def stored() -> int:
        return 1

    @flow(name="bench-store")
    def storing() -> float:
        stored()
        return 0.0

    return storing


def build_big_flow(n: int = 10_000) -> Any:
    """The 10,000-task flow on sim_prefect (reused by the Pyodide timing harness)."""
    import sim_prefect

    return build_direct_flow(sim_prefect.flow, sim_prefect.task, n)


def run_big_flow(n: int = 10_000, mode: str = "fast") -> float:
    """Seconds to run `build_big_flow(n)` once in a fresh session (log lines to stderr)."""
    import sim_prefect

    sim_prefect.configure(mode)  # type: ignore[arg-type]
    big = build_big_flow(n)
    started = time.perf_counter()
    big()
    return time.perf_counter() - started


# -- one backend, in its own process ---------------------------------------------------


def child(backend: str, tasks: int, repeats: int, big: int, serve_runs: int) -> dict[str, list[float]]:
    """Time the workloads on `backend`; runs inside the child process."""
    if backend == "real-serve":
        return {"serve": sim_prefect_serving.time_real(serve_runs, repeats)}
    if backend == "sim":
        import sim_prefect

        sim_prefect.configure("fast")
        flow, task = sim_prefect.flow, sim_prefect.task
    else:
        from prefect import flow, task  # type: ignore[no-redef]

    empty = build_empty_flow(flow)
    direct = build_direct_flow(flow, task, tasks)
    submitted = build_submit_flow(flow, task, tasks)
    mapped = build_mapped_flow(flow, task, tasks)
    # Real Prefect's server records a run's states a moment after the run (from
    # events); under a flood of them (1,000 tasks) it may answer 503 for a while.
    # Between flows it gets time to catch up, and a flow refused is tried again:
    # neither is timed, since the figures are taken inside the flow body.
    settle = 0.0 if backend == "sim" else 5.0

    def call(fn: Callable[[], float]) -> float:
        for attempt in range(4):
            try:
                result = fn()
                time.sleep(settle)
                return result
            except Exception:
                if backend == "sim" or attempt == 3:
                    raise
                time.sleep(15)
        raise AssertionError("unreachable")

    def timed_empty() -> float:
        started = time.perf_counter()
        empty()
        return time.perf_counter() - started

    call(timed_empty)  # warm-up: real Prefect starts its temporary server here
    times: dict[str, list[float]] = {
        "empty": [], "direct": [], "submit": [], "mapped": [], "direct, results stored": [], "big": [], "serve": [],
    }  # fmt: skip
    # Empty flows first, while Prefect's server has no backlog of task events.
    times["empty"] = [call(timed_empty) for _ in range(repeats)]
    for _ in range(repeats):
        times["direct"].append(call(direct))
        times["submit"].append(call(submitted))
        times["mapped"].append(call(mapped))
        if backend == "sim" and big:
            times["big"].append(run_big_flow(big))
    call(build_storing_flow(flow, task))  # from here on, the storage folder holds a result
    times["direct, results stored"] = [call(direct) for _ in range(repeats)]
    if backend == "sim" and serve_runs:
        times["serve"] = [sim_prefect_serving.time_sim(serve_runs) for _ in range(repeats)]
    return times


def run_child(python: str, backend: str, tasks: int, repeats: int, big: int, serve_runs: int = 0) -> dict[str, list[float]]:
    """Run `child()` in a fresh process; its log lines go to a file, shown only if it fails."""
    with tempfile.TemporaryDirectory(prefix="bench-prefect-home-") as home:
        log_path = Path(home) / "stderr.log"
        with open(log_path, "wb") as log:
            proc = subprocess.run(
                [python, "-m", "bench.bench_sim_prefect", "--child", backend, "--tasks", str(tasks), "--repeats", str(repeats),
                 "--big", str(big), "--serve-runs", str(serve_runs)],
                env=prefect_env(Path(home), SIM_PREFECT_HOME=home),  # a fresh home for either backend
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=log,
                timeout=3600,
                check=False,
            )
        if proc.returncode != 0:
            tail = log_path.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"the {backend} benchmark process failed (exit {proc.returncode}):\n{tail}")
    return json.loads(proc.stdout.decode().strip().splitlines()[-1])  # type: ignore[no-any-return]


# -- the report -------------------------------------------------------------------------


def spread(values: list[float], scale: float = 1.0, fmt: str = "{:.3f}") -> str:
    if not values:
        return "-"
    low, mid, high = min(values), statistics.median(values), max(values)
    return " / ".join(fmt.format(v * scale) for v in (low, mid, high))


def real_python(explicit: str | None) -> str | None:
    """The Python that has real Prefect: --real-python, or this one if it can import prefect."""
    if explicit:
        return explicit
    return sys.executable if importlib.util.find_spec("prefect") is not None else None


def report(sim: dict[str, list[float]], real: dict[str, list[float]] | None, tasks: int, big: int) -> None:
    print(f"per-run overhead, {tasks} tasks per flow; min / median / max over the repeats")
    print(f"{'workload':<22} {'sim_prefect':>30} {'real Prefect (anchor)':>26} {'real / sim':>22}")
    for workload in ("empty", "direct", "submit", "mapped", "direct, results stored"):
        unit, scale, fmt = ("ms/flow", 1000.0, "{:.1f}") if workload == "empty" else ("ms/task", 1000.0, "{:.3f}")
        per = 1 if workload == "empty" else tasks
        sim_values = [t / per for t in sim[workload]]
        if real is not None:
            real_values = [t / per for t in real[workload]]
            ratios = [r / s for r, s in zip(real[workload], sim[workload]) if s > 0]
            real_text, ratio_text = spread(real_values, scale, fmt), spread(ratios, 1.0, "{:.0f}x")
        else:
            real_text, ratio_text = "skipped", "-"
        print(f"{workload:<22} {spread(sim_values, scale, fmt) + ' ' + unit:>30} {real_text:>26} {ratio_text:>22}")
    if real is not None:
        print("(empty: a whole flow run; direct/submit/mapped: the task calls inside one flow; ratios repeat by repeat)")
    if big:
        median = statistics.median(sim["big"])
        verdict = "meets" if median < GOAL_BIG_SECONDS else "MISSES"
        print(
            f"big flow: {big:,} direct tasks on sim_prefect (CPython): {spread(sim['big'])} s "
            f"-> {verdict} the goal of < {GOAL_BIG_SECONDS:.0f} s"
        )


def machine_load() -> str:
    """The 1-minute load average, as text ("?" where the platform has none)."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except (AttributeError, OSError):
        return "?"


def report_serving(sim: list[float], sim_runs: int, real: list[float] | None, real_runs: int) -> None:
    print()
    print("one scheduled run of a served deployment (flow + 1 task); wall time / runs; min / median / max over the repeats")
    sim_per_run = [t / sim_runs for t in sim]
    print(f"  sim_prefect, {sim_runs:,} cron runs on the fast clock:   {spread(sim_per_run, 1000.0, '{:.2f}')} ms/run"
          f"   (whole serve() call: {spread(sim, 1.0, '{:.1f}')} s)")  # fmt: skip
    if real is None:
        print("  real Prefect: skipped")
        return
    real_per_run = [t / real_runs for t in real]
    ratios = [r / s for r, s in zip(real_per_run, sim_per_run) if s > 0]
    print(f"  real Prefect, {real_runs} triggered runs, 1 s polls:  {spread(real_per_run, 1000.0, '{:.0f}')} ms/run"
          f"   (all {real_runs}: {spread(real, 1.0, '{:.1f}')} s)")  # fmt: skip
    print(f"  real / sim, repeat by repeat: {spread(ratios, 1.0, '{:.0f}x')}")
    print("  (sim: the serve() call, deployment applied to shutdown; real: first run created -> all Completed,"
          " server and serving process already up)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--big", type=int, default=10_000, help="tasks in the big flow (0: skip)")
    parser.add_argument("--serve-runs", type=int, default=1000, help="scheduled runs served on sim_prefect (0: skip)")
    parser.add_argument("--real-serve-runs", type=int, default=20, help="runs served by real Prefect, per repeat")
    parser.add_argument("--no-serve", action="store_true", help="skip serving on both sides")
    parser.add_argument("--no-imports", action="store_true", help="skip the import measurements")
    parser.add_argument("--no-pyodide", action="store_true", help="measure imports in CPython only")
    parser.add_argument("--no-real", action="store_true", help="skip real Prefect")
    parser.add_argument("--real-python", help="a Python with real Prefect installed")
    parser.add_argument("--child", choices=("sim", "real", "real-serve"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv if argv is not None else ([] if __name__ != "__main__" else None))
    serve_runs = 0 if args.no_serve else args.serve_runs

    if args.child:
        print(json.dumps(child(args.child, args.tasks, args.repeats, args.big, serve_runs)))
        return

    load_before = machine_load()
    print(f"sim_prefect: {args.repeats} repeats in a fresh process ...", flush=True)
    sim = run_child(sys.executable, "sim", args.tasks, args.repeats, args.big, serve_runs)
    real = None
    python = None if args.no_real else real_python(args.real_python)
    if python is None:
        print("real Prefect: skipped (--no-real, or not installed for this Python: use --real-python)")
    else:
        print(f"real Prefect (the conformance suite's is {PREFECT_VERSION}): {args.repeats} repeats in a fresh process "
              "(this takes minutes) ...", flush=True)
        real = run_child(python, "real", args.tasks, args.repeats, 0)
    real_serve = None
    if python is not None and serve_runs:
        print(f"real Prefect serving: {args.real_serve_runs} runs per repeat, {args.repeats} repeats, in a fresh process "
              "(this takes minutes) ...", flush=True)
        real_serve = run_child(python, "real-serve", args.tasks, args.repeats, 0, args.real_serve_runs)
    print(f"machine: {os.cpu_count()} cores, 1-minute load average {load_before} at the start, {machine_load()} "
          "after the timed runs (other work on the machine spreads the figures)")  # fmt: skip
    report(sim, real, args.tasks, args.big)
    if serve_runs:
        report_serving(sim["serve"], serve_runs, real_serve["serve"] if real_serve else None, args.real_serve_runs)
    if not args.no_imports:
        print()
        sim_prefect_imports.main(args.repeats, not args.no_pyodide, python)


if __name__ == "__main__":
    main()
