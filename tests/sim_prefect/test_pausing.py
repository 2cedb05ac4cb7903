"""Pausing a flow run for a person: pause_flow_run, suspend_flow_run, resume_flow_run and RunInput, with
Prefect 3.9.1's texts and state sequences (research/deployments/transcripts/pause_*.out, resume_other.out)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import sim_prefect
from sim_prefect import flow, serve, task
from sim_prefect.deployments import run_deployment
from sim_prefect.exceptions import FlowPauseTimeout, NotPausedError
from sim_prefect.flow_runs import pause_flow_run, resume_flow_run, suspend_flow_run
from sim_prefect.input import RunInput, read_flow_run_input
from sim_prefect.runtime import flow_run
from sim_prefect.server.flow_runs import pending_input, resume_with

REPO = Path(__file__).resolve().parents[2]


class UserInput(RunInput):
    name: str
    age: int


def only_flow_run() -> sim_prefect.RunRecord:
    (run,) = [r for r in sim_prefect.state_log() if r.kind == "flow"]
    return run


def test_a_submitted_task_resumes_the_paused_flow_with_input(sim) -> None:
    answers: list[str] = []

    @task
    def approver(run_id: str) -> None:
        time.sleep(3)
        for attempt in [None, {"name": "Ann", "age": "old"}, {"name": "Ann", "age": 41, "extra": 1},
                        {"name": "Ann", "age": 41}]:  # fmt: skip
            try:
                resume_flow_run(run_id, run_input=attempt)
                answers.append("resumed")
            except RuntimeError as exc:
                answers.append(str(exc))

    @flow
    def greet_user() -> str:
        approver.submit(flow_run.id)
        wanted = UserInput.with_initial_data(description="**Who are you?**", name="anonymous")
        user = pause_flow_run(wait_for_input=wanted, timeout=60, poll_interval=2)
        return f"{user.name} {user.age} {type(user).__name__}"

    assert greet_user() == "Ann 41 UserInput"
    assert answers == [
        "Cannot resume this run: Reason: Validation failed. Failure reason: 'age' is a required property",
        "Cannot resume this run: Reason: Validation failed for field 'age'. Failure reason: 'old' is not of type 'integer'",
        "Cannot resume this run: Reason: Validation failed. Failure reason: Additional properties are not allowed "
        "('extra' was unexpected)",
        "resumed",
    ]
    run = only_flow_run()
    assert run.state_names == ["Pending", "Running", "Paused", "Running", "Completed"]
    assert run.run_count == 2  # Prefect's server counts the resume after the first pause
    pausing, resuming = (m for m in sim.messages() if "Paus" in m or "Resum" in m)
    assert pausing == "Pausing flow, execution will continue when this flow run is resumed."
    assert resuming == "Resuming flow run execution!"
    # The poll found the resume at its next look: 2 s, then every 2 s (the task resumed it at 3 s).
    resumed_at = next(e.timestamp for e in sim.logs if e.message == resuming)
    paused_at = next(e.timestamp for e in sim.logs if e.message == pausing)
    assert round(resumed_at - paused_at) == 4
    schema = read_flow_run_input("paused-1-schema", flow_run_id=run.run_id)
    assert schema == {
        "additionalProperties": False, "properties": {"name": {"default": "anonymous", "title": "Name", "type": "string"},
        "age": {"title": "Age", "type": "integer"}}, "required": ["age"], "title": "UserInput", "type": "object",
    }  # fmt: skip
    assert read_flow_run_input("paused-1-description", flow_run_id=run.run_id) == "**Who are you?**"


def test_a_built_in_type_gives_the_bare_value(sim) -> None:
    @task
    def answer(run_id: str) -> None:
        time.sleep(1)
        resume_flow_run(run_id, run_input={"value": 7})

    @flow
    def wants_int() -> Any:
        answer.submit(flow_run.id)
        return pause_flow_run(wait_for_input=int, timeout=30, poll_interval=1)

    assert wants_int() == 7
    schema = read_flow_run_input("paused-1-schema", flow_run_id=only_flow_run().run_id)
    assert schema["title"] == "intAutomaticRunInput" and schema["required"] == ["value"]


def test_a_pause_nobody_resumes_times_out_as_prefects(sim) -> None:
    @flow
    def caught() -> str:
        try:
            pause_flow_run(timeout=4)
        except FlowPauseTimeout as exc:
            return str(exc)
        return "resumed"

    @flow
    def unhandled() -> None:
        pause_flow_run(timeout=4, poll_interval=1)

    assert caught() == "Flow run was paused and never resumed."
    state = unhandled(return_state=True)
    assert repr(state) == "Failed(message='The flow was failed and never resumed.', type=FAILED, result=None)"
    first, second = [r for r in sim_prefect.state_log() if r.kind == "flow"]
    # Prefect's server failed the first (its pause-expiration service) before the flow went on to complete.
    assert first.state_names == ["Pending", "Running", "Paused", "Failed", "Completed"]
    assert first.states[3].message == "The flow was paused and never resumed."
    assert second.state_names == ["Pending", "Running", "Paused", "Failed"]


def test_pause_and_resume_refuse_as_prefects(sim) -> None:
    with pytest.raises(RuntimeError, match="Flow runs can only be paused from within a flow run."):
        pause_flow_run()
    with pytest.raises(ValueError, match="'timeout' must be a non-negative number, got -1"):
        pause_flow_run(timeout=-1)
    with pytest.raises(RuntimeError, match="Flow runs can only be suspended from within a flow run."):
        suspend_flow_run()

    @flow
    def quick() -> None:
        pass

    quick()
    with pytest.raises(NotPausedError, match="Cannot resume a run that isn't paused!"):
        resume_flow_run(only_flow_run().run_id)


def test_a_resume_after_the_timeout_is_too_late(sim) -> None:
    outcome: list[str] = []

    @task
    def late(run_id: str) -> None:
        time.sleep(6)
        try:
            resume_flow_run(run_id)
        except FlowPauseTimeout as exc:
            outcome.append(str(exc))

    @flow
    def paused() -> None:
        late.submit(flow_run.id)
        pause_flow_run(timeout=5, poll_interval=10)

    paused(return_state=True)
    assert outcome == ["Flow run can no longer be resumed."]
    run = only_flow_run()
    assert run.states[3].message == "The flow was running and never resumed."


def test_suspend_needs_a_deployment(sim) -> None:
    @flow
    def suspends() -> None:
        suspend_flow_run()

    state = suspends(return_state=True)
    assert state.message == (
        "Flow run encountered an exception: RuntimeError: Flow run cannot be suspended: Cannot suspend flows "
        "without a deployment."
    )


def test_a_suspended_deployment_run_starts_again_when_resumed(sim) -> None:
    @flow
    def approval() -> int:
        return suspend_flow_run(wait_for_input=int, timeout=600)  # type: ignore[no-any-return]

    @task
    def approver(run_id: str) -> None:
        time.sleep(30)
        resume_flow_run(run_id, run_input={"value": 5})

    @flow
    def resumer() -> None:
        record = next(r for r in sim_prefect.state_log() if r.owner == "approval")
        approver.submit(record.run_id)

    s = sim_prefect.session()
    s.serving.stop_after_runs = 3
    deployment = approval.to_deployment(name="approve")
    deployment.apply()
    run_deployment("approval/approve", timeout=0)
    helper = resumer.to_deployment(name="resume")
    helper.apply()
    run_deployment("resumer/resume", timeout=0, scheduled_time=None)
    serve(deployment, helper)
    run = next(r for r in sim_prefect.state_log() if r.owner == "approval")
    assert run.state_names == ["Scheduled", "Pending", "Submitting", "Running", "Suspended", "Resuming", "Pending",
                               "Submitting", "Running", "Completed"]  # fmt: skip
    assert "Finished in state Suspended(type=PAUSED)" in sim.messages()
    assert f"Execution of flow run '{run.run_id}' is paused." in sim.messages()
    assert run.state is not None and run.state.data == 5


def test_the_page_reads_a_paused_runs_form_and_resumes_it(sim) -> None:
    seen: list[Any] = []

    @task
    def the_page(run_id: str) -> None:
        time.sleep(1)
        form = pending_input(sim_prefect.session(), run_id)
        seen.append(form)
        seen.append(resume_with(sim_prefect.session(), run_id, {"name": "Bo", "age": "x"}))
        seen.append(resume_with(sim_prefect.session(), run_id, {"name": "Bo", "age": 3}))

    @flow
    def form() -> str:
        the_page.submit(flow_run.id)
        return pause_flow_run(wait_for_input=UserInput.with_initial_data(description="Who?", name="anonymous"),
                              timeout=30, poll_interval=1).name  # fmt: skip

    assert form() == "Bo"
    page_form, refused, accepted = seen
    assert page_form["description"] == "Who?" and page_form["state"] == "Paused"
    assert page_form["fields"] == [
        {"name": "name", "type": "string", "title": "Name", "default": "anonymous", "required": False,
         "description": None, "enum": None},
        {"name": "age", "type": "integer", "title": "Age", "default": None, "required": True, "description": None,
         "enum": None},
    ]  # fmt: skip
    assert refused == ["Reason: Validation failed for field 'age'. Failure reason: 'x' is not of type 'integer'"]
    assert accepted == []


def test_run_input_without_pydantic_is_a_sim_prefect_model() -> None:
    script = (
        "import sys; sys.modules['pydantic'] = None\n"
        "import sim_prefect\nfrom sim_prefect.input import RunInput\n"
        "class UserInput(RunInput):\n    name: str\n    age: int\n"
        "made = UserInput.with_initial_data(name='anonymous')\n"
        "print(made.json_schema())\nprint(made(age='41'))\n"
        "try:\n    made(age=1, extra=2)\nexcept ValueError as e:\n    print(str(e).splitlines()[0])\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True)
    lines = out.stdout.splitlines()
    assert lines[0] == (
        "{'additionalProperties': False, 'properties': {'name': {'default': 'anonymous', 'title': 'Name', 'type': "
        "'string'}, 'age': {'title': 'Age', 'type': 'integer'}}, 'required': ['age'], 'title': 'UserInput', "
        "'type': 'object'}"
    )
    assert lines[1] == "name='anonymous' age=41"  # str() as pydantic's: the fields
    assert lines[2] == "1 validation error for UserInput"
