"""Reading runs back through the client: flow runs with filters and sorts, task runs, states, logs, artifacts.

From docs/v3/advanced/api-client.mdx (get_client() in both forms, hello(), read_flow_runs with
FlowRunFilter objects and plain dicts, FlowRunSort.END_TIME_DESC and a limit, set_flow_run_state
with a state copied through ``state.copy(update=...)`` and ``force=True``, delete_flow_run) and
the client's other reads a practitioner uses (count_flow_runs, read_flow_run(_states),
read_task_runs, read_task_run_states, read_logs, read_artifacts). Every read is narrowed to this
script's own runs: the real leg shares its server with the other scenarios.
"""

import asyncio
import sys
import time

from prefect import flow, get_client, get_run_logger, tags, task
from prefect.artifacts import create_markdown_artifact
from prefect.client.schemas.filters import (
    ArtifactFilter,
    ArtifactFilterKey,
    FlowRunFilter,
    FlowRunFilterId,
    FlowRunFilterState,
    FlowRunFilterStateName,
    FlowRunFilterStateType,
    FlowRunFilterTags,
    LogFilter,
    LogFilterFlowRunId,
    LogFilterLevel,
    TaskRunFilter,
    TaskRunFilterName,
)
from prefect.client.schemas.objects import StateType
from prefect.client.schemas.sorting import ArtifactSort, FlowRunSort, LogSort, TaskRunSort
from prefect.exceptions import ObjectNotFound
from prefect.states import Cancelling

sys.stdout.reconfigure(line_buffering=True)


@task
def double(x):
    get_run_logger().info("doubling %s", x)
    return x * 2


@flow
def client_reads(x: int = 1, fail: bool = False):
    get_run_logger().warning("a warning from the flow")
    create_markdown_artifact(key="client-reads-report", markdown=f"# x={x}", description="the report")
    y = double(x)
    if fail:
        raise ValueError("asked to fail")
    return y


with tags("reading"):
    first = client_reads(x=2, return_state=True)
second = client_reads(x=3, fail=True, return_state=True)
third = client_reads(x=4, return_state=True)
ids = [s.state_details.flow_run_id for s in (first, second, third)]
ours = FlowRunFilter(id=FlowRunFilterId(any_=ids))


def settled(read, expected):
    """Read again until the server has all it was sent (real Prefect writes logs a moment later)."""
    for _ in range(40):
        found = read()
        if len(found) >= expected:
            return found
        time.sleep(0.25)
    return read()


