"""Global concurrency and rate limits, after Prefect's how-to guide "Apply global concurrency and rate limits".

Checks: limits made, read, listed, updated and deleted through the client (and what
each call returns, and its errors); the guide's sync and async `concurrency` examples
(4 submitted tasks on a limit of 2); its strict-mode example on a limit that does not
exist; a missing limit in a flow, in a task and outside any run (a warning, and the
body runs); its rate_limit examples (in a flow, and outside any flow with asyncio);
an inactive limit; and the errors: more slots than the limit, rate_limit on a limit
without decay, a timeout, and the guide's `from prefect import concurrency` snippet.
Failures are collected and printed at the end: Prefect logs each failed acquisition
from its own thread (an internal ERROR line), and nothing is printed meanwhile. No
timings are printed (Prefect's waits are jittered: PORT.yaml concurrency-slots-in-turn).
The server is shared by the whole test session: the limits have names of this
scenario's own, and are removed at the start and the end.
"""

import asyncio
import sys

from prefect import flow, get_client, get_run_logger, task
from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate, GlobalConcurrencyLimitUpdate
from prefect.concurrency.asyncio import concurrency as async_concurrency
from prefect.concurrency.asyncio import rate_limit as async_rate_limit
from prefect.concurrency.sync import concurrency, rate_limit
from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound
from prefect.futures import wait

sys.stdout.reconfigure(line_buffering=True)

DATABASE, API, NO_DECAY, MISSING = "cl-database", "cl-rate-limited-api", "cl-no-decay", "cl-does-not-exist"


def clean(client):
    for name in (DATABASE, API, NO_DECAY, MISSING):
        try:
            client.delete_global_concurrency_limit_by_name(name)
        except ObjectNotFound:
            pass


with get_client(sync_client=True) as client:
    clean(client)
    made = client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=DATABASE, limit=2))
    print("create returns a", type(made).__name__)
    try:
        client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=DATABASE, limit=2))
    except ObjectAlreadyExists as e:
        print("create again:", type(e).__name__, repr(str(e)))
    client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=API, limit=1, slot_decay_per_second=5.0))
    client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=NO_DECAY, limit=1))
    gcl = client.read_global_concurrency_limit_by_name(DATABASE)
    print("read:", type(gcl).__name__, list(type(gcl).model_fields))
    print("values:", gcl.name, gcl.limit, gcl.active, gcl.active_slots, gcl.slot_decay_per_second)
    try:
        client.read_global_concurrency_limit_by_name(MISSING)
    except ObjectNotFound as e:
        print("read missing:", type(e).__name__)
    print("listed:", sorted(g.name for g in client.read_global_concurrency_limits(limit=200) if g.name.startswith("cl-")))
    try:
        GlobalConcurrencyLimitCreate(name="bad/name", limit=1)
    except Exception as e:
        print("bad name:", type(e).__name__, str(e).splitlines()[:3])


# -- the guide's examples -------------------------------------------------------------------------


@task
def process_data(x, y):
    with concurrency(DATABASE, occupy=1):
        return x + y


@flow
def my_flow():
    futures = []
    for x, y in [(1, 2), (2, 3), (3, 4), (4, 5)]:
        futures.append(process_data.submit(x, y))
    wait(futures)
    return [f.result() for f in futures]


@task
async def process_data_async(x, y):
    async with async_concurrency(DATABASE, occupy=1):
        return x + y


@flow
def my_async_tasks_flow():
    futures = []
    for x, y in [(1, 2), (2, 3), (3, 4), (4, 5)]:
        futures.append(process_data_async.submit(x, y))
    wait(futures)
    return [f.result() for f in futures]


@task
def process_critical_data(x, y):
    with concurrency(MISSING, occupy=1, strict=True):
        return x + y


@flow
def critical_flow():
    process_critical_data(1, 2)


@task
def make_http_request():
    rate_limit(API)
    get_run_logger().info("Making an HTTP request...")  # (not a print: log_prints races between Prefect's threads)


@flow
def rate_limited_flow():
    wait([make_http_request.submit() for _ in range(3)])


print("sync example:", my_flow())
print("async example:", my_async_tasks_flow())
state = critical_flow(return_state=True)
print("strict:", state.name, "|", state.message)
rate_limited_flow()


async def outside():
    for _ in range(3):
        await async_rate_limit(API)
        print("Making an HTTP request...")


asyncio.run(outside())

# -- a limit that does not exist: a warning where the code runs, and the body runs --------------------------


@task
def in_task():
    with concurrency(MISSING):
        return "the task's body ran"


@flow
def missing_limit_flow():
    with concurrency(MISSING, occupy=1):
        print("the flow's body ran")
    return in_task()


print(missing_limit_flow())
with concurrency(MISSING):
    print("outside any run: the body ran")

# -- an inactive limit never blocks ----------------------------------------------------------------------

with get_client(sync_client=True) as client:
    print("update returns", client.update_global_concurrency_limit(DATABASE, GlobalConcurrencyLimitUpdate(active=False)).status_code)
    print("inactive:", client.read_global_concurrency_limit_by_name(DATABASE).active)
with concurrency(DATABASE, occupy=5):
    print("an inactive limit: the body ran with occupy=5")

# -- what fails (printed at the end) -------------------------------------------------------------------------

failures = []
with get_client(sync_client=True) as client:
    client.update_global_concurrency_limit(DATABASE, GlobalConcurrencyLimitUpdate(active=True))
for what, attempt in [
    ("occupy=3 on a limit of 2", lambda: concurrency(DATABASE, occupy=3).__enter__()),
    ("rate_limit without decay", lambda: rate_limit(NO_DECAY)),
]:
    try:
        attempt()
    except Exception as e:
        failures.append(f"{what}: {type(e).__module__}.{type(e).__name__} | {e} | cause: {type(e.__cause__).__name__}")
with concurrency(NO_DECAY):
    try:
        with concurrency(NO_DECAY, timeout_seconds=1):
            pass
    except TimeoutError as e:
        failures.append(f"a timeout: {type(e).__name__} | {e} | cause: {type(e.__cause__).__name__}")
try:
    from prefect import concurrency as the_module

    with the_module(DATABASE):  # the guide's "Limit database connections" snippet imports it so
        pass
except TypeError as e:
    failures.append(f"`from prefect import concurrency`: {type(e).__name__} {e}")

with get_client(sync_client=True) as client:
    deleted = client.delete_global_concurrency_limit_by_name(DATABASE)
    print("delete returns", type(deleted).__name__, deleted.status_code)
    clean(client)
for failure in failures:
    print(failure)
