"""The lesson's pipeline: fetch records, then keep the large ones.

The network is simulated: the first request fails, the retry succeeds.
"""

from sim_prefect import flow, print_state_log, task

attempts = 0


def fake_http_get(url: str) -> list[dict]:
    """Stands in for requests.get(url).json(): fails once, then answers."""
    global attempts
    attempts += 1
    if attempts == 1:
        raise ConnectionError(f"Failed to connect to {url}")
    return [{"id": i, "value": v} for i, v in enumerate([10, 20, 30, 5, 40])]


@task(retries=2, retry_delay_seconds=10, log_prints=True)
def fetch_data(url: str) -> list[dict]:
    print(f"Fetching data from {url}")
    records = fake_http_get(url)
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
    print(f"Returned {len(result)} records: {result}")
    # sim_prefect only: real Prefect keeps this history in its UI.
    print_state_log()