with get_client(sync_client=True) as client:
    print("hello:", client.hello().json())

    runs = client.read_flow_runs(flow_run_filter=ours, sort=FlowRunSort.START_TIME_ASC)
    print("read_flow_runs:", type(runs).__name__, "of", type(runs[0]).__name__, len(runs))
    for run in runs:
        print("  ", run.parameters, run.state_name, run.state_type, run.run_count, sorted(run.tags))
    fr = runs[0]
    print("times:", type(fr.start_time).__name__, fr.start_time <= fr.end_time, fr.total_run_time.total_seconds() > 0)
    print("state:", repr(fr.state), "| flow_id set:", fr.flow_id is not None, "| deployment_id:", fr.deployment_id)

    failed = client.read_flow_runs(
        flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=ids), state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.FAILED])))
    )
    print("failed:", [r.parameters for r in failed])
    # The guide's form: plain dicts where the filter takes a filter.
    completed = client.read_flow_runs(
        flow_run_filter=FlowRunFilter(id={"any_": ids}, state={"type": {"any_": ["COMPLETED"]}}),
        sort=FlowRunSort.END_TIME_DESC,
        limit=1,
    )
    print("last completed:", [r.parameters for r in completed])
    by_name = client.read_flow_runs(
        flow_run_filter=FlowRunFilter(id={"any_": ids}, state=FlowRunFilterState(name=FlowRunFilterStateName(not_any_=["Completed"])))
    )
    print("not named Completed:", [r.state_name for r in by_name])
    tagged = client.read_flow_runs(flow_run_filter=FlowRunFilter(id={"any_": ids}, tags=FlowRunFilterTags(all_=["reading"])))
    print("tagged:", [r.parameters for r in tagged])
    print("count:", client.count_flow_runs(flow_run_filter=ours))
    print("names descending:", [r.name for r in client.read_flow_runs(flow_run_filter=ours, sort=FlowRunSort.NAME_DESC)] == sorted((r.name for r in runs), reverse=True))

    one = client.read_flow_run(ids[1])
    print("read_flow_run:", one.state_name, repr(one.state.message))
    states = client.read_flow_run_states(ids[1])
    print("read_flow_run_states:", [(s.type.value, s.name, s.message) for s in states], type(states[0]).__name__)

    task_runs = client.read_task_runs(flow_run_filter=ours, sort=TaskRunSort.EXPECTED_START_TIME_ASC)
    print("read_task_runs:", len(task_runs), type(task_runs[0]).__name__)
    for tr in task_runs:
        print("  ", tr.name.rsplit("-", 1)[0], tr.task_key.split("-")[0], tr.state_name, repr(tr.state.message), tr.run_count, tr.task_inputs, sorted(tr.tags))
    named = client.read_task_runs(flow_run_filter=ours, task_run_filter=TaskRunFilter(name=TaskRunFilterName(like_="doub")))
    print("like 'doub':", len(named))
    print("read_task_run_states:", [(s.type.value, s.name, s.message) for s in client.read_task_run_states(task_runs[0].id)])
    print("read_task_run:", client.read_task_run(task_runs[0].id).flow_run_id == ids[0])

    by_flow_run = LogFilter(flow_run_id=LogFilterFlowRunId(any_=[ids[0]]))
    logs = settled(lambda: client.read_logs(log_filter=by_flow_run, sort=LogSort.TIMESTAMP_ASC), 5)
    print("read_logs:", len(logs), type(logs[0]).__name__)
    for line in logs:
        print("  ", line.level, line.name, repr(line.message), "| task run:", line.task_run_id is not None)
    warnings_up = client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[ids[0]]), level=LogFilterLevel(ge_=30)))
    print("level >= 30:", [line.message for line in warnings_up])
    newest = client.read_logs(log_filter=by_flow_run, sort=LogSort.TIMESTAMP_DESC, limit=2, offset=1)
    print("newest but one, two of them:", [line.message for line in newest])
    failed_logs = settled(lambda: client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[ids[1]]))), 6)
    print("an exception's line keeps its traceback:", [line.message.splitlines()[-1] for line in failed_logs if line.level == 40])

    artifacts = client.read_artifacts(
        artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["client-reads-report"]), flow_run_id={"any_": ids}),
        sort=ArtifactSort.CREATED_DESC,
        limit=2,
    )
    print("read_artifacts:", [(a.key, a.type, a.data, a.description) for a in artifacts], type(artifacts[0]).__name__)

    try:
        client.read_flow_run(task_runs[0].id)
    except ObjectNotFound as exc:
        print("a task run's id is no flow run's:", type(exc).__name__, repr(str(exc)))
    try:
        client.read_flow_runs(flow_run_filter=ours, limit=201)
    except Exception as exc:
        print("limit 201:", type(exc).__name__, "422" in str(exc), "less than or equal to 200" in str(exc))

    # Cancelling: a finished run cannot be made Cancelling; forced, it takes the state it is given.
    result = client.set_flow_run_state(ids[2], Cancelling())
    print("Cancelling a completed run:", result.status, result.details.reason, result.state.name)


async def cancel_flow_runs(flow_runs):
    async with get_client() as client:
        for flow_run in flow_runs:
            state = flow_run.state.copy(update={"name": "Cancelled", "type": StateType.CANCELLED})
            result = await client.set_flow_run_state(flow_run.id, state, force=True)
            print("forced:", result.status, result.state.name, result.state.type)


async def main():
    async with get_client() as client:
        response = await client.hello()
        print("async hello:", response.json())
        to_cancel = await client.read_flow_runs(
            flow_run_filter=FlowRunFilter(id={"any_": [ids[2]]}, state=FlowRunFilterState(name=FlowRunFilterStateName(any_=["Completed"])))
        )
    await cancel_flow_runs(to_cancel)
    async with get_client() as client:
        after = await client.read_flow_run(ids[2])
        print("now:", after.state_name, [s.name for s in await client.read_flow_run_states(ids[2])])
        await client.delete_flow_run(ids[2])
        try:
            await client.read_flow_run(ids[2])
        except ObjectNotFound:
            print("deleted: ObjectNotFound")
        print("its task runs went with it:", await client.read_task_runs(flow_run_filter=FlowRunFilter(id={"any_": [ids[2]]})))


asyncio.run(main())
