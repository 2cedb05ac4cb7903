"""A limit on a tag: at most two runs of the tagged task at a time; the others wait in Pending."""

import time

from sim_prefect import flow, get_client, get_run_logger, print_state_log, task

REGIONS = ["north", "south", "east", "west", "islands"]


@task(tags=["warehouse"])
def export_region(region: str) -> str:
    get_run_logger().info(f"{region}: querying the warehouse")
    time.sleep(2)  # the query
    return region


@flow
def export_all() -> list[str]:
    return export_region.map(REGIONS).result()


if __name__ == "__main__":
    with get_client(sync_client=True) as client:  # as `prefect concurrency-limit create warehouse 2` would
        client.create_concurrency_limit(tag="warehouse", concurrency_limit=2)
    export_all()
    print_state_log()
