"""The warm-up the page's first Python runs before its memory becomes every Run's starting point.

A first Run pays for the code paths Python has not met yet: imports, a retry,
a submitted task, an async flow, a cache hit, an artifact, prints and a
traceback. Running them once here, before the snapshot (web/worker.js), means
every Run starts warm. `runner.warm_up()` runs this file as a learner's code,
so nothing of it is left behind but what Python keeps warm.
"""

import asyncio

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import INPUTS
from prefect.futures import wait

tries = 0


@task(retries=1, retry_delay_seconds=1, log_prints=True)
def step(n: int) -> int:
    global tries
    tries += 1
    if tries == 1:
        raise ValueError("warm-up")
    print(n)
    return n


@task(cache_policy=INPUTS)
def cached(n: int) -> int:
    return n


@task
async def pause(n: int) -> int:
    await asyncio.sleep(0.1)
    return n


@flow(log_prints=True)
def warm_up() -> list[int]:
    create_markdown_artifact("# Warm-up\n\n**bold** and [a link](https://docs.prefect.io/)")
    create_table_artifact([{"n": 1}])
    futures = step.map([2, 3])
    wait(futures)
    return [step(1), cached(1), cached(1), *futures.result()]


@flow
async def warm_up_async() -> list[int]:
    return list(await asyncio.gather(pause(1), pause(2)))


warm_up()
asyncio.run(warm_up_async())
1 / 0
