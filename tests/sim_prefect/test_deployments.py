"""Deployments, serving and run_deployment on the session's server (Prefect 3.9.1's behaviour: see
research/deployments/NOTES.md for the transcripts these texts and state sequences come from)."""

from __future__ import annotations

import datetime as dt
import io
import sys
import uuid
from contextlib import redirect_stdout
from pathlib import Path

import pytest

import sim_prefect
from sim_prefect import flow, serve
from sim_prefect.client.orchestration import get_client
from sim_prefect.deployments import run_deployment
from sim_prefect.deployments.flow_runs import create_flow_run_from_deployment
from sim_prefect.exceptions import (
    InvalidNameError,
    NotImitatedError,
    ObjectNotFound,
    PrefectHTTPStatusError,
    PrefectImportError,
)
from sim_prefect.runner.runner import Runner
from sim_prefect.schedules import Cron, Interval
from sim_prefect.server import deployments as server
from sim_prefect.store import Store

REPO = Path(__file__).resolve().parents[2]


@flow(log_prints=True)
def greet(name: str = "world") -> str:
    print(f"Hello, {name}!")
    return name


@flow(log_prints=True)
def report(x: int = 0, y: str = "a") -> int:
    from sim_prefect.runtime import deployment, flow_run

    print(f"{deployment.name} {deployment.version} {deployment.parameters} {flow_run.parameters} {flow_run.tags}")
    return x


def flow_runs() -> list[sim_prefect.RunRecord]:
    return [r for r in sim_prefect.state_log() if r.kind == "flow"]


def serve_quietly(fn: object, **kwargs: object) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        fn(**kwargs)  # type: ignore[operator]
    return out.getvalue()


# -- serving on a schedule ------------------------------------------------------------------------------


def test_a_cron_every_minute_served_for_ten_minutes_runs_ten_times_on_the_minute(sim) -> None:
    s = sim_prefect.session()
    s.serving.until = s.now() + 605  # ten minutes and a little: the tenth run, at 09:10:00, has ended
    serve_quietly(greet.serve, name="every-minute", cron="* * * * *")
    runs = flow_runs()
    assert len(runs) == 10
    for i, run in enumerate(runs, start=1):
        assert run.state_names == ["Scheduled", "Pending", "Submitting", "Running", "Completed"]
        assert run.states[0].message == "Flow run scheduled" and run.auto_scheduled
        running = run.states[3].timestamp
        assert (running.minute, running.second) == (i, 0) and running.microsecond < 10_000  # on the minute
        assert run.tags == ["auto-scheduled"]
    assert sim.messages()[-3:] == [
        "Pausing all deployments...", "All deployments have been paused!", "Received KeyboardInterrupt, shutting down...",
    ]  # fmt: skip
    deployment = server.read_by_name(s, "greet/every-minute")
    assert deployment.paused  # paused on shutdown; its runs scheduled ahead were deleted
    assert all(r.state is not None and r.state.is_final() for r in flow_runs())


def test_the_start_message_is_prefects(sim) -> None:
    sim_prefect.session().serving.stop()
    out = serve_quietly(greet.serve, name="greeter")
    assert out == (
        "Your flow 'greet' is being served and polling for scheduled runs!\n\nTo trigger a run for this flow, use the "
        "following command:\n\n        $ prefect deployment run 'greet/greeter'\n\n"
    )


def test_serve_many_prints_prefects_table(sim) -> None:
    sim_prefect.session().serving.stop()
    out = serve_quietly(lambda: serve(greet.to_deployment(name="emails"), report.to_deployment(name="every-10m")))
    assert out.splitlines()[:8] == [
        "Your deployments are being served and polling for scheduled runs!", "", "Deployments",
        "┌──────────────────┐", "│ greet/emails     │", "│ report/every-10m │", "└──────────────────┘", "",
    ]  # fmt: skip


def test_the_scheduler_creates_runs_ahead_as_prefects(sim) -> None:
    s = sim_prefect.session()
    daily = greet.to_deployment(name="daily", cron="0 0 * * *", parameters={"name": "dep"}, tags=["t"])
    daily.apply()
    ten = greet.to_deployment(name="ten", schedule=Interval(600, parameters={"name": "sched"}))
    ten.apply()
    by_deployment: dict[str, list[sim_prefect.RunRecord]] = {}
    for run in flow_runs():
        by_deployment.setdefault(s.store.deployments[run.deployment_id or ""].name, []).append(run)
    assert len(by_deployment["daily"]) == 3  # at least three ...
    assert len(by_deployment["ten"]) == 7  # ... and at least an hour ahead
    assert by_deployment["daily"][0].tags == ["auto-scheduled", "t"]
    assert by_deployment["daily"][0].parameters == {"name": "dep"}
    assert by_deployment["ten"][0].parameters == {"name": "sched"}  # the schedule's over the deployment's
    server.catch_up(s)
    assert len(flow_runs()) == 10  # the same runs again: idempotent


