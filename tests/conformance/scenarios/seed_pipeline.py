"""The lesson's pipeline: fetch records (the first request fails), keep the large ones.

Checks: log_prints in tasks, one retry after a 1-second delay (AwaitingRetry ->
Retrying), Finished lines, the flow's return value.
"""

from prefect import flow, task

requests_made = 0


def flaky_get(url: str) -> list[dict]:
    """Stands in for an HTTP call: the first call fails, later calls answer."""
    global requests_made
    requests_made += 1
    if requests_made == 1:
        raise ConnectionError(f"Failed to connect to {url}")
    return [{"id": i, "value": v} for i, v in enumerate([10, 20, 30, 5, 40])]


@task(retries=2, retry_delay_seconds=1, log_prints=True)
def fetch_data(url: str) -> list[dict]:
    print(f"Fetching data from {url}")
    records = flaky_get(url)
    print(f"Fetched {len(records)} records")
    return records


@task(log_prints=True)
def process_data(records: list[dict]) -> list[dict]:
    kept = [r for r in records if r["value"] >= 20]
    print(f"Kept {len(kept)} of {len(records)} records (value >= 20)")
    return kept


@flow(name="example-pipeline", log_prints=True)
def pipeline(url: str = "https://api.example.com/data") -> list[dict]:
    records = fetch_data(url)
    return process_data(records)


if __name__ == "__main__":
    result = pipeline()
    print("returned:", result)
    print("requests made:", requests_made)
