"""Waits overlap in Prefect's thread pool: tasks that sleep or wait let the others run.

The two cases from the issue (three mapped tasks that sleep 1 s; three submitted
tasks that sleep 1, 2 and 1 s), and `as_completed` over tasks that sleep for
different times (docs/v3/concepts/task-runners.mdx: futures are resolved in the
order they finish).
"""

import sys
import time

from prefect import flow, task
from prefect.futures import as_completed

sys.stdout.reconfigure(line_buffering=True)


@task
def io(i, seconds=1):
    print(f"start {i}")
    time.sleep(seconds)
    print(f"end {i}")
    return i


@flow(log_prints=True)
def mapped():
    t = time.time()
    io.map([1, 2, 3]).result()
    print(f"took {time.time() - t:.1f}s")


@flow(log_prints=True)
def submitted():
    t = time.time()
    futures = [io.submit(1, 1), io.submit(2, 2), io.submit(3, 1)]
    for future in futures:
        future.result()
    print(f"took {time.time() - t:.1f}s")


@flow(log_prints=True)
def in_order_of_finishing():
    futures = [io.submit(name, seconds) for name, seconds in (("slow", 1.5), ("quick", 0.2), ("middle", 0.8))]
    print([future.result() for future in as_completed(futures)])


mapped()
submitted()
in_order_of_finishing()
