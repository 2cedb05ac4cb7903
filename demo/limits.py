"""Two limits on the server: the warehouse takes two queries at a time, the geocoder two calls a second."""

import time

from sim_prefect import flow, get_client, get_run_logger, print_state_log, task
from sim_prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
from sim_prefect.concurrency.sync import concurrency, rate_limit
from sim_prefect.exceptions import ObjectAlreadyExists

REGIONS = ["north", "south", "east", "west", "islands"]
CITIES = ["Oslo", "Lima", "Pune", "Kyiv"]


def create_limit(name: str, limit: int, slot_decay_per_second: float = 0.0) -> None:
    """Once per server, as `prefect gcl create` would."""
    with get_client(sync_client=True) as client:
        try:
            client.create_global_concurrency_limit(
                GlobalConcurrencyLimitCreate(name=name, limit=limit, slot_decay_per_second=slot_decay_per_second)
            )
        except ObjectAlreadyExists:
            pass  # an earlier run made it: limits live on the server


@task
def export_region(region: str) -> str:
    with concurrency("warehouse", occupy=1):
        get_run_logger().info(f"{region}: querying the warehouse")
        time.sleep(2)  # the query
    return region


@task
def geocode(city: str) -> str:
    rate_limit("geocoder")
    get_run_logger().info(f"asking the geocoder about {city}")
    return city


@flow
def export_all() -> list[str]:
    return export_region.map(REGIONS).result()


@flow
def geocode_all() -> list[str]:
    return geocode.map(CITIES).result()


if __name__ == "__main__":
    create_limit("warehouse", limit=2)
    create_limit("geocoder", limit=1, slot_decay_per_second=2)
    export_all()
    geocode_all()
    print_state_log()
