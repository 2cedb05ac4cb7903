"""Exercise: make this flow survive a flaky source.

The sensor API drops the first two requests it gets, then answers normally.
Run the flow as it is and watch it fail. Then change the @task line of
fetch_readings so that Prefect retries it, until the flow completes.
Change only the task's options: leave flaky_get() as it is.
"""

from sim_prefect import flow, print_state_log, task

requests_seen = 0


def flaky_get(url: str) -> list[float]:
    """Stands in for a network call to a source that is often busy."""
    global requests_seen
    requests_seen += 1
    if requests_seen <= 2:
        raise ConnectionError(f"{url} dropped request {requests_seen}")
    return [18.5, 19.0, 21.5, 20.0]


@task
def fetch_readings(url: str) -> list[float]:
    print(f"Requesting {url}")
    return flaky_get(url)


@task
def average(readings: list[float]) -> float:
    return sum(readings) / len(readings)


@flow(log_prints=True)
def sensor_report(url: str = "https://sensors.example.com/today") -> float:
    readings = fetch_readings(url)
    mean = average(readings)
    print(f"Average of {len(readings)} readings: {mean:.2f}")
    return mean


if __name__ == "__main__":
    sensor_report(return_state=True)  # report a failure instead of raising it
    print_state_log()
