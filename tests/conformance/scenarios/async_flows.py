"""Async flows and tasks, after Prefect's how-to guides "Run work concurrently" and "Write and run".

Checks: `asyncio.run(flow())`; awaited async tasks; `asyncio.gather` over task
calls (concurrent, and logged in gather order); `.submit()` and `.map()` of an
async task in an async flow; a sync task called from an async flow; an async
subflow; retries and a timeout on an async task; an async flow that fails
(its last line is ERROR); what a call returns before it is awaited;
`State.result()` giving a coroutine in an async context; submitted runs that
never started when an async flow returns (crashed).
"""

import asyncio
import sys

from prefect import flow, task

sys.stdout.reconfigure(line_buffering=True)


@task(log_prints=True)
async def stop_at_floor(floor: int) -> int:
    print(f"elevator moving to floor {floor}")
    await asyncio.sleep(floor / 10)
    print(f"elevator stops on floor {floor}")
    return floor


@flow
async def elevator():
    floors = await asyncio.gather(*[stop_at_floor(floor) for floor in range(4, 0, -1)])
    return floors


@task
async def add(x: int, y: int) -> int:
    await asyncio.sleep(0.1)
    return x + y


@task
def double(x: int) -> int:
    return 2 * x


@flow(log_prints=True)
async def child(n: int) -> int:
    print(f"child got {n}")
    return await add(n, 100)


attempts = {"n": 0}


@task(retries=2, retry_delay_seconds=1)
async def flaky() -> str:
    attempts["n"] += 1
    if attempts["n"] < 3:
        raise ConnectionError(f"attempt {attempts['n']} failed")
    return "ok"


@task(timeout_seconds=1)
async def sleepy() -> None:
    await asyncio.sleep(5)


@flow(log_prints=True)
async def main() -> int:
    total = await add(1, 2)
    print("awaited add:", total)
    pending = add(3, 4)
    print("before await:", type(pending).__name__, pending.__qualname__)
    print("after await:", await pending)
    future = add.submit(5, 6)
    print("submitted:", type(future).__name__, "->", future.result())
    print("mapped:", add.map([1, 2], [10, 20]).result())
    print("sync task in an async flow:", double(21))
    print("async subflow:", await child(7))
    print("flaky:", await flaky())
    state = await sleepy(return_state=True)
    print("sleepy ended:", state)
    done = double(4, return_state=True)
    result = done.result()
    print("State.result() in an async flow gives", type(result).__name__, "; awaited:", await result)
    return total


@flow
async def fails() -> None:
    raise RuntimeError("the async flow blew up")


@flow
async def leaves_runs_behind() -> str:
    add.submit(1, 1)
    double.submit(2)
    return "returned at once"


if __name__ == "__main__":
    print("elevator:", asyncio.run(elevator()))
    print("main:", asyncio.run(main()))
    print("fails:", asyncio.run(fails(return_state=True)))
    print("leaves runs behind:", asyncio.run(leaves_runs_behind()))
    coroutine = main()
    print("a call before asyncio.run:", type(coroutine).__name__, coroutine.__qualname__)
    coroutine.close()
