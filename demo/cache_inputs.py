"""Ask the weather service about each city once: a task cached on its inputs."""

from sim_prefect import flow, print_state_log, task
from sim_prefect.cache_policies import INPUTS

FORECASTS = {"Oslo": "snow", "Lima": "sun", "Pune": "rain"}


@task(cache_policy=INPUTS)
def forecast(city: str) -> str:
    print(f"Asking the weather service about {city}")  # the slow, billed call
    return FORECASTS[city]


@flow(log_prints=True)
def trip_report(cities: list[str]) -> dict[str, str]:
    weather = {city: forecast(city) for city in cities}
    print(f"Weather: {weather}")
    return weather


if __name__ == "__main__":
    trip_report(["Oslo", "Lima"])
    trip_report(["Lima", "Pune", "Oslo"])  # Lima and Oslo come from the cache
    print_state_log()
