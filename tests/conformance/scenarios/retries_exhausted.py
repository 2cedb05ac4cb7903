"""A task that always fails: retries=2 means three attempts, then Failed.

Part A lets the flow raise (caught here, and its traceback printed); part B asks
for the state instead; part C returns the failed task state from the flow; part D
lets the exception escape the script (exit status 1, Python's own traceback).
"""

import sys
import traceback

from prefect import flow, task

attempts = 0


@task(retries=2, retry_delay_seconds=0)
def always_fails(x: int) -> int:
    global attempts
    attempts += 1
    print(f"attempt {attempts} (a plain print: no log_prints)")
    raise ValueError(f"boom on attempt {attempts}")


@flow
def exhausted_flow(x: int = 1) -> int:
    return always_fails(x)


@flow
def returns_failed_state(x: int = 1):
    state = always_fails(x, return_state=True)
    print("task state inside the flow:", state)
    return state


def show(label: str, state) -> None:
    print(f"{label}: str={state}")
    print(f"{label}: name={state.name} type={state.type!r} message={state.message!r}")
    print(f"{label}: is_failed={state.is_failed()} is_completed={state.is_completed()}")
    try:
        state.result()
    except Exception as exc:
        print(f"{label}: result() raised {type(exc).__name__}: {exc}")
    print(f"{label}: result(raise_on_failure=False) = {state.result(raise_on_failure=False)!r}")


if __name__ == "__main__":
    print("=== A: the flow raises ===")
    try:
        exhausted_flow()
    except Exception as exc:
        print("raised:", f"{type(exc).__module__}.{type(exc).__qualname__}", repr(exc))
        traceback.print_exc(file=sys.stdout)
    print("attempts:", attempts)

    print("=== B: return_state=True ===")
    attempts = 0
    show("flow state", exhausted_flow(return_state=True))

    print("=== C: the flow returns the failed task state ===")
    attempts = 0
    show("flow state", returns_failed_state(return_state=True))

    print("=== D: uncaught ===")
    attempts = 0
    exhausted_flow()
    print("not reached")
