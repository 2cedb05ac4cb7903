"""Tag-based task concurrency limits, after Prefect's how-to guide "Limit concurrent task runs with tags".

Checks: the guide's Python-client calls (sync and async clients: create, read by tag,
list, delete) and the global limit named ``tag:<tag>`` behind each since Prefect
3.4.19; its data_pipeline example on a limit of 1, whose task runs wait for the slot
silently (no line, no extra state: Pending -> Running -> Completed) and hold it while
they run (the limit shows their run); a task with two tags needs a slot of each; a tag
without a limit does not hold a task back. The server is shared by the whole test
session: the tags are this scenario's own, and their limits are removed at the start
and the end.
"""

import asyncio
import sys

from prefect import flow, get_client, task
from prefect.context import get_run_context
from prefect.exceptions import ObjectNotFound
from prefect.futures import wait

sys.stdout.reconfigure(line_buffering=True)

DATABASE, ANALYTICS = "tcl-database", "tcl-analytics"


def clean(client):
    for tag in (DATABASE, ANALYTICS):
        try:
            client.delete_concurrency_limit_by_tag(tag)
        except ObjectNotFound:
            pass


async def configure():
    async with get_client() as client:  # the guide's async client
        await client.create_concurrency_limit(tag=DATABASE, concurrency_limit=10)
        limit = await client.read_concurrency_limit_by_tag(tag=DATABASE)
        print("read:", type(limit).__name__, list(type(limit).model_fields))
        print("values:", limit.tag, limit.concurrency_limit, limit.active_slots)
        await client.delete_concurrency_limit_by_tag(tag=DATABASE)
        limits = await client.read_concurrency_limits(limit=200, offset=0)
        print("after delete:", [c.tag for c in limits if c.tag.startswith("tcl-")])


with get_client(sync_client=True) as client:
    clean(client)
asyncio.run(configure())
with get_client(sync_client=True) as client:
    made = client.create_concurrency_limit(tag=DATABASE, concurrency_limit=1)
    print("create returns a", type(made).__name__)
    client.create_concurrency_limit(tag=ANALYTICS, concurrency_limit=1)
    print("listed:", sorted((c.tag, c.concurrency_limit) for c in client.read_concurrency_limits(limit=200, offset=0)
                            if c.tag.startswith("tcl-")))
    backing = client.read_global_concurrency_limit_by_name(f"tag:{DATABASE}")
    print("backing global limit:", backing.name, backing.limit, backing.active, backing.slot_decay_per_second)


@task(tags=[DATABASE], log_prints=True)
def query_database(query: str):
    with get_client(sync_client=True) as client:
        holders = client.read_concurrency_limit_by_tag(DATABASE).active_slots
    print(f"holds the tag's slot: {holders == [get_run_context().task_run.id]}")
    return f"Results for {query}"


@flow
def data_pipeline():
    futures = query_database.map(["SELECT * FROM users", "SELECT * FROM orders", "SELECT * FROM products"])
    return [f.result() for f in futures]


@task(tags=[DATABASE, ANALYTICS])
def complex_query():
    return "complex results"


@task(tags=["tcl-no-limit"])
def fetch_data():
    return "data"


@flow
def both_tags():
    futures = [complex_query.submit(), complex_query.submit(), fetch_data.submit()]
    wait(futures)
    return [f.result() for f in futures]


print(data_pipeline())
print(both_tags())
with get_client(sync_client=True) as client:
    print("slots after the runs:", client.read_concurrency_limit_by_tag(DATABASE).active_slots)
    clean(client)
