"""Three downloads at once in an async flow: asyncio.gather over async task calls."""

import asyncio

from sim_prefect import flow, print_state_log, task


@task(log_prints=True)
async def download(source: str) -> int:
    print(f"asking {source}")
    await asyncio.sleep(2)  # the network: while this task waits, the others run
    print(f"got 100 rows from {source}")
    return 100


@flow(log_prints=True)
async def all_at_once(sources: list[str]) -> int:
    rows = await asyncio.gather(*[download(source) for source in sources])
    print(f"{sum(rows)} rows from {len(sources)} sources")
    return sum(rows)


if __name__ == "__main__":
    asyncio.run(all_at_once(["north", "south", "east"]))
    print_state_log()
