"""Remove the deployment and its runs (on a shared server, the next scenario starts clean)."""

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowFilter, FlowFilterName

with get_client(sync_client=True) as client:
    for run in client.read_flow_runs(flow_filter=FlowFilter(name=FlowFilterName(any_=["refresh-prices"]))):
        client.delete_flow_run(run.id)
    client.delete_deployment(client.read_deployment_by_name("refresh-prices/every-morning").id)
