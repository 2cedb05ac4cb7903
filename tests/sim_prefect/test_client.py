"""The client's reads (client/orchestration) over the store, with Prefect's filters, sorts, defaults and errors."""

from __future__ import annotations

import asyncio
import datetime
import uuid

import pytest

import sim_prefect
from sim_prefect import flow, get_run_logger, tags, task
from sim_prefect.artifacts import create_markdown_artifact, create_progress_artifact, update_progress_artifact
from sim_prefect.client.orchestration import PrefectClient, SyncPrefectClient, get_client
from sim_prefect.client.schemas import filters as f
from sim_prefect.client.schemas.objects import FlowRun, TaskRun, TaskRunResult
from sim_prefect.client.schemas.responses import SetStateStatus
from sim_prefect.client.schemas.sorting import ArtifactSort, FlowRunSort, LogSort, TaskRunSort
from sim_prefect.exceptions import MissingResult, NotImitatedError, ObjectNotFound, PrefectHTTPStatusError
from sim_prefect.models import ValidationError
from sim_prefect.states import Cancelled, Cancelling, Scheduled, StateType
from sim_prefect.store import RunRecord


@task
def double(x):
    get_run_logger().info("doubling %s", x)
    return x * 2


@flow
def numbers(x: int = 1, fail: bool = False):
    get_run_logger().warning("careful")
    y = double(x)
    if fail:
        raise ValueError("asked to fail")
    return y


def client() -> SyncPrefectClient:
    return get_client(sync_client=True)


def run_ids(*states):
    return [s.state_details.flow_run_id for s in states]


# -- filters ------------------------------------------------------------------------------------


def test_a_dict_is_taken_where_prefect_takes_a_filter() -> None:
    ids = [uuid.UUID(int=1)]
    assert f.FlowRunFilter(id={"any_": [str(ids[0])]}) == f.FlowRunFilter(id=f.FlowRunFilterId(any_=ids))
    nested = f.FlowRunFilter(state={"type": {"any_": ["COMPLETED"]}})
    assert nested.state.type.any_ == [StateType.COMPLETED]


def test_filters_print_as_prefects() -> None:
    assert repr(f.FlowRunFilterTags(all_=["a"])) == "FlowRunFilterTags(operator=Operator.and_, all_=['a'], any_=None, is_null_=None)"
    assert repr(f.TaskRunFilterFlowRunId()) == "TaskRunFilterFlowRunId(any_=None, is_null_=False)"
    assert repr(f.LogFilter(level=f.LogFilterLevel(ge_=30))) == (
        "LogFilter(operator=Operator.and_, level=LogFilterLevel(ge_=30, le_=None), timestamp=None, "
        "flow_run_id=None, task_run_id=None, text=None)"
    )


def test_a_flow_run_filter_refuses_fields_it_has_not_and_a_log_filter_ignores_them() -> None:
    with pytest.raises(ValidationError) as info:
        f.FlowRunFilter(nope=1)
    assert str(info.value).splitlines()[:3] == [
        "1 validation error for FlowRunFilter", "nope",
        "  Extra inputs are not permitted [type=extra_forbidden, input_value=1, input_type=int]",
    ]  # fmt: skip
    assert f.LogFilter(name="x") == f.LogFilter()  # Prefect's LogFilter has no `name`, and ignores it


def test_wrong_values_fail_as_pydantic_says() -> None:
    with pytest.raises(ValidationError, match=r"any_\.0\n  Input should be 'SCHEDULED', 'PENDING'"):
        f.FlowRunFilterStateType(any_=["NOPE"])
    with pytest.raises(ValidationError, match="Input should be a valid list"):
        f.FlowRunFilterId(any_="abc")
    with pytest.raises(ValidationError, match="Input should be a valid UUID"):
        f.FlowRunFilterId(any_=["not-a-uuid"])
    with pytest.raises(ValidationError, match="valid dictionary or instance of FlowRunFilterId"):
        f.FlowRunFilter(id=5)


