"""Run names have Prefect 3's shapes; flow and task names come from the function."""

from __future__ import annotations

import random
import re

import pytest

import sim_prefect
from sim_prefect import flow, names, task


def test_flow_run_names_are_adjective_animal_slugs() -> None:
    rng = random.Random(1)
    generated = {names.flow_run_name(rng) for _ in range(300)}
    assert all(re.fullmatch(r"[a-z]+-[a-z]+", n) for n in generated)
    assert len(generated) > 200  # varied, not a handful


def test_task_run_names_end_in_three_hex_characters() -> None:
    rng = random.Random(2)
    generated = [names.task_run_name("fetch_data", rng) for _ in range(200)]
    assert all(re.fullmatch(r"fetch_data-[0-9a-f]{3}", n) for n in generated)
    assert "fetch_data-0" not in generated  # not Prefect 2's numbering


def test_flow_name_replaces_underscores_task_name_keeps_them() -> None:
    @task
    def fetch_data() -> None: ...

    @flow
    def plain_flow() -> None: ...

    assert (plain_flow.name, fetch_data.name) == ("plain-flow", "fetch_data")


def test_runs_in_a_flow_get_generated_names_and_a_task_outside_keeps_its_own(sim) -> None:
    @task
    def fetch_data() -> str:
        return sim_prefect.runtime.task_run.name

    @flow
    def pipeline() -> list[str]:
        return [fetch_data(), fetch_data()]

    inside = pipeline()
    assert all(re.fullmatch(r"fetch_data-[0-9a-f]{3}", n) for n in inside)
    assert len(set(inside)) == 2
    flow_run = sim_prefect.state_log()[0]
    assert re.fullmatch(r"[a-z]+-[a-z]+", flow_run.name)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # deterministic mode: no warning (its location differs between Pythons)
        assert fetch_data() == "fetch_data"
    sim_prefect.configure("fast", terminal=False)
    with pytest.warns(UserWarning, match="attempted to send logs to the API without a flow run id"):
        assert fetch_data() == "fetch_data"


def test_templates_and_callables_name_runs_without_a_suffix(sim) -> None:
    @task(task_run_name="fetch-{url}")
    def templated(url: str) -> str:
        return sim_prefect.runtime.task_run.name

    @task(task_run_name=lambda: f"made-for-{sim_prefect.runtime.task_run.parameters['x']}")
    def from_callable(x: int) -> str:
        return sim_prefect.runtime.task_run.name

    @flow(name="Nice Flow Name", flow_run_name="run-for-{city}-{n}")
    def templated_flow(city: str, n: int = 3) -> tuple[str, str, str]:
        return templated("https://x.test"), from_callable(5), sim_prefect.runtime.flow_run.name

    assert templated_flow("Paris") == ("fetch-https://x.test", "made-for-5", "run-for-Paris-3")


def test_seeded_sessions_give_the_same_names() -> None:
    def names_of_one_run() -> list[str]:
        sim_prefect.configure("deterministic", terminal=False)

        @task
        def t() -> None: ...

        @flow
        def f() -> None:
            t()
            t()

        f()
        return [r.name for r in sim_prefect.state_log()]

    first, second = names_of_one_run(), names_of_one_run()
    assert first == second and len(first) == 3
