"""One bad file among three: what the flow's final state becomes, and two ways to carry on."""

from sim_prefect import allow_failure, flow, print_state_log, task
from sim_prefect.futures import wait

FILES = ["north.csv", "broken.csv", "south.csv"]


@task
def load(name: str) -> int:
    if name == "broken.csv":
        raise ValueError(f"{name}: line 3 has no amount")
    return 10 * len(name)  # rows loaded


@task
def summarize(counts: list) -> str:
    loaded = [c for c in counts if isinstance(c, int)]  # a failed input arrives as its exception
    return f"{sum(loaded)} rows from {len(loaded)} of {len(counts)} files"


@flow
def returns_the_futures():
    return load.map(FILES)  # one of them failed, so the flow run fails


@flow(log_prints=True)
def waits_and_reports() -> str:
    done, not_done = wait(load.map(FILES))
    failed = [f for f in done if f.state.is_failed()]
    print(f"{len(done)} done, {len(failed)} failed, {len(not_done)} still running")
    return summarize([f.result() for f in done if f.state.is_completed()])


@flow(log_prints=True)
def summarizes_anyway() -> str:
    counts = load.map(FILES)
    blocked = summarize.submit(counts)  # waits for its inputs in order; one failed, so it never starts
    blocked.wait()
    print(f"Without allow_failure, summarize ended {blocked.state.name}")
    summary = summarize(allow_failure(counts))  # starts although an input failed
    print(summary)
    return summary


if __name__ == "__main__":
    for flow_fn in (returns_the_futures, waits_and_reports, summarizes_anyway):
        print(f"{flow_fn.name} ended {flow_fn(return_state=True)}")
    print_state_log()
