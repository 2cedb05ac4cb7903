"""Tell someone when a nightly flow fails, and give a slow query a time limit, with a retry."""

import asyncio

from prefect import flow, task

attempts = 0


def page_on_call(flow, flow_run, state):
    # At work this would post to a chat channel or send an email.
    print(f"To #data-alerts: flow run '{flow_run.name}' of '{flow.name}' ended {state.name}: {state.message}")


def all_good(flow, flow_run, state):
    print(f"To #data-alerts: '{flow.name}' is done")


@task(timeout_seconds=1, retries=1)
async def query_sales(region: str) -> int:
    global attempts
    attempts += 1
    await asyncio.sleep(5 if attempts == 1 else 0.2)  # the first attempt hangs; the retry is quick
    return 1200


@task(timeout_seconds=1)
async def query_refunds(region: str) -> int:
    await asyncio.sleep(5)  # always hangs, and no retries are left
    return 30


@flow(on_completion=[all_good], on_failure=[page_on_call])
async def nightly_sales(region: str = "north") -> int:
    return await query_sales(region)


@flow(on_completion=[all_good], on_failure=[page_on_call])
async def nightly_refunds(region: str = "north") -> int:
    return await query_refunds(region)


if __name__ == "__main__":
    asyncio.run(nightly_sales(return_state=True))
    asyncio.run(nightly_refunds(return_state=True))
