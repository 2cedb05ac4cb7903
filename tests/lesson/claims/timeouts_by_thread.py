"""Page 5's rules about timeout_seconds on synchronous tasks: the thread decides (and pages 1 and 5: TimedOut).

Each run is named for the test, which reads how long it ran, Running to its
final state, from the state history.
"""

import sys
import time

from prefect import flow, task

sys.stdout.reconfigure(line_buffering=True)


@task(timeout_seconds=1)
def sleeps() -> str:
    time.sleep(3)  # a blocking call
    return "woke"


@task(timeout_seconds=1)
def spins() -> int:
    turns, end = 0, time.monotonic() + 3
    while time.monotonic() < end:  # Python instructions, one after another
        turns += 1
    return turns


@task
def raises_timeout_error() -> None:
    raise TimeoutError("the socket gave up")


@flow
def by_thread() -> None:
    sleeps.with_options(task_run_name="direct-sleep")(return_state=True)  # the main thread
    sleeps.with_options(task_run_name="submitted-sleep").submit().wait()  # a worker thread
    spins.with_options(task_run_name="submitted-loop").submit().wait()
    raises_timeout_error.with_options(task_run_name="own-timeout-error")(return_state=True)


@flow(flow_run_name="no-timeout-of-its-own")
def no_timeout_of_its_own() -> None:
    sleeps()  # its TaskRunTimeoutError ends the flow run


@flow(flow_run_name="flow-with-a-timeout", timeout_seconds=30)
def with_its_own_timeout() -> None:
    sleeps.with_options(task_run_name="direct-sleep-under-a-flow-timeout")(return_state=True)


if __name__ == "__main__":
    by_thread()
    print("FINAL", no_timeout_of_its_own(return_state=True).name)
    with_its_own_timeout()
