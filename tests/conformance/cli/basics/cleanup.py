"""Remove what setup.py made and the commands left (on a shared server, the next scenario starts clean)."""

from prefect.blocks.system import Secret
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowFilter, FlowFilterName
from prefect.exceptions import ObjectNotFound

with get_client(sync_client=True) as client:
    for run in client.read_flow_runs(flow_filter=FlowFilter(name=FlowFilterName(any_=["cli-pipeline"]))):
        client.delete_flow_run(run.id)
    for variable in client.read_variables():
        if variable.name.startswith("cli_"):
            client.delete_variable_by_name(variable.name)
    for limit in client.read_global_concurrency_limits(limit=100):
        if limit.name.startswith(("cli-", "tag:cli-")):
            client.delete_global_concurrency_limit_by_name(limit.name)
try:
    Secret.delete("cli-api-key")
except (ObjectNotFound, ValueError):
    pass