def test_operators_decide_as_the_servers_sql() -> None:
    class Row:
        tags = ["a", "b"]
        name = "Sad-Marvin"
        deployment_id = None
        start_time = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)

    row = Row()
    assert f.FlowRunFilterTags(any_=["b", "z"]).includes(row)
    assert not f.FlowRunFilterTags(all_=["a", "z"]).includes(row)
    assert f.FlowRunFilterTags(is_null_=False).includes(row)
    assert f.FlowRunFilterName(like_="marvin").includes(row)
    assert not f.FlowRunFilterIdempotencyKey(not_any_=["k"]).includes(row)  # a missing value is in no list
    assert f.FlowRunFilterDeploymentId(is_null_=True).includes(row)
    assert f.FlowRunFilterStartTime(before_="2026-01-02T00:00:00Z", after_="2025-12-31").includes(row)
    assert not f.FlowRunFilterStartTime(after_="2026-01-02T00:00:00Z").includes(row)
    either = f.FlowRunFilter(operator="or_", name={"any_": ["nope"]}, tags={"all_": ["a"]})
    both = f.FlowRunFilter(name={"any_": ["nope"]}, tags={"all_": ["a"]})
    assert either.includes(row) and not both.includes(row)


def test_log_text_search_takes_prefects_query_syntax() -> None:
    assert f.text_matches("connection timeout on db", '"connection timeout"')
    assert not f.text_matches("an error, debug only", "error -debug")
    assert f.text_matches("an error", "error -debug")
    assert not f.text_matches("an error", "+error +fatal")


# -- flow runs ----------------------------------------------------------------------------------


def test_read_flow_runs_selects_and_sorts_as_the_server(sim) -> None:
    with tags("demo"):
        a = numbers(x=2, return_state=True)
    b = numbers(x=3, fail=True, return_state=True)
    with client() as c:
        runs = c.read_flow_runs()
        assert [r.parameters["x"] for r in runs] == [3, 2]  # ID_DESC: ids are UUIDv7, newest first
        assert [r.parameters["x"] for r in c.read_flow_runs(sort=FlowRunSort.START_TIME_ASC)] == [2, 3]
        failed = f.FlowRunFilter(state=f.FlowRunFilterState(type=f.FlowRunFilterStateType(any_=[StateType.FAILED])))
        assert [r.id for r in c.read_flow_runs(flow_run_filter=failed)] == run_ids(b)
        assert [r.id for r in c.read_flow_runs(flow_run_filter=f.FlowRunFilter(tags={"all_": ["demo"]}))] == run_ids(a)
        assert c.count_flow_runs(flow_filter=f.FlowFilter(name={"any_": ["numbers"]})) == 2
        assert c.count_flow_runs(flow_filter=f.FlowFilter(name={"any_": ["other"]})) == 0
        assert c.read_flow_runs(sort=FlowRunSort.START_TIME_ASC, limit=1, offset=1)[0].parameters["x"] == 3
        named = c.read_flow_runs(task_run_filter=f.TaskRunFilter(name={"like_": "doub"}))
        assert len(named) == 2
        assert c.read_flow_runs(deployment_filter=f.DeploymentFilter()) == []  # a filter on deployments wants one


def test_a_flow_run_reads_back_with_prefects_fields(sim) -> None:
    state = numbers(x=2, return_state=True)
    with client() as c:
        run = c.read_flow_run(state.state_details.flow_run_id)
    assert isinstance(run, FlowRun) and type(run).__module__ == "prefect.client.schemas.objects"
    assert list(type(run).model_fields)[:6] == ["id", "created", "updated", "name", "flow_id", "state_id"]
    assert run.state_name == "Completed" and run.state_type is StateType.COMPLETED and run.run_count == 1
    assert run.parameters == {"x": 2, "fail": False} and run.deployment_id is None
    assert run.labels == {"prefect.flow.id": str(run.flow_id)}
    assert run.state_id == state.id
    assert run.total_run_time > datetime.timedelta(0) and run.start_time < run.end_time
    assert repr(run.start_time).startswith("DateTime(2026, 1, 1, 9, 0, 0, ") and repr(run).startswith("FlowRun(id=UUID(")
    with pytest.raises(MissingResult, match="State data is missing"):
        run.state.result()  # the API gives a state back without its result


def test_a_missing_id_raises_object_not_found_and_a_bad_one_the_servers_422(sim) -> None:
    with client() as c:
        with pytest.raises(ObjectNotFound) as info:
            c.read_flow_run(uuid.UUID(int=7))
        assert str(info.value) == "None"
        assert "404 Not Found" in str(info.value.http_exc) and "Flow run not found" in str(info.value.http_exc)
        with pytest.raises(PrefectHTTPStatusError, match="422 Unprocessable Entity"):
            c.read_flow_run("not-a-uuid")
        assert c.read_flow_run_states(uuid.UUID(int=7)) == []
        with pytest.raises(ObjectNotFound):
            c.read_task_run(uuid.UUID(int=7))


