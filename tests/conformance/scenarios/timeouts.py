"""timeout_seconds on tasks and flows: TimedOut states, and a timeout retried."""

import time

from prefect import flow, task

attempts = 0


@task(timeout_seconds=0.5)
def sleepy_task() -> str:
    print("sleepy_task starts a 3 s sleep")
    time.sleep(3)
    print("sleepy_task woke up (not reached)")
    return "slept"


@task(timeout_seconds=0.5, retries=1)
def sometimes_slow() -> str:
    global attempts
    attempts += 1
    print(f"sometimes_slow attempt {attempts}")
    if attempts == 1:
        time.sleep(3)
    return "fast enough"


@flow
def task_timeout_flow() -> str:
    state = sleepy_task(return_state=True)
    print("task state:", state)
    print("task state repr type:", state.type, state.name)
    print("retried:", sometimes_slow())
    return sleepy_task()


@flow(timeout_seconds=0.5)
def slow_flow() -> str:
    print("slow_flow starts a 3 s sleep")
    time.sleep(3)
    return "not reached"


if __name__ == "__main__":
    for f in (task_timeout_flow, slow_flow):
        try:
            f()
        except Exception as exc:
            print("raised:", f"{type(exc).__module__}.{type(exc).__qualname__}", repr(exc))
    state = slow_flow(return_state=True)
    print("flow state:", state)
    print("flow result:", repr(state.result(raise_on_failure=False)))
