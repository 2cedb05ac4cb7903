"""The morning sales report, served every weekday at 9:00 (UTC) for the north region."""

import sim_prefect
from sim_prefect import flow, print_state_log
from sim_prefect.runtime import flow_run


@flow(log_prints=True)
def sales_report(region: str = "all") -> None:
    when = flow_run.scheduled_start_time
    print(f"Sales report for {region}, {when:%A %H:%M} UTC")


if __name__ == "__main__":
    # The page only: stop serving after a week of its clock, as Ctrl-C would at home.
    sim_prefect.session().serving.until = sim_prefect.session().now() + 7 * 24 * 3600
    sales_report.serve(name="weekday-mornings", cron="0 9 * * 1-5", parameters={"region": "north"})
    print_state_log()
