"""Caching, after Prefect's how-to guide "Cache workflow step outputs" and the caching concepts.

Checks: the DEFAULT policy with persist_result=True (a hit within a flow run),
INPUTS, INPUTS - 'debug', INPUTS + TASK_SOURCE, cache_key_fn (a static key and
task_input_hash), cache_expiration, refresh_cache, NO_CACHE, FLOW_PARAMETERS,
RUN_ID; the Cached state (log line, str, name, type, return_state, hooks);
the policy objects' reprs and algebra; the warnings at decoration; an input
that cannot be hashed; a result that cannot be stored; a failed run is not
cached; and the trap: INPUTS keys do not say which task, so two tasks given the
same inputs share one cache entry. The tasks run inside flows (outside one Prefect's API-log warning
depends on timing).
"""

import sys
import threading
import time
from datetime import timedelta

from prefect import flow, task
from prefect.cache_policies import DEFAULT, FLOW_PARAMETERS, INPUTS, NO_CACHE, RUN_ID, TASK_SOURCE
from prefect.tasks import task_input_hash

sys.stdout.reconfigure(line_buffering=True)
calls = []


@task(persist_result=True)
def add_one(x: int):
    calls.append(("add_one", x))
    return x + 1


@flow
def my_flow():
    add_one(1)  # will not be cached
    add_one(1)  # will be cached
    add_one(2)  # will not be cached


@task(cache_policy=INPUTS)
def my_stateful_task(x: int):
    calls.append(("my_stateful_task", x))
    return x + 1


@task(cache_policy=INPUTS - "debug")
def subset_task(x: int, debug: bool = False):
    calls.append(("subset_task", x, debug))
    return x + 1


@task(cache_policy=INPUTS + TASK_SOURCE)
def my_task(x: int):
    calls.append(("my_task", x))
    return x + 1


def static_cache_key(context, parameters):
    return "static cache key"


@task(cache_key_fn=static_cache_key)
def cached_task(x: int):
    calls.append(("cached_task", x))
    return x + 1


@task(cache_key_fn=task_input_hash, cache_expiration=timedelta(seconds=2))
def expiring(x: int):
    calls.append(("expiring", x))
    return x * 10


@task(cache_policy=INPUTS, refresh_cache=True)
def refreshing(x: int):
    calls.append(("refreshing", x))
    return x


@task(cache_policy=NO_CACHE)
def never(x: int):
    calls.append(("never", x))
    return x


@task(cache_policy=FLOW_PARAMETERS)
def by_flow_parameters(x: int):
    calls.append(("by_flow_parameters", x))
    return x


@task(cache_policy=RUN_ID)
def by_run_id(x: int):
    calls.append(("by_run_id", x))
    return x


@task(cache_policy=INPUTS, on_completion=[lambda t, r, s: print(f"  on_completion sees {s.name}")])
def hooked(x: int):
    return x


@task(cache_policy=INPUTS)
def takes_a_lock(lock, x: int):
    calls.append(("takes_a_lock", x))
    return x


@task(cache_policy=INPUTS)
def returns_a_lock(x: int):
    calls.append(("returns_a_lock", x))
    return threading.Lock()


attempts = {"n": 0}


@task(cache_policy=INPUTS, retries=1)
def fails_once(x: int):
    attempts["n"] += 1
    calls.append(("fails_once", x))
    if attempts["n"] == 1:
        raise ValueError("first attempt fails")
    return x


@task(cache_policy=INPUTS)
def always_fails(x: int):
    calls.append(("always_fails", x))
    raise ValueError("no")


@task(cache_policy=INPUTS)
def add_ten(x: int):
    calls.append(("add_ten", x))
    return x + 10


@task(cache_policy=INPUTS)
def times_ten(x: int):
    calls.append(("times_ten", x))
    return x * 10


@flow
def inputs_flow(n: int = 1):
    my_stateful_task(x=1)  # runs
    my_stateful_task(x=1)  # cached
    my_stateful_task(x=2)  # runs
    subset_task(x=11)
    subset_task(x=11, debug=True)
    subset_task(x=11, debug=False)
    my_task(21), my_task(21)
    cached_task(1), cached_task(2)
    state = my_stateful_task(x=1, return_state=True)
    print(f"  str={state!s} name={state.name} type={state.type.value} completed={state.is_completed()} "
          f"message={state.message!r} result={state.result()}")
    hooked(71)
    hooked(71)
    print("  add_ten(3) =", add_ten(3), "and then times_ten(3) =", times_ten(3))


@flow
def options_flow(n: int = 1):
    # Each run its own input: whether a key from the previous run has expired
    # would depend on how long the server took in between.
    expiring(n + 1), expiring(n + 1)
    time.sleep(2.5)
    expiring(n + 1)
    refreshing(31), refreshing(31)
    never(41), never(41)
    by_flow_parameters(1), by_flow_parameters(2)
    by_run_id(1), by_run_id(2)


@flow
def failures_flow():
    takes_a_lock(threading.Lock(), 81)
    returns_a_lock(91)
    returns_a_lock(91)
    fails_once(51)
    fails_once(51)
    always_fails(61, return_state=True)
    always_fails(61, return_state=True)


if __name__ == "__main__":
    print("=== the policies")
    for name, policy in [("INPUTS", INPUTS), ("TASK_SOURCE", TASK_SOURCE), ("NO_CACHE", NO_CACHE),
                         ("DEFAULT", DEFAULT), ("INPUTS + TASK_SOURCE", INPUTS + TASK_SOURCE),
                         ("INPUTS - 'x'", INPUTS - "x"), ("DEFAULT - 'x'", DEFAULT - "x"),
                         ("NO_CACHE + INPUTS", NO_CACHE + INPUTS), ("TASK_SOURCE - 'x'", TASK_SOURCE - "x")]:
        print(f"{name}: {policy}")
    try:
        DEFAULT - TASK_SOURCE
    except TypeError as exc:
        print("TypeError:", exc)
    print("add_one:", add_one.cache_policy == DEFAULT, add_one.persist_result)
    print("my_stateful_task:", my_stateful_task.persist_result, "never:", never.persist_result)
    print("=== warnings when a task is decorated")
    task(cache_policy=INPUTS, persist_result=False)(lambda x: x)
    task(cache_policy=INPUTS, cache_key_fn=static_cache_key)(lambda x: x)
    print("=== the DEFAULT policy, persisted")
    my_flow()
    my_flow()
    print("=== INPUTS, a subset, with TASK_SOURCE, a key function")
    inputs_flow()
    print("=== expiration, refresh, NO_CACHE, FLOW_PARAMETERS, RUN_ID")
    options_flow(1)
    options_flow(2)
    print("=== what cannot be cached")
    failures_flow()
    print("calls:", calls)
