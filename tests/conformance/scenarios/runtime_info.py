"""What ``prefect.runtime`` tells a run about itself (docs/v3/how-to-guides/workflows/access-runtime-info.mdx).

The guide's example (``flow_run.name`` inside a flow; None outside one), and the attributes
prefect.runtime.flow_run and prefect.runtime.task_run list: ids, names, parameters, run counts,
tags, the flow's version, the scheduled start, a subflow's parent and root, and the API and UI
addresses of the run.
"""

import sys
from datetime import datetime, timezone

from prefect import flow, tags, task
from prefect.runtime import deployment, flow_run, task_run

sys.stdout.reconfigure(line_buffering=True)


@flow
def moody_workflow(name: str):
    return f"I wish my parents had named me {name} instead of {flow_run.name}."


@task(tags=["inner"], retries=1)
def look_around(x):
    if task_run.run_count == 1:
        raise ValueError("first try")
    return {
        "task_name": task_run.task_name, "parameters": task_run.parameters, "run_count": task_run.run_count,
        "tags": sorted(t for t in task_run.tags if not t.startswith("conformance-")),
        "name is the run's": task_run.name.startswith("look_around-"),
        "api_url": task_run.api_url is None or task_run.api_url.endswith(f"/runs/task-run/{task_run.id}"),
        "flow run, seen from the task": flow_run.flow_name,
    }


@flow
def child_flow():
    return flow_run.parent_flow_run_id, flow_run.root_flow_run_id, flow_run.parent_deployment_id


@flow(version="2024.1")
def curious_flow(x: int = 3):
    print("inside:", look_around(x))
    parent, root, parent_deployment = child_flow()
    print("the child's parent and root are this run:", parent == flow_run.id, root == flow_run.id, "| parent deployment:", parent_deployment)
    print("flow:", flow_run.flow_name, flow_run.flow_version, flow_run.parameters, flow_run.run_count,
          sorted(t for t in flow_run.tags if not t.startswith("conformance-")))
    print("this run is its own root:", flow_run.root_flow_run_id == flow_run.id, "| parent:", flow_run.parent_flow_run_id)
    print("scheduled start:", type(flow_run.scheduled_start_time).__name__, flow_run.scheduled_start_time <= datetime.now(timezone.utc))
    print("job variables:", flow_run.job_variables)
    print("api_url ends with the run's path:", flow_run.api_url.endswith(f"/flow-runs/flow-run/{flow_run.id}"))
    print("deployment:", deployment.id, deployment.name, deployment.parameters)


result = moody_workflow("Marvin")
print(result)
print("outside a run:", flow_run.name, flow_run.id, task_run.name, flow_run.parameters, flow_run.run_count, flow_run.tags)
assert flow_run.name is None
with tags("curious"):
    curious_flow()
