"""The state log: every run's history, as a list, a printed table, and JSON events."""

from __future__ import annotations

import json
import re

import sim_prefect
from sim_prefect import flow, task
from sim_prefect.run_events import LogEmitted, RunCreated, StateChanged


def _pipeline() -> None:
    calls = {"n": 0}

    @task(retries=2, retry_delay_seconds=1)
    def fetch() -> list[int]:
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionError("down")
        return [1, 2, 3]

    @task
    def total(values: list[int]) -> int:
        return sum(values)

    @flow(name="example-pipeline")
    def pipeline() -> int:
        return total(fetch())

    assert pipeline() == 6


def test_state_log_lists_every_run_in_creation_order_with_all_its_states(sim) -> None:
    _pipeline()
    runs = sim_prefect.state_log()
    assert [(r.kind, r.owner) for r in runs] == [("flow", "example-pipeline"), ("task", "fetch"), ("task", "total")]
    flow_run, fetch_run, total_run = runs
    assert flow_run.state_names == ["Pending", "Running", "Completed"]
    assert fetch_run.state_names == ["Pending", "Running", "AwaitingRetry", "Retrying", "Completed"]
    assert fetch_run.run_count == 2 and total_run.run_count == 1
    assert fetch_run.parent_id == flow_run.run_id and fetch_run.flow_run_id == flow_run.run_id
    assert all(
        a.timestamp < b.timestamp for r in runs for a, b in zip(r.states, r.states[1:])
    )  # strictly increasing, as Prefect keeps them
    assert fetch_run.ended is not None and flow_run.started is not None


def test_print_state_log_prints_one_indented_row_per_run(sim, capsys) -> None:
    _pipeline()
    sim_prefect.print_state_log()
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "State log (3 runs)"
    assert re.match(r"^  flow run '[a-z]+-[a-z]+'\s+09:00:00\.\d{3}\s+1\.\d{3}s  Pending -> Running -> Completed$", out[1])
    assert re.match(r"^    task run 'fetch-[0-9a-f]{3}'\s+.*Pending -> Running -> AwaitingRetry -> Retrying -> Completed$", out[2])
    assert out[3].startswith("    task run 'total-")


def test_print_state_log_with_no_runs_says_so(sim, capsys) -> None:
    sim_prefect.print_state_log()
    assert capsys.readouterr().out == "State log: no runs yet.\n"


def test_every_event_to_dict_is_json_serialisable(sim) -> None:
    @task
    def bad() -> None:
        raise ValueError("with a traceback")

    @flow
    def f() -> None:
        bad(return_state=True)

    f()
    kinds = {type(e) for e in sim.events}
    assert kinds == {RunCreated, StateChanged, LogEmitted}
    decoded = [json.loads(json.dumps(e.to_dict())) for e in sim.events]
    assert {d["event"] for d in decoded} == {"run", "state", "log"}
    failed = next(d for d in decoded if d["event"] == "state" and d["type"] == "FAILED")
    assert failed["message"] == "Task run encountered an exception ValueError: with a traceback"
    assert any(d["event"] == "log" and d["traceback"] for d in decoded)
    assert json.loads(json.dumps([r.to_dict() for r in sim_prefect.state_log()]))[1]["states"][-1]["name"] == "Failed"


def test_subscribe_and_unsubscribe(sim) -> None:
    got: list[object] = []
    unsubscribe = sim_prefect.subscribe(got.append)

    @flow
    def f() -> None: ...

    f()
    count = len(got)
    unsubscribe()
    f()
    assert count > 0 and len(got) == count


def test_subflow_tracking_runs_are_in_the_log_but_not_in_the_printed_table(sim, capsys) -> None:
    @flow
    def child() -> None: ...

    @flow
    def parent() -> None:
        child()

    parent()
    assert [r.name for r in sim_prefect.state_log() if r.tracks == "subflow"] == ["child-0"]
    sim_prefect.print_state_log()
    out = capsys.readouterr().out
    assert "child-0" not in out and out.startswith("State log (2 runs)")
