"""Exercise: geocode each city once.

Every call to the geocoding service is billed. Monday's and Tuesday's
delivery plans visit some of the same cities, so the same city is geocoded,
and billed, again and again. Give geocode a cache policy so that each city
is geocoded once, across both flow runs, and every other stop comes from the
cache. Leave geocoding_service() as it is, and keep calling geocode for
every stop.
"""

from sim_prefect import flow, print_state_log, task
from sim_prefect.cache_policies import INPUTS

COORDINATES = {"Oslo": (59.91, 10.75), "Lima": (-12.05, -77.04), "Pune": (18.52, 73.86)}
billed: list[str] = []


def geocoding_service(place: str) -> tuple[float, float]:
    """Stands in for a paid API: every call is billed."""
    billed.append(place)
    print(f"Geocoding {place} (billed)")
    return COORDINATES[place]


@task(cache_policy=INPUTS)
def geocode(place: str) -> tuple[float, float]:
    return geocoding_service(place)


@flow(log_prints=True)
def delivery_plan(stops: list[str]) -> list[tuple[float, float]]:
    route = [geocode(stop) for stop in stops]
    print(f"Route: {route}; calls billed so far: {len(billed)}")
    return route


if __name__ == "__main__":
    delivery_plan(["Oslo", "Lima", "Oslo"])  # Monday
    delivery_plan(["Lima", "Pune", "Oslo"])  # Tuesday
    print_state_log()
