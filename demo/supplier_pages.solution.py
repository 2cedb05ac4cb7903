"""Solution: the supplier's twelve pages, three at a time.

`.map()` submits one task run per page to the flow's task runner, and
`ThreadPoolTaskRunner(max_workers=3)` lets at most three of them run at once:
the API's own limit. The others wait for a free thread, so no request is
refused, and the twelve pages take four seconds instead of twelve.
"""

import time

from sim_prefect import flow, print_state_log, task
from sim_prefect.task_runners import ThreadPoolTaskRunner

PAGES = list(range(1, 13))


class TooManyRequests(Exception):
    """The API's answer to a request beyond its limit (HTTP 429)."""


class SupplierAPI:
    """The supplier's catalogue: at most three requests at a time, one second each."""

    limit = 3

    def __init__(self) -> None:
        self.in_flight = 0

    def get_page(self, page: int) -> list[str]:
        if self.in_flight >= self.limit:
            raise TooManyRequests(f"429 Too Many Requests ({self.in_flight} in progress)")
        self.in_flight += 1
        try:
            time.sleep(1)  # the supplier's server at work
            return [f"item-{page}-{n}" for n in (1, 2, 3)]
        finally:
            self.in_flight -= 1


api = SupplierAPI()


@task
def fetch_page(page: int) -> list[str]:
    return api.get_page(page)


@flow(log_prints=True, task_runner=ThreadPoolTaskRunner(max_workers=3))
def sync_catalogue(pages: list[int]) -> int:
    items = [item for items in fetch_page.map(pages).result() for item in items]
    print(f"{len(items)} items from {len(pages)} pages")
    return len(items)


if __name__ == "__main__":
    sync_catalogue(PAGES)
    print_state_log()
