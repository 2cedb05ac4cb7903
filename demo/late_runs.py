"""Two deployments of one flow: one served, one that no process serves. What the runs list shows after a day."""

from collections import Counter
from datetime import timedelta

import sim_prefect
from sim_prefect import flow, get_client, print_state_log
from sim_prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId


@flow(log_prints=True)
def refresh_prices(source: str = "all", currency: str = "EUR") -> None:
    print(f"Refreshing {source} prices in {currency}")


if __name__ == "__main__":
    # On the server, with a schedule, but no process serves it.
    refresh_prices.to_deployment(
        name="archive", interval=timedelta(hours=6), parameters={"source": "archive"}
    ).apply()

    # The page only: stop serving after a day of its clock, as Ctrl-C would at home.
    sim_prefect.session().serving.until = sim_prefect.session().now() + 24 * 3600
    refresh_prices.serve(name="every-morning", cron="0 11 * * *")

    with get_client(sync_client=True) as client:
        for deployment in client.read_deployments():
            only_this = DeploymentFilter(id=DeploymentFilterId(any_=[deployment.id]))
            runs = client.read_flow_runs(deployment_filter=only_this)
            states = Counter(run.state.name for run in runs)
            print(f"{deployment.name}: " + ", ".join(f"{n} {name}" for name, n in sorted(states.items())))
    print_state_log()
