"""Page 9's rules about the thread pool: its default, and what max_workers changes.

Six task runs that each wait two seconds, submitted with .map(): with the
default task runner they all wait at once; with max_workers=2, two at a time.
Each flow run is named for the test, which reads when each task run started
running and ended from the state histories.
"""

import os
import sys
import time

from prefect import flow, task
from prefect.task_runners import ThreadPoolTaskRunner

sys.stdout.reconfigure(line_buffering=True)


@task
def wait_two_seconds(n: int) -> int:
    time.sleep(2)  # a wait: other threads run meanwhile
    return os.getpid()


@flow(flow_run_name="no-limit")
def default_pool() -> list[int]:
    return wait_two_seconds.map(range(6)).result()


@flow(flow_run_name="two-threads", task_runner=ThreadPoolTaskRunner(max_workers=2))
def two_threads() -> list[int]:
    return wait_two_seconds.map(range(6)).result()


if __name__ == "__main__":
    runner = default_pool.task_runner
    print("DEFAULT", type(runner).__name__, "no limit:", runner._max_workers == sys.maxsize)
    pids = default_pool() + two_threads()
    print("PROCESSES the flow's own only:", set(pids) == {os.getpid()})
