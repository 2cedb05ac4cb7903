"""Three downloads, run three ways: direct calls, .submit() and .map().

Each source is busy the first time it is asked and says "come back in 2 s",
so every download spends 2 seconds waiting for its retry. The downloads do not
depend on each other. Compare how long each flow run takes (the state log's
third column): direct calls wait one after another; submitted and mapped runs
wait at the same time.
"""

from sim_prefect import flow, print_state_log, task

SOURCES = ["north", "south", "east"]
asked_before: set[str] = set()


@task(retries=1, retry_delay_seconds=2)
def download(source: str) -> int:
    if source not in asked_before:
        asked_before.add(source)
        raise ConnectionError(f"{source} is busy, come back in 2 s")
    print(f"downloaded {source}")
    return len(source)


@flow(log_prints=True)
def one_by_one() -> list[int]:
    # A direct call blocks until the task run is finished: sequential.
    return [download(source) for source in SOURCES]


@flow(log_prints=True)
def all_at_once() -> list[int]:
    # .submit() starts a task run and returns a future at once: concurrent.
    futures = [download.submit(source) for source in SOURCES]
    return [future.result() for future in futures]


@flow(log_prints=True)
def mapped() -> list[int]:
    # .map() submits one task run per item; .result() waits for all of them.
    return download.map(SOURCES).result()


if __name__ == "__main__":
    for pipeline in (one_by_one, all_at_once, mapped):
        asked_before.clear()  # every flow meets busy sources
        pipeline()
    print_state_log()
