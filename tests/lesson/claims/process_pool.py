"""Page 9's rule about ProcessPoolTaskRunner: submitted task runs run in other processes of this machine.

Their parameters and return values cross between processes (Prefect pickles
them with cloudpickle), and each process needs the `if __name__ == "__main__"`
guard below, because the pool starts its processes by importing this file again.
"""

import os
import sys

from prefect import flow, task
from prefect.task_runners import ProcessPoolTaskRunner

sys.stdout.reconfigure(line_buffering=True)


@task
def which_process(n: int) -> int:
    return os.getpid()


@flow(task_runner=ProcessPoolTaskRunner(max_workers=2))
def in_processes() -> list[int]:
    return which_process.map(range(4)).result()


if __name__ == "__main__":
    pids = in_processes()
    print("RAN", len(pids), "task runs in", len(set(pids)), "process(es); the flow's own among them:", os.getpid() in pids)
