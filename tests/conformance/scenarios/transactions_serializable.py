"""SERIALIZABLE transactions and the in-memory lock manager, after Prefect's how-to guides.

From "Write transactional workflows" (race conditions) and "Cache workflow
results" (isolate cache access). Checks: MemoryLockManager is a singleton;
two submitted tasks that open a SERIALIZABLE transaction on the same key: the
first holds the lock while it works, the second waits for it, then finds the
record and skips; the same through a cache policy configured with
SERIALIZABLE and MemoryLockManager (the second task is Cached); without a
lock manager, Prefect's ConfigurationError, from a transaction and from a
cache policy. The second task of each pair is submitted once the first holds
the lock (a thread may start late on a busy machine), so that the outcome does
not depend on which thread starts first.
"""

import os
import sys
import tempfile
import time

from prefect import flow, task
from prefect.cache_policies import INPUTS
from prefect.locking.memory import MemoryLockManager
from prefect.results import ResultStore
from prefect.transactions import IsolationLevel, transaction

sys.stdout.reconfigure(line_buffering=True)
os.chdir(tempfile.mkdtemp())  # the files the tasks write go in a folder of this run's own
LOCKS = MemoryLockManager()


@task
def write_once(writer: str, key: str):
    with transaction(
        key=key,
        isolation_level=IsolationLevel.SERIALIZABLE,
        store=ResultStore(lock_manager=MemoryLockManager()),
    ) as txn:
        if txn.is_committed():
            return f"{writer} found the file written already"
        time.sleep(1.5)  # hold the lock while the other one waits for it
        with open("race-condition.txt", "w") as f:
            f.write(f"{writer} is the winner!")
        return f"{writer} wrote the file"


def until(done) -> None:
    """Wait until `done()` holds: the first task of a pair holds its lock."""
    while not done():
        time.sleep(0.05)


@flow
def race(key: str):
    first = write_once.submit("the first", key)
    until(lambda: LOCKS.is_locked(key))
    second = write_once.submit("the second", key)
    print(first.result())
    print(second.result())
    with open("race-condition.txt") as f:
        print("file:", f.read())


cache_policy = INPUTS.configure(
    isolation_level=IsolationLevel.SERIALIZABLE,
    lock_manager=MemoryLockManager(),
)


@task(cache_policy=cache_policy)
def my_task_version_1(x: int):
    print("my_task_version_1 running")
    open("version-1-holds-the-lock", "w").close()  # its body runs inside the transaction: the lock is held
    time.sleep(1.5)
    return x + 42


@task(cache_policy=cache_policy)
def my_task_version_2(x: int):
    print("my_task_version_2 running")
    return x + 43


@flow
def cached_race():
    first = my_task_version_1.submit(2)
    until(lambda: os.path.exists("version-1-holds-the-lock"))
    second = my_task_version_2.submit(2)
    print("results:", first.result(), second.result())


@task(cache_policy=INPUTS.configure(isolation_level=IsolationLevel.SERIALIZABLE))
def needs_a_lock(x: int):
    return x


@flow
def without_a_lock_manager():
    needs_a_lock(1, return_state=True)
    with transaction(key="needs-lock", isolation_level=IsolationLevel.SERIALIZABLE, store=ResultStore()):
        pass


if __name__ == "__main__":
    print("MemoryLockManager is a singleton:", MemoryLockManager() is LOCKS)
    race("race-condition-key")
    cached_race()
    state = without_a_lock_manager(return_state=True)
    print("without a lock manager:", state.type.value)
