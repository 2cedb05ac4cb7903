"""Futures and failure handling, after Prefect's how-to guide "Run work concurrently" and the states concepts.

Checks: `wait()` returns DoneAndNotDoneFutures (unpacked as done, not_done);
`as_completed()`; `PrefectFutureList.result()` with and without
`raise_on_failure`; `allow_failure` downstream of a failed run; a run that is
not ready because its upstream failed; the final state of a flow that returns
states or futures, and of one that returns normally after a failure.
"""

import sys

from prefect import allow_failure, flow, task
from prefect.futures import as_completed, wait

sys.stdout.reconfigure(line_buffering=True)


@task
def square(x: int) -> int:
    if x == 3:
        raise ValueError("three is bad")
    return x * x


@task
def show(value) -> str:
    return f"{type(value).__name__}: {value}"


@flow
def helpers():
    futures = square.map([1, 2, 4])
    done, not_done = wait(futures)
    print("wait:", type(wait(futures)).__name__, len(done), len(not_done))
    print("as_completed:", sorted(f.result() for f in as_completed(futures)))
    mapped = square.map([1, 2, 3, 4])
    print("result(raise_on_failure=False):", mapped.result(raise_on_failure=False))
    try:
        mapped.result()
    except ValueError as exc:
        print("result() raised:", repr(exc))
    failed = square.submit(3)
    print("allow_failure:", show.submit(allow_failure(failed)).result())
    blocked = show.submit(failed, return_state=True)
    print("without it:", blocked.name, blocked.type.value)


@flow
def returns_a_failed_state():
    return square(3, return_state=True)


@flow
def returns_futures():
    return [square.submit(2), square.submit(3)]


@flow
def handles_the_failure():
    state = square(3, return_state=True)
    return "handled: " + state.name


if __name__ == "__main__":
    helpers()
    for flow_fn in (returns_a_failed_state, returns_futures, handles_the_failure):
        print(f"{flow_fn.name}:", flow_fn(return_state=True))
    try:
        returns_a_failed_state()
    except ValueError as exc:
        print("calling it raises", repr(exc))
