"""Which calls count as the same? The cache key decides, and a key that forgets an input gives stale answers."""

from datetime import timedelta

from sim_prefect import flow, print_state_log, task
from sim_prefect.cache_policies import INPUTS, TASK_SOURCE

WEATHER = {("Oslo", "Monday"): "snow", ("Oslo", "Tuesday"): "sun"}


def city_only(context, parameters) -> str:
    return parameters["city"]  # the trap: the day is not part of the key


@task(cache_key_fn=city_only)
def forecast_by_city(city: str, day: str) -> str:
    print(f"Asking about {city} on {day}")
    return WEATHER[(city, day)]


@task(cache_policy=INPUTS + TASK_SOURCE, cache_expiration=timedelta(hours=6))
def forecast(city: str, day: str) -> str:
    print(f"Asking about {city} on {day}")
    return WEATHER[(city, day)]


@flow(log_prints=True)
def plan_week() -> None:
    monday, tuesday = forecast_by_city("Oslo", "Monday"), forecast_by_city("Oslo", "Tuesday")
    print(f"Keyed on the city only: Monday {monday}, Tuesday {tuesday}")  # Tuesday got Monday's answer
    monday, tuesday = forecast("Oslo", "Monday"), forecast("Oslo", "Tuesday")
    print(f"Keyed on every input:   Monday {monday}, Tuesday {tuesday}")
    monday = forecast.with_options(refresh_cache=True)("Oslo", "Monday")  # asks again, replaces the entry
    print(f"Refreshed: Monday {monday}")


if __name__ == "__main__":
    plan_week()
    print_state_log()
