"""Running a deployment from Python with run_deployment, with nothing serving it.

From docs/v3/how-to-guides/deployments/run-deployments.mdx ("Run a deployment from Python":
parameters, tags, ``timeout=0`` to return at once, ``scheduled_time`` for later; "deployments
triggered via run_deployment from within another flow will be treated as a subflow of the
parent flow"). Nothing serves the deployment, so its runs stay Scheduled (scheduled two hours
ahead: none goes Late while the state history is read). Also Prefect's errors: a negative
timeout, an unknown deployment (ObjectNotFound, whose text is 'None'), and a parameter that
does not fit the flow's (the server's 409; its detail is printed).
"""

from datetime import datetime, timedelta, timezone

from prefect import flow
from prefect.deployments import run_deployment
from prefect.exceptions import ObjectNotFound, PrefectHTTPStatusError

LATER = datetime.now(timezone.utc) + timedelta(hours=2)


@flow
def my_flow(my_param: int = 0, another_param: str = "default"):
    print(my_param, another_param)


@flow
def parent():
    child = run_deployment(name="my-flow/sdk-deployment", parameters={"my_param": 7}, timeout=0, scheduled_time=LATER)
    print("child:", child.state.name, child.parameters, child.parent_task_run_id is not None)


if __name__ == "__main__":
    my_flow.to_deployment(name="sdk-deployment", parameters={"another_param": "from-deployment"}, tags=["sdk"]).apply()

    flow_run = run_deployment(
        name="my-flow/sdk-deployment",
        parameters={"my_param": 42, "another_param": "hello"},
        timeout=0,
        scheduled_time=LATER,
    )
    print(type(flow_run).__name__, flow_run.state.name, flow_run.parameters, sorted(flow_run.tags))
    flow_run = run_deployment(
        name="my-flow/sdk-deployment", tags=["production", "critical"], timeout=0, scheduled_time=LATER
    )
    print(flow_run.state.name, flow_run.parameters, sorted(flow_run.tags), flow_run.parent_task_run_id)

    parent()

    try:
        run_deployment(name="my-flow/sdk-deployment", timeout=-1)
    except ValueError as exc:
        print("ValueError:", exc)
    try:
        run_deployment(name="my-flow/no-such-deployment", timeout=0)
    except ObjectNotFound as exc:
        print("ObjectNotFound:", exc)
    try:
        run_deployment(name="my-flow/sdk-deployment", parameters={"my_param": "abc"}, timeout=0)
    except PrefectHTTPStatusError as exc:
        print("PrefectHTTPStatusError:", str(exc).split(" - Response: ")[1].split(" - For more information")[0])
