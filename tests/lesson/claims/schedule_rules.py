"""Page 6's rules about schedules and runs of deployments that nothing serves, printed as CLAIM lines.

- A cron schedule with a time zone fires at that wall-clock time (here 09:00 in Berlin on
  weekdays), whatever its offset from UTC; without one, at that time in UTC.
- run_deployment(timeout=0) returns at once: a FlowRun, Scheduled, its parameters the
  deployment's with the call's on top.
- A run still Scheduled 15 s after its time, with nothing picking it up, turns Late (type
  SCHEDULED); one whose time has not come stays Scheduled.
"""

import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from prefect import flow, get_client
from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterName
from prefect.deployments import run_deployment
from prefect.schedules import Cron

BERLIN = ZoneInfo("Europe/Berlin")


@flow
def claims_p6_report(region: str = "all", top: int = 3) -> None:
    print(region, top)


def scheduled_runs(client, name, at_least=3, wait=30.0):
    """The deployment's runs that the server's scheduler made (it runs every few seconds)."""
    deadline = time.monotonic() + wait
    while True:
        runs = client.read_flow_runs(deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=[name])))
        runs = [r for r in runs if r.auto_scheduled]
        if len(runs) >= at_least or time.monotonic() > deadline:
            return sorted(runs, key=lambda r: r.expected_start_time)
        time.sleep(0.5)


def until_state(client, run_id, name, wait=20.0):
    deadline = time.monotonic() + wait
    while True:
        run = client.read_flow_run(run_id)
        if run.state.name == name or time.monotonic() > deadline:
            return run
        time.sleep(0.5)


if __name__ == "__main__":
    claims_p6_report.to_deployment(
        name="claims-p6-berlin", schedule=Cron("0 9 * * 1-5", timezone="Europe/Berlin"), parameters={"region": "north"}
    ).apply()
    claims_p6_report.to_deployment(name="claims-p6-utc", cron="0 9 * * 1-5").apply()
    with get_client(sync_client=True) as client:
        berlin = scheduled_runs(client, "claims-p6-berlin")
        local = {f"{r.expected_start_time.astimezone(BERLIN):%H:%M}" for r in berlin}
        weekdays = all(r.expected_start_time.astimezone(BERLIN).weekday() < 5 for r in berlin)
        offsets = all(
            r.expected_start_time.astimezone(timezone.utc).hour == 9 - r.expected_start_time.astimezone(BERLIN).utcoffset() // timedelta(hours=1)
            for r in berlin
        )
        print(f"CLAIM a cron in Europe/Berlin: {len(berlin) >= 3} runs ahead, at {sorted(local)} Berlin time, weekdays {weekdays}, UTC hour 9 minus the offset {offsets}")
        print(f"CLAIM its runs' parameters: {berlin[0].parameters}")
        utc = scheduled_runs(client, "claims-p6-utc")
        print(f"CLAIM a cron with no time zone: at {sorted({f'{r.expected_start_time.astimezone(timezone.utc):%H:%M}' for r in utc})} UTC")

        now = datetime.now(timezone.utc)
        past = run_deployment("claims-p6-report/claims-p6-berlin", parameters={"top": 5}, timeout=0, scheduled_time=now - timedelta(seconds=60))
        future = run_deployment("claims-p6-report/claims-p6-berlin", timeout=0, scheduled_time=now + timedelta(hours=1))
        print(f"CLAIM run_deployment(timeout=0): {type(past).__name__} {past.state.name}, parameters {past.parameters}")
        late = until_state(client, past.id, "Late")
        print(f"CLAIM a run 60 s past its time, nothing serving it: {late.state.name} {late.state.type.value}")
        print(f"CLAIM a run an hour ahead: {client.read_flow_run(future.id).state.name}")
        for name in ("claims-p6-berlin", "claims-p6-utc"):
            deployment = client.read_deployment_by_name(f"claims-p6-report/{name}")
            for run in client.read_flow_runs(deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=[name]))):
                client.delete_flow_run(run.id)
            client.delete_deployment(deployment.id)
