"""Concurrency: direct calls, .submit(), futures as inputs, wait_for, wait(), .map().

Submitted runs overlap, so the order of lines *between* runs may vary; the test
compares each run's own lines in order. (A future's state right after
`.submit()` is not printed: Pending or Running, depending on thread timing.)
"""

import time

from prefect import flow, task
from prefect.futures import wait


STARTED: list[str] = []  # the labels of the slow runs whose body began


@task(log_prints=True)
def slow(label: str, seconds: float = 0.3) -> str:
    STARTED.append(label)
    print(f"{label} start")
    time.sleep(seconds)
    print(f"{label} end")
    return f"{label}-done"


@task(log_prints=True)
def combine(a: str, b: str) -> str:
    print(f"combine({a}, {b})")
    return f"{a}+{b}"


@task
def square(x: int) -> int:
    return x * x


@flow(log_prints=True)
def direct_calls() -> tuple:
    a = slow("A")
    b = slow("B")
    print(f"direct: a={a!r} b={b!r}")
    return a, b


@flow(log_prints=True)
def submitted() -> str:
    fa = slow.submit("A")
    fb = slow.submit("B")
    print("type:", f"{type(fa).__module__}.{type(fa).__qualname__}")
    fa.wait()
    print("state after wait:", fa.state)
    print("results:", fa.result(), fb.result())
    fc = combine.submit(fa, fb)
    fd = slow.submit("D", 0.1, wait_for=[fc])
    print("fd.result():", fd.result())
    f1 = slow.submit("W1", 0.1)
    f2 = slow.submit("W2", 0.2)
    done = wait([f1, f2])
    print("wait():", type(done).__name__, "done:", len(done.done), "not_done:", len(done.not_done))
    return fc.result()


@flow(log_prints=True)
def mapped() -> list:
    futures = square.map([1, 2, 3, 4])
    print("type:", f"{type(futures).__module__}.{type(futures).__qualname__}", len(futures))
    results = futures.result()
    print("map results:", results)
    return results


@flow(log_prints=True)
def not_waited() -> str:
    slow.submit("N", 0.3)
    # Prefect 3.9.1 cancels a submitted run that has not *started* when the flow
    # returns (a race between threads; sim_prefect always runs it, see PORT.yaml).
    # Wait until it has started (a thread may start late on a busy machine), then
    # give it time to end, so that the real run is not flaky.
    while "N" not in STARTED:
        time.sleep(0.05)
    time.sleep(1.0)
    print("flow body returns without waiting on the future")
    return "returned"


if __name__ == "__main__":
    print("direct:", direct_calls())
    print("submitted:", submitted())
    print("mapped:", mapped())
    print("not waited:", not_waited())