def test_a_limit_above_the_servers_is_refused(sim) -> None:
    with client() as c:
        with pytest.raises(PrefectHTTPStatusError) as info:
            c.read_flow_runs(limit=201)
    assert "'422 Unprocessable Entity' for url 'http://127.0.0.1:4200/api/flow_runs/filter'" in str(info.value)
    assert "{'detail': 'Invalid limit: must be less than or equal to 200.'}" in str(info.value)


def test_work_pool_filters_fail_loudly(sim) -> None:
    with client() as c, pytest.raises(NotImitatedError, match="work pools and work queues"):
        c.read_flow_runs(work_pool_filter=object())


def test_filters_must_be_filter_models_as_prefects_client_dumps_them(sim) -> None:
    with client() as c, pytest.raises(AttributeError, match="model_dump"):
        c.read_flow_runs(flow_run_filter={"id": {"any_": []}})


# -- states -------------------------------------------------------------------------------------


def test_states_read_back_as_the_api_gives_them(sim) -> None:
    state = numbers(x=2, fail=True, return_state=True)
    with client() as c:
        flow_states = c.read_flow_run_states(state.state_details.flow_run_id)
        task_run = c.read_task_runs()[0]
        task_states = c.read_task_run_states(task_run.id)
    assert [(s.name, s.message) for s in flow_states][:2] == [("Pending", None), ("Running", None)]
    assert [(s.name, s.message) for s in task_states] == [("Pending", ""), ("Running", ""), ("Completed", "")]
    assert type(flow_states[0]).__name__ == "State" and type(flow_states[0]).__module__ == "prefect.client.schemas.objects"
    with pytest.raises(ValueError, match="asked to fail"):  # a failure's exception is kept, as Prefect persists it
        flow_states[-1].result()


def test_set_flow_run_state_follows_the_servers_rules(sim) -> None:
    done = numbers(return_state=True).state_details.flow_run_id
    scheduled = sim_prefect.session().store.add_run(RunRecord("019b78c9-0000-7000-8000-000000000001", "flow", "later", "numbers", None))
    sim_prefect.session().store.get(scheduled.run_id).states.append(Scheduled())
    with client() as c:
        aborted = c.set_flow_run_state(done, Cancelling())
        assert (aborted.status, aborted.details.reason, aborted.state.name) == (
            SetStateStatus.ABORT, "Run is already in terminal state COMPLETED.", "Completed"
        )
        rejected = c.set_flow_run_state(scheduled.run_id, Cancelling())
        assert (rejected.status, rejected.details.reason, rejected.state.name) == (
            SetStateStatus.REJECT, "Scheduled flow run has no infrastructure to terminate.", "Cancelled"
        )
        forced = c.set_flow_run_state(done, Cancelled(), force=True)
        assert forced.status is SetStateStatus.ACCEPT and c.read_flow_run(done).state_name == "Cancelled"
        assert str(forced) == "state=Cancelled(message=None, type=CANCELLED, result=None) status=SetStateStatus.ACCEPT details=StateAcceptDetails(type='accept_details')"


def test_a_running_flow_runs_state_cannot_be_set_from_outside_its_engine(sim) -> None:
    @flow
    def cancels_itself():
        from sim_prefect.runtime import flow_run

        with get_client(sync_client=True) as c:
            c.set_flow_run_state(flow_run.id, Cancelled())

    with pytest.raises(NotImitatedError, match="changing the state of a flow run while it runs"):
        cancels_itself()


def test_deleting_a_flow_run_deletes_its_task_runs(sim) -> None:
    state = numbers(return_state=True)
    with client() as c:
        c.delete_flow_run(state.state_details.flow_run_id)
        assert c.read_task_runs() == [] and c.read_flow_runs() == []
        with pytest.raises(ObjectNotFound):
            c.delete_flow_run(state.state_details.flow_run_id)


# -- task runs ----------------------------------------------------------------------------------


def test_task_runs_carry_their_inputs_origins_and_their_flows_attempt(sim) -> None:
    @task
    def one():
        return 1

    @flow(retries=1)
    def chained():
        if sim_prefect.runtime.flow_run.run_count == 1:
            raise ValueError("again")
        double(one.submit())

    chained()
    with client() as c:
        runs = c.read_task_runs(sort=TaskRunSort.EXPECTED_START_TIME_ASC)
    first, second = runs
    assert isinstance(first, TaskRun) and first.task_key.startswith("one-") and first.flow_run_run_count == 2
    assert second.task_inputs == {"x": [TaskRunResult(input_type="task_run", id=first.id)]}
    assert repr(second.task_inputs["x"][0]) == f"TaskRunResult(input_type='task_run', id={first.id!r})"


