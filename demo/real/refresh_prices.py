"""The price refresh, served as a deployment: every morning at 06:00 in New York, for the suppliers by default.

This process keeps running: it registers the deployment with the Prefect server,
then runs its scheduled runs, and any run started with
`prefect deployment run 'refresh-prices/every-morning'`. Stop it with Ctrl-C.
"""

from zoneinfo import ZoneInfo

from prefect import flow
from prefect.runtime import flow_run
from prefect.schedules import Cron

NEW_YORK = ZoneInfo("America/New_York")


@flow(log_prints=True)
def refresh_prices(source: str = "all", currency: str = "EUR") -> None:
    when = flow_run.scheduled_start_time.astimezone(NEW_YORK)
    print(f"Refreshing {source} prices in {currency}, as scheduled for {when:%H:%M} in New York")


if __name__ == "__main__":
    refresh_prices.serve(
        name="every-morning",
        schedule=Cron("0 6 * * *", timezone="America/New_York"),
        parameters={"source": "suppliers"},
    )
