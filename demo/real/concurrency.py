"""Direct calls versus .submit() and .map(), on real Prefect.

Each download sleeps for 2 seconds, standing in for a slow network call.
Real Prefect runs submitted and mapped task runs in a pool of threads, so
their waits overlap. Each flow prints how long its three downloads took.
"""

import time

from prefect import flow, task

SOURCES = ["north", "south", "east"]


@task(log_prints=True)
def download(source: str) -> int:
    print(f"downloading {source}")
    time.sleep(2)  # a slow network call
    return len(source)


@flow(log_prints=True)
def one_by_one() -> list[int]:
    started = time.perf_counter()
    sizes = [download(source) for source in SOURCES]
    print(f"3 downloads took {time.perf_counter() - started:.1f} s")
    return sizes


@flow(log_prints=True)
def all_at_once() -> list[int]:
    started = time.perf_counter()
    futures = [download.submit(source) for source in SOURCES]
    sizes = [future.result() for future in futures]
    print(f"3 downloads took {time.perf_counter() - started:.1f} s")
    return sizes


@flow(log_prints=True)
def mapped() -> list[int]:
    started = time.perf_counter()
    sizes = download.map(SOURCES).result()
    print(f"3 downloads took {time.perf_counter() - started:.1f} s")
    return sizes


if __name__ == "__main__":
    one_by_one()
    all_at_once()
    mapped()