def test_a_subflows_task_run_is_found_by_subflow_runs_and_its_child_by_parent_flow_run_id(sim) -> None:
    @flow
    def child():
        return 1

    @flow
    def parent():
        double(1)
        return child()

    state = parent(return_state=True)
    with client() as c:
        trackers = c.read_task_runs(task_run_filter=f.TaskRunFilter(subflow_runs={"exists_": True}))
        plain = c.read_task_runs(task_run_filter=f.TaskRunFilter(subflow_runs={"exists_": False}))
        children = c.read_flow_runs(flow_run_filter=f.FlowRunFilter(parent_flow_run_id={"any_": run_ids(state)}))
    assert [t.name for t in trackers] == ["child-0"] and trackers[0].state.message is None  # set through the API
    assert [t.name.split("-")[0] for t in plain] == ["double"]
    assert [r.parent_task_run_id for r in children] == [trackers[0].id]


def test_task_runs_outside_a_flow_are_left_out_by_a_flow_run_id_filter(sim) -> None:
    double(1)
    with client() as c:
        assert len(c.read_task_runs()) == 1
        assert c.read_task_runs(task_run_filter=f.TaskRunFilter(flow_run_id=f.TaskRunFilterFlowRunId())) == []
        assert len(c.read_task_runs(task_run_filter=f.TaskRunFilter(flow_run_id={"is_null_": True}))) == 1


# -- logs, artifacts, flows -----------------------------------------------------------------------


def test_read_logs_gives_the_run_loggers_lines_within_flow_runs(sim) -> None:
    double(5)  # outside any flow: Prefect's API handler does not send it
    state = numbers(x=2, fail=True, return_state=True)
    with client() as c:
        logs = c.read_logs()
        warning_up = c.read_logs(log_filter=f.LogFilter(level=f.LogFilterLevel(ge_=30)))
        searched = c.read_logs(log_filter=f.LogFilter(text=f.LogFilterTextSearch(query="doubling -5")))
        newest = c.read_logs(sort=LogSort.TIMESTAMP_DESC, limit=1)
    assert [line.message.splitlines()[0] for line in logs] == [
        "Beginning flow run 'persimmon-badger' for flow 'numbers'", "careful", "doubling 2", "Finished in state Completed()",
        "Encountered exception during execution: ValueError('asked to fail')",
        "Finished in state Failed('Flow run encountered an exception: ValueError: asked to fail')",
    ]  # fmt: skip
    assert {line.flow_run_id for line in logs} == set(run_ids(state))
    assert logs[4].message.endswith("ValueError: asked to fail") and "Traceback" in logs[4].message
    assert [line.level for line in warning_up] == [30, 40]
    assert [line.message for line in searched] == ["doubling 2"]
    assert newest[0].message.startswith("Finished in state Failed")


def test_read_artifacts_gives_a_progress_artifacts_latest_value(sim) -> None:
    @flow
    def reports():
        create_markdown_artifact("# hi", key="report", description="a report")
        progress = create_progress_artifact(10.0, key="progress")
        update_progress_artifact(progress, 55.0)
        create_markdown_artifact("keyless")

    reports()
    with client() as c:
        artifacts = c.read_artifacts(sort=ArtifactSort.KEY_ASC)
        keyed = c.read_artifacts(artifact_filter=f.ArtifactFilter(key={"exists_": True}), sort=ArtifactSort.KEY_ASC)
        progress = c.read_artifacts(artifact_filter=f.ArtifactFilter(type={"any_": ["progress"]}))
    assert [a.key for a in artifacts] == [None, "progress", "report"]  # no key sorts first, as the server's
    assert [a.key for a in keyed] == ["progress", "report"]
    assert progress[0].data == 55 and type(progress[0].data) is int  # the server's JSON column gives 55.0 back as 55


def test_flows_are_known_from_their_first_run(sim) -> None:
    numbers()
    with client() as c:
        assert [flow_.name for flow_ in c.read_flows()] == ["numbers"]
        assert c.read_flow_by_name("numbers").id == c.read_flow_runs()[0].flow_id
        with pytest.raises(PrefectHTTPStatusError, match="Flow not found"):
            c.read_flow_by_name("nope")


def test_the_async_client_offers_every_read_as_a_coroutine(sim) -> None:
    numbers()

    async def read():
        async with get_client() as c:
            assert isinstance(c, PrefectClient)
            hello = await c.hello()
            return hello.json(), await c.read_flow_runs(), await c.count_flow_runs()

    wave, runs, count = asyncio.run(read())
    assert wave == "\N{WAVING HAND SIGN}" and len(runs) == count == 1
