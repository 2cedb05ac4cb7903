"""Page 1's and page 5's rule: a timeout is retried like any failure while retries are left."""

import sys
import time

from prefect import flow, task

sys.stdout.reconfigure(line_buffering=True)
attempts = {"n": 0}


@task(timeout_seconds=1, retries=1)
def slow_then_quick() -> str:
    attempts["n"] += 1
    time.sleep(3 if attempts["n"] == 1 else 0.1)
    return f"attempt {attempts['n']}"


@task(timeout_seconds=1)
def always_slow() -> str:
    time.sleep(3)
    return "never"


@flow
def timed() -> None:
    print("RESULT", slow_then_quick())
    state = always_slow(return_state=True)
    print("STATE", state.name, state.type.value)


if __name__ == "__main__":
    timed()
