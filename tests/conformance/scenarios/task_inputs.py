"""Where a task run's inputs came from (task_inputs), as the flow-run graph draws its arrows.

Prefect records, for each parameter of a task run (and wait_for), the task runs it came from:
futures and states, and also plain results passed on by value (a list, a dict, a string or a
large number that another task run returned, or one held in it, at any depth). Values it cannot
tell apart (small ints, True, None) and what is inside quote() record nothing. Read back through
the client, each input is printed as the names of the tasks it came from.
"""

import sys
import time

from prefect import flow, get_client, task
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from prefect.client.schemas.sorting import TaskRunSort
from prefect.context import get_run_context
from prefect.utilities.annotations import quote

sys.stdout.reconfigure(line_buffering=True)


@task
def records():
    return [{"id": i, "value": v} for i, v in enumerate([10, 20, 30])]


@task
def word():
    return "hello " * 3


@task
def big():
    return 10**6


@task
def small():
    return 7


@task
def flag():
    return True


@task
def consume(*args, **kwargs):
    return len(args) + len(kwargs)


@flow
def task_inputs():
    rows = records()
    text = word()
    number = big()
    seven = small()
    yes = flag()
    consume(rows, label="plain")
    consume({"wrapped": [rows[0]]}, label="one level in, nested")
    consume(text, number, seven, yes)
    consume(quote(rows))
    future = records.submit()
    future.wait()  # its run exists (and ends) before consume's: their order does not depend on the thread's start
    consume(future, wait_for=[text])
    return get_run_context().flow_run.id


def settled(read, expected):
    """Read again until the server has all it was sent (real Prefect records task runs a moment later)."""
    for _ in range(40):
        found = read()
        if len(found) >= expected:
            return found
        time.sleep(0.25)
    return read()


flow_run_id = task_inputs()
with get_client(sync_client=True) as client:
    ours = FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
    runs = settled(lambda: client.read_task_runs(flow_run_filter=ours, sort=TaskRunSort.EXPECTED_START_TIME_ASC), 11)
    names = {run.id: run.name.rsplit("-", 1)[0] for run in runs}
    for run in runs:
        inputs = {key: sorted(names.get(i.id, "?") for i in found) for key, found in sorted(run.task_inputs.items())}
        print(run.name.rsplit("-", 1)[0], inputs)
