"""The same CPU-bound flow on two task runners: a pool of threads, then a Dask cluster.

count_primes is pure-Python number crunching. It holds Python's GIL the whole
time it runs, so two threads of one process take turns at it, while each Dask
worker process has a Python of its own. The cluster here is a local one: two
worker processes on this computer, listening on 127.0.0.1 only. Each flow run
prints its task runner, how long its tasks took, and which processes ran them.
"""

import os
import time

from distributed import LocalCluster
from prefect import flow, task
from prefect.context import get_run_context
from prefect.task_runners import ThreadPoolTaskRunner
from prefect_dask import DaskTaskRunner

# Six ranges of 200,000 numbers: about a second of counting each.
RANGES = [(start, start + 200_000) for start in range(1_000_000, 2_200_000, 200_000)]


@task
def count_primes(start: int, stop: int) -> tuple[int, int]:
    """How many primes lie in [start, stop), and which process counted them."""
    count = 0
    for n in range(start, stop):
        if all(n % d for d in range(2, int(n**0.5) + 1)):
            count += 1
    return count, os.getpid()


@flow(log_prints=True)
def crunch(ranges: list[tuple[int, int]]) -> int:
    runner = type(get_run_context().task_runner).__name__
    started = time.perf_counter()
    futures = [count_primes.submit(start, stop) for start, stop in ranges]
    results = [future.result() for future in futures]
    took = time.perf_counter() - started
    primes = sum(count for count, _ in results)
    pids = sorted({pid for _, pid in results})
    print(f"{runner}: {primes} primes in {took:.1f} s, counted in processes {pids}")
    print(f"the flow runs in process {os.getpid()}")
    return primes


# Dask's worker processes import this file again: only the main process runs the flows.
if __name__ == "__main__":
    thread_pool = ThreadPoolTaskRunner(max_workers=2)
    crunch.with_options(name="on-threads", task_runner=thread_pool)(RANGES)

    with LocalCluster(
        n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        dask_runner = DaskTaskRunner(address=cluster.scheduler_address)
        crunch.with_options(name="on-dask", task_runner=dask_runner)(RANGES)