def test_on_a_clock_that_has_not_ticked_since_the_schedule_was_made_three_runs_still_lie_ahead(monkeypatch) -> None:
    """An Interval's anchor is when it was made; on the browser's coarse clock the scheduler can look at that
    same instant. The runs it makes lie after now, and there are still at least three of them."""
    import sim_prefect.clock as clock_module

    monkeypatch.setattr(clock_module, "_real_time", lambda: 1_000_000.0)  # a clock that never ticks
    s = sim_prefect.configure("fast", terminal=False)
    greet.to_deployment(name="hourly", interval=3600).apply()
    starts = [r.expected_start_time.timestamp() - s.now() for r in flow_runs()]
    assert starts == [3600.0, 7200.0, 10800.0], starts


def test_to_deployment_refuses_as_prefect(sim) -> None:
    with pytest.raises(InvalidNameError, match=r"Name 'a/b' contains an invalid character"):
        greet.to_deployment(name="a/b")
    with pytest.raises(ValueError, match="Only one of interval, cron, rrule, schedule, or schedules can be provided."):
        greet.to_deployment(name="d", cron="0 0 * * *", interval=60)
    deployment = greet.to_deployment(name="d", paused=True, cron=["0 0 * * *", "0 12 * * *"])
    assert deployment.paused and len(deployment.schedules) == 2
    assert deployment.entrypoint == f"{Path(__file__).resolve().relative_to(Path.cwd().resolve())}:greet"
    with pytest.raises(NotImitatedError, match="work pools and workers"):
        greet.deploy(name="d", work_pool_name="pool")
    with pytest.raises(NotImitatedError, match="deployment concurrency limits"):
        greet.to_deployment(name="d", concurrency_limit=2)


def test_prefect_2s_deployment_class_is_gone(sim) -> None:
    import sim_prefect.deployments as deployments

    with pytest.raises(PrefectImportError, match="`prefect.deployments:Deployment` has been removed"):
        deployments.Deployment  # noqa: B018


# -- runs on request ---------------------------------------------------------------------------------------


def test_run_deployment_with_timeout_0_returns_the_scheduled_run(sim) -> None:
    report.to_deployment(name="report-dep", tags=["rt"], parameters={"y": "dep-default"}).apply()
    run = run_deployment("report/report-dep", parameters={"x": 1}, timeout=0, tags=["extra"])
    assert type(run).__name__ == "FlowRun" and isinstance(run.id, uuid.UUID)
    assert run.state.name == "Scheduled" and run.parameters == {"y": "dep-default", "x": 1}
    assert run.tags == ["extra", "rt"] and sim.messages() == []  # it logs nothing
    with pytest.raises(ValueError, match="`timeout` cannot be negative"):
        run_deployment("report/report-dep", timeout=-1)
    with pytest.raises(ObjectNotFound) as missing:
        run_deployment("report/nope", timeout=0)
    assert str(missing.value) == "None"


def test_the_server_checks_parameters_against_the_flows(sim) -> None:
    report.to_deployment(name="r").apply()
    with pytest.raises(PrefectHTTPStatusError, match="Error creating flow run: Validation failed for field 'x'. "
                       "Failure reason: 'abc' is not of type 'integer'"):  # fmt: skip
        run_deployment("report/r", parameters={"x": "abc"}, timeout=0)
    with pytest.raises(ValueError, match="The following parameters were specified but not found on the deployment: 'zzz'"):
        create_flow_run_from_deployment("report/r", {"zzz": 1}, check_parameter_names=True)


def test_a_run_nobody_serves_goes_late(sim) -> None:
    s = sim_prefect.session()
    greet.to_deployment(name="g").apply()
    run_deployment("greet/g", timeout=0)
    s.scheduler.sleep(20)
    server.catch_up(s)
    (run,) = flow_runs()
    assert run.state_names == ["Scheduled", "Late"]
    assert run.states[1].timestamp - run.states[0].timestamp == dt.timedelta(seconds=15)


