"""Page 4's rules about caching, each printed as `CLAIM name: outcome` for the test to read."""

import os
import sys
import time
from datetime import timedelta

from prefect import flow, task
from prefect.cache_policies import INPUTS, TASK_SOURCE

sys.stdout.reconfigure(line_buffering=True)


def outcome(*states) -> str:
    return ", ".join(s.name for s in states)


@task
def plain(x: int) -> int:
    return x


@task(persist_result=True)
def persisted(x: int) -> int:
    return x


@task(cache_policy=INPUTS)
def add_one(x: int) -> int:
    return x + 1


@task(cache_policy=INPUTS)
def times_ten(x: int) -> int:
    return x * 10


@task(cache_policy=INPUTS + TASK_SOURCE)
def add_two(x: int) -> int:
    return x + 2


@task(cache_policy=INPUTS + TASK_SOURCE)
def times_hundred(x: int) -> int:
    return x * 100


@task(cache_policy=INPUTS)
def always_fails(x: int) -> int:
    raise ValueError("no")


@task(cache_policy=INPUTS, cache_expiration=timedelta(seconds=3))
def short_lived(x: int) -> int:
    return x


@task(result_storage_key="forecast-{parameters[city]}.pickle")
def named(city: str) -> str:
    return city.upper()


@task(result_serializer="json")
def serialized(x: int) -> int:
    return x


@task(cache_policy=INPUTS)
def by_x(x: int) -> int:
    return x


@task(cache_policy=INPUTS)
def by_y(y: int) -> int:
    return y


@task(cache_policy=INPUTS)
def no_arguments() -> int:
    return 1


def helper(x: int) -> int:
    return x + 1


@task(cache_policy=TASK_SOURCE)
def uses_helper(x: int) -> int:
    return helper(x)


@task
def inherits(x: int) -> int:
    return x


@flow
def within_one_run() -> None:
    print("CLAIM plain task twice:", outcome(plain(1, return_state=True), plain(1, return_state=True)))
    print("CLAIM persist_result twice:", outcome(persisted(1, return_state=True), persisted(1, return_state=True)))
    first, second = add_one(3, return_state=True), times_ten(3, return_state=True)
    print("CLAIM INPUTS across two tasks:", outcome(first, second), "->", second.result())
    first, second = add_two(3, return_state=True), times_hundred(3, return_state=True)
    print("CLAIM INPUTS + TASK_SOURCE across two tasks:", outcome(first, second), "->", second.result())
    print("CLAIM failed run twice:", outcome(always_fails(1, return_state=True), always_fails(1, return_state=True)))
    a = short_lived(1, return_state=True)
    b = short_lived(1, return_state=True)
    time.sleep(3.5)
    c = short_lived(1, return_state=True)
    print("CLAIM expiration of 3 s, then 3.5 s later:", outcome(a, b, c))
    refreshed = add_one.with_options(refresh_cache=True)(3, return_state=True)
    print("CLAIM refresh_cache:", outcome(refreshed))
    print("CLAIM result_storage_key twice:", outcome(named("oslo", return_state=True), named("oslo", return_state=True)))
    print("CLAIM result_serializer twice:", outcome(serialized(1, return_state=True), serialized(1, return_state=True)))
    twin = plain.with_options(persist_result=True)
    print("CLAIM plain task after a persisting twin:", outcome(twin(7, return_state=True), plain(7, return_state=True)))
    print("CLAIM INPUTS, other argument names:", outcome(by_x(5, return_state=True), by_y(5, return_state=True)))
    print("CLAIM INPUTS, no arguments:", outcome(no_arguments(return_state=True), no_arguments(return_state=True)))
    first = uses_helper(1, return_state=True)
    global helper

    def helper(x: int) -> int:  # the helper's code changes; the task's own does not
        return x + 100

    second = uses_helper(1, return_state=True)
    print("CLAIM TASK_SOURCE after its helper changed:", outcome(first, second), "->", second.result())


@flow
def another_run() -> None:
    print("CLAIM persist_result in a new flow run:", outcome(persisted(1, return_state=True)))
    print("CLAIM INPUTS in a new flow run:", outcome(add_one(3, return_state=True)))


@flow(persist_result=True)
def persisting_flow() -> None:
    print("CLAIM a persisting flow's plain task twice:", outcome(inherits(1, return_state=True), inherits(1, return_state=True)))


@flow(persist_result=True)
def another_persisting_flow() -> None:
    print("CLAIM a persisting flow's plain task in a new flow run:", outcome(inherits(1, return_state=True)))


if __name__ == "__main__":
    within_one_run()
    another_run()
    persisting_flow()
    another_persisting_flow()
    files = sorted(os.listdir(os.environ["PREFECT_LOCAL_STORAGE_PATH"]))
    print("CLAIM storage files named by result_storage_key:", [f for f in files if f.startswith("forecast-")])
