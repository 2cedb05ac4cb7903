"""ThreadPoolTaskRunner(max_workers=...): how many task runs run at once.

Six downloads, each a 2-second wait for a slow server. The default task
runner has no limit, so the six waits overlap. A pool of two threads runs two
downloads at a time, and each of the others waits for a free thread.
"""

import time

from sim_prefect import flow, print_state_log, task
from sim_prefect.task_runners import ThreadPoolTaskRunner

FILES = ["jan.csv", "feb.csv", "mar.csv", "apr.csv", "may.csv", "jun.csv"]


@task
def download(name: str) -> int:
    time.sleep(2)  # waiting for a slow server
    return len(name)


@flow(log_prints=True)
def fetch_all(files: list[str]) -> int:
    started = time.perf_counter()
    sizes = download.map(files).result()
    print(f"{len(files)} downloads took {time.perf_counter() - started:.0f} s")
    return sum(sizes)


if __name__ == "__main__":
    fetch_all(FILES)  # the default task runner: ThreadPoolTaskRunner(), no limit
    two_threads = ThreadPoolTaskRunner(max_workers=2)
    fetch_all.with_options(name="two-at-a-time", task_runner=two_threads)(FILES)
    print_state_log()
