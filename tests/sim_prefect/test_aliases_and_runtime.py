"""`import prefect` served by sim_prefect, and prefect.runtime inside and outside runs."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import sim_prefect
from sim_prefect import flow, runtime, task
from sim_prefect.aliases import PREFECT_MODULES

REPO = Path(__file__).resolve().parents[2]


def test_install_as_prefect_makes_prefect_imports_find_the_simulator() -> None:
    script = textwrap.dedent(
        """
        import sim_prefect
        sim_prefect.install_as_prefect()
        from prefect import flow, task, get_run_logger
        from prefect.futures import wait
        from prefect.states import Completed
        from prefect.tasks import exponential_backoff
        from prefect.runtime import flow_run
        from prefect.exceptions import MissingContextError
        import prefect
        print(prefect.__name__, flow.__module__ if hasattr(flow, "__module__") else "", wait.__module__)
        try:
            import prefect.workers
        except ModuleNotFoundError:
            print("not simulated: prefect.workers")
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out[0].startswith("sim_prefect ")
    assert out[1] == "not simulated: prefect.workers"


def test_alias_table_points_at_importable_modules() -> None:
    import importlib

    for alias, target in PREFECT_MODULES.items():
        assert alias == "prefect" or alias.startswith("prefect.")
        importlib.import_module(target)


def test_runtime_is_empty_outside_runs() -> None:
    assert runtime.flow_run.name is None and runtime.task_run.name is None
    assert runtime.flow_run.parameters == {} and runtime.task_run.parameters == {}
    assert runtime.flow_run.run_count == 0


def test_runtime_inside_a_task_sees_the_task_and_its_flow(sim) -> None:
    @task(retries=1)
    def t(x: int) -> dict:
        info = {
            "task": runtime.task_run.name,
            "task_name": runtime.task_run.task_name,
            "parameters": runtime.task_run.parameters,
            "run_count": runtime.task_run.run_count,
            "flow": runtime.flow_run.name,
            "flow_name": runtime.flow_run.flow_name,
        }
        if info["run_count"] == 1:
            raise ConnectionError("retry me")
        return info

    @flow(flow_run_name="the-run")
    def f(x: int = 4) -> dict:
        assert runtime.flow_run.parameters == {"x": 4}
        return t(x)

    info = f()
    assert info["task"].startswith("t-") and info["task_name"] == "t"
    assert info["parameters"] == {"x": 4} and info["run_count"] == 2
    assert (info["flow"], info["flow_name"]) == ("the-run", "f")


def test_unknown_runtime_attribute_is_an_attribute_error() -> None:
    try:
        runtime.task_run.colour  # noqa: B018
    except AttributeError as exc:
        assert "colour" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_classes_report_prefects_module_paths() -> None:
    from sim_prefect import exceptions, flow_engine, futures, task_engine

    assert task_engine.TaskRunTimeoutError.__module__ == "prefect.task_engine"
    assert flow_engine.FlowRunTimeoutError.__module__ == "prefect.flow_engine"
    assert exceptions.CancelledRun.__module__ == "prefect.exceptions"
    assert futures.PrefectFutureList.__module__ == "prefect.futures"
    assert sim_prefect.Task.__module__ == "prefect.tasks" and sim_prefect.Flow.__module__ == "prefect.flows"


def test_tags_context_adds_tags_to_runs_made_inside_it(sim) -> None:
    @task(tags=["own"])
    def t() -> list[str]:
        return runtime.task_run.tags

    @flow
    def f() -> tuple[list[str], list[str]]:
        return runtime.flow_run.tags, t()

    with sim_prefect.tags("nightly", "demo") as current:
        assert current == {"nightly", "demo"}
        inside = f()
    outside = f()
    assert inside == (["demo", "nightly"], ["demo", "nightly", "own"])
    assert outside == ([], ["own"])
