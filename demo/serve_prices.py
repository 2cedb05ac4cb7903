"""The price refresh, served as a deployment: every morning at 06:00 UTC, for the suppliers by default."""

import sim_prefect
from sim_prefect import flow, print_state_log
from sim_prefect.runtime import flow_run


@flow(log_prints=True)
def refresh_prices(source: str = "all", currency: str = "EUR") -> None:
    when = flow_run.scheduled_start_time
    print(f"Refreshing {source} prices in {currency}, as scheduled for {when:%H:%M} UTC")


if __name__ == "__main__":
    # The page only: stop serving after three days of its clock, as Ctrl-C would at home.
    sim_prefect.session().serving.until = sim_prefect.session().now() + 3 * 24 * 3600
    refresh_prices.serve(
        name="every-morning",
        cron="0 6 * * *",
        parameters={"source": "suppliers"},
    )
    print_state_log()
