"""The lesson's pipeline for real Prefect, fetching its records over HTTP.

Run it with a local source (see the lesson for the two terminals):

    python -m http.server 8000 --bind 127.0.0.1   # serves this folder
    python pipeline_requests.py
"""

import requests
from prefect import flow, task


@task(retries=2, retry_delay_seconds=10, log_prints=True)
def fetch_data(url: str) -> list[dict]:
    print(f"Fetching data from {url}")
    response = requests.get(url, timeout=30)
    response.raise_for_status()  # a status such as 503 raises: Prefect retries
    records = response.json()
    print(f"Fetched {len(records)} records")
    return records


@task(log_prints=True)
def process_data(records: list[dict]) -> list[dict]:
    kept = [r for r in records if r["value"] >= 20]
    print(f"Kept {len(kept)} of {len(records)} records (value >= 20)")
    return kept


@flow(name="example-pipeline", log_prints=True)
def pipeline(url: str = "http://127.0.0.1:8000/data.json") -> list[dict]:
    records = fetch_data(url)
    return process_data(records)


if __name__ == "__main__":
    result = pipeline()
    print(f"Returned {len(result)} records: {result}")
