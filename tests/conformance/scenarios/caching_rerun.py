"""Cached results outlive the process: this script runs twice on the same result storage.

Checks, on the second run: INPUTS and TASK_SOURCE hit the first run's records;
the DEFAULT policy (with its RUN_ID) does not, even when persisted; a plain task
persists nothing.
"""

import sys

from prefect import flow, task
from prefect.cache_policies import INPUTS, TASK_SOURCE

sys.stdout.reconfigure(line_buffering=True)
ran = []


@task(cache_policy=INPUTS)
def by_inputs(x):
    ran.append("by_inputs")
    return x + 1


@task(cache_policy=TASK_SOURCE)
def by_source(x):
    ran.append("by_source")
    return x + 2


@task
def plain(x):
    ran.append("plain")
    return x + 3


@task(persist_result=True)
def persisted_default(x):
    ran.append("persisted_default")
    return x + 4


@flow
def main():
    for t in (by_inputs, by_source, plain, persisted_default):
        t(1)
        t(1)
    return by_source(2)  # another input, the same source


if __name__ == "__main__":
    print("returned", main(), "- the task bodies that ran:", ran)
