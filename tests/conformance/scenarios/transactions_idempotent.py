"""Idempotent reruns with a transaction key, after Prefect's how-to guide "Write transactional workflows".

This script runs twice on the same result storage. Checks: the guide's
example writes its file the first time and exits early the next (its key's
record, written on commit, outlives the process); without the early return
the tasks run again, Completed, not Cached; a keyed transaction outside any
flow; overwrite=True; a block that fails writes no record; a task's
result, persisted with INPUTS, is written when the transaction around it
commits, and not at all when it rolls back (the guide's "Coordinate caching
across multiple tasks").
"""

import os
import sys
import tempfile

from prefect import flow, task
from prefect.cache_policies import INPUTS
from prefect.transactions import transaction

sys.stdout.reconfigure(line_buffering=True)
os.chdir(tempfile.mkdtemp())  # the files the tasks write go in a folder of this run's own


@task
def download_data():
    """Imagine this downloads some data from an API"""
    return "some data"


@task
def write_data(data: str):
    """This writes the data to a file"""
    with open("data.txt", "w") as f:
        f.write(data)


@flow(log_prints=True)
def pipeline():
    with transaction(key="download-and-write-data") as txn:
        if txn.is_committed():
            print("Data file has already been written. Exiting early.")
            return
        data = download_data()
        write_data(data)


@flow(log_prints=True)
def pipeline_without_early_return():
    with transaction(key="download-and-write-data") as txn:
        print(f"committed at start: {txn.is_committed()} ({txn.state.name})")
        write_data(download_data())
    print(f"after the block: {txn.state.name}")


@flow(log_prints=True)
def overwriting():
    with transaction(key="download-and-write-data", overwrite=True) as txn:
        print(f"overwrite=True: committed at start: {txn.is_committed()} ({txn.state.name})")
    print(f"after the block: {txn.state.name}")


@flow(log_prints=True)
def failing():
    try:
        with transaction(key="a-block-that-fails") as txn:
            print(f"a-block-that-fails: committed at start: {txn.is_committed()}")
            raise RuntimeError("the block fails")
    except RuntimeError:
        print(f"after the block: {txn.state.name}")


@task(cache_key_fn=lambda *args, **kwargs: "static-key-1")
def load_data():
    print("load_data runs")
    return "some-data"


@task(cache_key_fn=lambda *args, **kwargs: "static-key-2")
def process_data(data, fail):
    print("process_data runs")
    if fail:
        raise RuntimeError("Error! Abort!")
    return len(data)


@flow(log_prints=True)
def multi_task_cache(fail: bool = True):
    with transaction():
        data = load_data()
        process_data(data=data, fail=fail)


@task(cache_policy=INPUTS)
def double(x):
    print(f"double({x}) runs")
    return 2 * x


@flow(log_prints=True)
def doubling():
    with transaction(commit_mode=None):
        print("double(21) =", double(21))


if __name__ == "__main__":
    pipeline()
    pipeline_without_early_return()
    overwriting()
    failing()
    print("=== outside any flow")
    with transaction(key="outside-a-flow") as txn:
        print(f"outside-a-flow: committed at start: {txn.is_committed()}")
    print("after the block:", txn.state.name)
    print("=== tasks' records are written when the transaction commits")
    multi_task_cache(fail=True, return_state=True)
    multi_task_cache(fail=False)
    doubling()
