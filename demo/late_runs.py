"""Two deployments of one flow: one served, one that no process serves. What the server holds after 21 hours."""

from collections import Counter
from datetime import datetime, timedelta, timezone

import sim_prefect
from sim_prefect import flow, get_client, print_state_log
from sim_prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId
from sim_prefect.deployments import run_deployment


@flow(log_prints=True)
def refresh_prices(source: str = "all", currency: str = "EUR") -> None:
    print(f"Refreshing {source} prices in {currency}")


if __name__ == "__main__":
    # On the server, but no process serves it. Two runs of it are asked for: one now, one for a later date.
    refresh_prices.to_deployment(name="archive", parameters={"source": "archive"}).apply()
    run_deployment("refresh-prices/archive", timeout=0)
    run_deployment("refresh-prices/archive", timeout=0, scheduled_time=datetime(2030, 1, 1, tzinfo=timezone.utc))

    # The page only: stop serving after 21 hours of its clock, as Ctrl-C would at home.
    sim_prefect.session().serving.until = sim_prefect.session().now() + 21 * 3600
    refresh_prices.serve(name="every-8-hours", interval=timedelta(hours=8))

    with get_client(sync_client=True) as client:
        for name in ("refresh-prices/archive", "refresh-prices/every-8-hours"):
            deployment = client.read_deployment_by_name(name)
            only_this = DeploymentFilter(id=DeploymentFilterId(any_=[deployment.id]))
            states = Counter(run.state.name for run in client.read_flow_runs(deployment_filter=only_this))
            print(f"{name}: " + ", ".join(f"{n} {state}" for state, n in sorted(states.items())))
    print_state_log()