def test_run_deployment_in_a_served_flow_is_its_subflow(sim) -> None:
    @flow
    def parent() -> str:
        child = run_deployment("report/report-dep", parameters={"x": 1}, poll_interval=1)
        return child.state.name

    s = sim_prefect.session()
    s.serving.stop_after_runs = 2
    parent.to_deployment(name="p").apply()
    run_deployment("parent/p", timeout=0)
    serve_quietly(lambda: serve(report.to_deployment(name="report-dep", version="v1", tags=["rt"]),
                                parent.to_deployment(name="p")))  # fmt: skip
    child = next(r for r in flow_runs() if r.owner == "report")
    tracker = next(r for r in sim_prefect.state_log() if r.kind == "task")
    assert "Beginning subflow run" in " ".join(sim.messages())
    assert tracker.state_names == ["Pending", "Scheduled", "Pending", "Submitting", "Running", "Completed"]
    assert child.parent_task_run_id == tracker.run_id and tracker.owner == "report/report-dep"
    assert "report-dep v1 {'x': 1} {'x': 1, 'y': 'a'} ['rt']" in sim.messages()
    assert next(r for r in flow_runs() if r.owner == "parent").state is not None


def test_an_unknown_parameter_crashes_the_served_run_with_prefects_lines(sim) -> None:
    s = sim_prefect.session()
    s.serving.stop_after_runs = 1
    deployment = report.to_deployment(name="r")
    deployment.apply()
    run_deployment("report/r", parameters={"zzz": 1}, timeout=0)
    serve_quietly(lambda: serve(deployment))
    (run,) = flow_runs()
    message = "Process exited with status code: 1. Process exited with a general error."
    assert run.state_names[-1] == "Crashed" and run.state is not None and run.state.message == message
    assert f"Execution of flow run '{run.run_id}' exited with unexpected exception" in sim.messages()
    assert sim.messages()[1:4] == [message, "Check the flow run logs for an unhandled exception or assertion error.",
                                   f"Reported flow run '{run.run_id}' as crashed: {message}"]  # fmt: skip


def test_a_stop_from_inside_stops_serving_as_ctrl_c(sim) -> None:
    @flow
    def stopper() -> None:
        sim_prefect.session().serving.stop()

    deployment = stopper.to_deployment(name="s")
    deployment.apply()
    run_deployment("stopper/s", timeout=0)
    serve_quietly(lambda: serve(deployment))
    assert flow_runs()[0].state_names[-1] == "Completed"
    assert sim.messages()[-1] == "Received KeyboardInterrupt, shutting down..."


def test_a_speed_paces_the_clock_in_real_time(sim) -> None:
    s = sim_prefect.session()
    waited: list[float] = []
    s.serving.speed = 60
    s.serving.real_wait = waited.append
    s.serving.until = s.now() + 120
    serve_quietly(greet.serve, name="paced", interval=60)
    assert 1.9 < sum(waited) <= 2.0  # two minutes of session time took two seconds
    assert s.clock.pace is None  # (type: ignore) only while serving


def test_the_runner_refuses_what_it_does_not_imitate(sim) -> None:
    with pytest.raises(ValueError, match="Runner name cannot contain '/' or '%'"):
        Runner(name="a/b")
    with pytest.raises(NotImitatedError, match="webserver"):
        Runner(webserver=True)


def test_the_client_reads_and_pauses_deployments(sim) -> None:
    greet.to_deployment(name="g", cron="0 0 * * *").apply()
    with get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name("greet/g")
        assert deployment.name == "g" and not deployment.paused
        client.pause_deployment(deployment.id)
        assert client.read_deployment(deployment.id).paused and flow_runs() == []
        run = client.create_flow_run_from_deployment(deployment.id, parameters={"name": "c"})
        assert run.state.name == "Scheduled" and run.parameters == {"name": "c"}


def test_deployments_and_pauses_survive_the_stores_json(sim) -> None:
    greet.to_deployment(name="g", cron="0 0 * * *").apply()
    s = sim_prefect.session()
    again = Store.from_dict(s.store.to_dict())
    assert [d.name for d in again.deployments.values()] == ["g"]
    assert [r.auto_scheduled for r in again.runs] == [True, True, True]


def test_prefect_modules_are_served(sim) -> None:
    import subprocess

    script = (
        "import sim_prefect; sim_prefect.install_as_prefect()\n"
        "from prefect import serve, aserve, deploy, pause_flow_run, resume_flow_run, suspend_flow_run\n"
        "from prefect.schedules import Cron\nfrom prefect.deployments import run_deployment\n"
        "from prefect.flow_runs import pause_flow_run\nfrom prefect.input import RunInput\n"
        "from prefect.runner import Runner\nfrom prefect.client.schemas.schedules import CronSchedule\n"
        "print(serve.__module__, Cron.__module__, Runner.__module__, CronSchedule.__module__)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["prefect.flows", "prefect.schedules", "prefect.runner.runner", "prefect.client.schemas.schedules"]
