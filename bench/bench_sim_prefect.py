"""sim_prefect side by side with real Prefect 3: per-run overhead, and a 10,000-task flow.

    python -m bench sim_prefect                      (or `make bench`)
    python -m bench.bench_sim_prefect --tasks 1000 --repeats 3
    options: --tasks N, --repeats N, --big N, --no-real, --real-python PATH

The anchor is real Prefect (the version installed for the conformance suite,
``sim_prefect.PREFECT_VERSION``), measured in the same run on the same machine. Each backend runs in its
own fresh process, with the log lines going to /dev/null (so both pay for
formatting them, neither for a terminal):

- ``empty``: a whole flow run with no tasks (its fixed cost; real Prefect's
  includes waiting for its heartbeat thread's 1 s tick);
- ``direct``: N direct task calls (sequential), timed inside one flow;
- ``submit``: N tasks submitted, then waited for, timed inside one flow;
- ``direct, results stored``: ``direct`` again once a persisted task has stored
  a result, so the storage folder exists and every call looks its key up there
  (the hard case: a fresh home has no folder, and sim_prefect then skips the
  lookup of a key nothing could find);
- ``big`` (sim only): one flow of 10,000 direct task calls. Goal: < 1 s in
  CPython. The Node/Pyodide harness times the same flow through
  `build_big_flow()`.

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


def child(backend: str, tasks: int, repeats: int, big: int) -> dict[str, list[float]]:
    """Time the workloads on `backend`; runs inside the child process."""
    if backend == "sim":
        import sim_prefect

        sim_prefect.configure("fast")
        flow, task = sim_prefect.flow, sim_prefect.task
    else:
        from prefect import flow, task  # type: ignore[no-redef]

    empty = build_empty_flow(flow)
    direct = build_direct_flow(flow, task, tasks)
    submitted = build_submit_flow(flow, task, tasks)
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
    times: dict[str, list[float]] = {"empty": [], "direct": [], "submit": [], "direct, results stored": [], "big": []}
    # Empty flows first, while Prefect's server has no backlog of task events.
    times["empty"] = [call(timed_empty) for _ in range(repeats)]
    for _ in range(repeats):
        times["direct"].append(call(direct))
        times["submit"].append(call(submitted))
        if backend == "sim" and big:
            times["big"].append(run_big_flow(big))
    call(build_storing_flow(flow, task))  # from here on, the storage folder holds a result
    times["direct, results stored"] = [call(direct) for _ in range(repeats)]
    return times


def run_child(python: str, backend: str, tasks: int, repeats: int, big: int) -> dict[str, list[float]]:
    """Run `child()` in a fresh process; its log lines go to a file, shown only if it fails."""
    with tempfile.TemporaryDirectory(prefix="bench-prefect-home-") as home:
        log_path = Path(home) / "stderr.log"
        with open(log_path, "wb") as log:
            proc = subprocess.run(
                [python, "-m", "bench.bench_sim_prefect", "--child", backend, "--tasks", str(tasks), "--repeats", str(repeats), "--big", str(big)],
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
    print(f"{'workload':<22} {'sim_prefect':>26} {'real Prefect (anchor)':>26} {'real / sim':>22}")
    for workload in ("empty", "direct", "submit", "direct, results stored"):
        unit, scale, fmt = ("ms/flow", 1000.0, "{:.1f}") if workload == "empty" else ("ms/task", 1000.0, "{:.3f}")
        per = 1 if workload == "empty" else tasks
        sim_values = [t / per for t in sim[workload]]
        if real is not None:
            real_values = [t / per for t in real[workload]]
            ratios = [r / s for r, s in zip(real[workload], sim[workload]) if s > 0]
            real_text, ratio_text = spread(real_values, scale, fmt), spread(ratios, 1.0, "{:.0f}x")
        else:
            real_text, ratio_text = "skipped", "-"
        print(f"{workload:<22} {spread(sim_values, scale, fmt) + ' ' + unit:>26} {real_text:>26} {ratio_text:>22}")
    if real is not None:
        print("(empty: a whole flow run; direct/submit: the task calls inside one flow; ratios repeat by repeat)")
    if big:
        median = statistics.median(sim["big"])
        verdict = "meets" if median < GOAL_BIG_SECONDS else "MISSES"
        print(
            f"big flow: {big:,} direct tasks on sim_prefect (CPython): {spread(sim['big'])} s "
            f"-> {verdict} the goal of < {GOAL_BIG_SECONDS:.0f} s"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--big", type=int, default=10_000, help="tasks in the big flow (0: skip)")
    parser.add_argument("--no-real", action="store_true", help="skip real Prefect")
    parser.add_argument("--real-python", help="a Python with real Prefect installed")
    parser.add_argument("--child", choices=("sim", "real"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv if argv is not None else ([] if __name__ != "__main__" else None))

    if args.child:
        print(json.dumps(child(args.child, args.tasks, args.repeats, args.big)))
        return

    print(f"sim_prefect: {args.repeats} repeats in a fresh process ...", flush=True)
    sim = run_child(sys.executable, "sim", args.tasks, args.repeats, args.big)
    real = None
    python = None if args.no_real else real_python(args.real_python)
    if python is None:
        print("real Prefect: skipped (--no-real, or not installed for this Python: use --real-python)")
    else:
        print(f"real Prefect (the conformance suite's is {PREFECT_VERSION}): {args.repeats} repeats in a fresh process "
              "(this takes minutes) ...", flush=True)
        real = run_child(python, "real", args.tasks, args.repeats, 0)
    report(sim, real, args.tasks, args.big)


if __name__ == "__main__":
    main()
