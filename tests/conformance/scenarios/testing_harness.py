"""Testing flows: the test harness, ``.fn()`` and ``disable_run_logger``, run as a plain script.

From docs/v3/how-to-guides/workflows/test-workflows.mdx: "Run flows against a temporary
database" (``with prefect_test_harness(): assert my_favorite_flow() == 42``), "Test the
underlying function without the engine" (``.fn()``), and "MissingContextError from
get_run_logger" (``disable_run_logger``). The harness's database is the block's own: its run is
not found after it. (No run comes before the harness here: Prefect 3.9.1's events worker, once
started against one server, logs an internal ERROR for each event of a harness run after it. The
guide's pytest examples, a clean database per test among them, run in
tests/sim_prefect/test_testing.py.)
"""

import sys

from prefect import flow, get_client, get_run_logger, task
from prefect.exceptions import MissingContextError, ObjectNotFound
from prefect.logging import disable_run_logger
from prefect.testing.utilities import prefect_test_harness

sys.stdout.reconfigure(line_buffering=True)


@task
def my_favorite_task():
    return 42


@task
def my_task():
    logger = get_run_logger()
    logger.info("Hello from a task")
    return 42


@flow
def my_favorite_flow():
    val = my_favorite_task()
    return val


def find(flow_run_id):
    with get_client(sync_client=True) as client:
        try:
            return client.read_flow_run(flow_run_id).state_name
        except ObjectNotFound:
            return "not found"


with prefect_test_harness():
    # run the flow against a temporary testing database
    inside = my_favorite_flow(return_state=True)
    assert inside.result() == 42
    print("inside the harness, its run:", find(inside.state_details.flow_run_id))
    with get_client(sync_client=True) as client:
        print("flow runs in the harness's database:", client.count_flow_runs())

print("after it, the harness's run:", find(inside.state_details.flow_run_id))
print("after it, a run outside it:", find(my_favorite_flow(return_state=True).state_details.flow_run_id))

print("my_favorite_task.fn():", my_favorite_task.fn())
try:
    my_task.fn()
except MissingContextError as exc:
    print("my_task.fn():", type(exc).__name__, exc)
with disable_run_logger():
    print("my_task.fn() with the run logger disabled:", my_task.fn())
