"""prefect-dask in sim_prefect: `from prefect_dask import DaskTaskRunner` imports, and every name fails when used.

Page 9 ("Scaling out") says what the page does with a `DaskTaskRunner`: it
refuses it at the line that builds it, naming what to run at home, because
one thread cannot stand in for a cluster's worker processes. These tests hold
that, through the same `import prefect` alias the page runs learners' code with.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from sim_prefect.aliases import INTEGRATION_MODULES, prefect_alias
from sim_prefect.exceptions import NotImitatedError

REPO = Path(__file__).resolve().parents[2]
AT_HOME = "`pip install prefect prefect-dask`, then `python your_flow.py`"


@pytest.fixture
def aliased(sim) -> Iterator[None]:  # type: ignore[no-untyped-def]
    with prefect_alias():
        yield


def test_the_integration_table_points_at_importable_modules() -> None:
    for alias, target in INTEGRATION_MODULES.items():
        assert alias.partition(".")[0] == "prefect_dask"
        importlib.import_module(target)


def test_dask_task_runner_imports_from_where_prefect_dask_keeps_it(aliased: None) -> None:
    from prefect_dask import DaskTaskRunner
    from prefect_dask.task_runners import DaskTaskRunner as from_task_runners

    assert from_task_runners is DaskTaskRunner
    assert DaskTaskRunner.__module__ == "prefect_dask.task_runners"


@pytest.mark.parametrize(
    "build",
    [
        "DaskTaskRunner()",
        "DaskTaskRunner(cluster_kwargs={'n_workers': 2, 'threads_per_worker': 1})",
        "DaskTaskRunner(address='tcp://127.0.0.1:8786')",
    ],
)
def test_building_a_dask_task_runner_fails_naming_it_and_what_to_run_at_home(aliased: None, build: str) -> None:
    from prefect_dask import DaskTaskRunner

    with pytest.raises(NotImitatedError) as caught:
        eval(build, {"DaskTaskRunner": DaskTaskRunner})
    message = str(caught.value)
    assert message.startswith("prefect-dask's DaskTaskRunner (task runs in the worker processes of a Dask cluster;")
    assert AT_HOME in message and "cannot run on sim_prefect" in message


def test_a_flow_given_the_class_fails_when_it_is_defined_before_any_run(sim, aliased: None) -> None:  # type: ignore[no-untyped-def]
    from prefect import flow
    from prefect_dask import DaskTaskRunner

    with pytest.raises(NotImitatedError, match="DaskTaskRunner"):

        @flow(task_runner=DaskTaskRunner)
        def crunch() -> None: ...

    @flow
    def plain() -> int:
        return 1

    with pytest.raises(NotImitatedError, match="DaskTaskRunner"):
        plain.with_options(task_runner=DaskTaskRunner)
    assert sim.events == [], "nothing ran: the error comes before any run"


@pytest.mark.parametrize(
    "use",
    [
        "from prefect_dask import PrefectDaskClient; PrefectDaskClient()",
        "from prefect_dask import get_dask_client; get_dask_client()",
        "from prefect_dask import get_async_dask_client; get_async_dask_client()",
        "from prefect_dask.utils import get_dask_client; get_dask_client(timeout=5)",
    ],
)
def test_prefect_dasks_other_names_fail_naming_themselves(aliased: None, use: str) -> None:
    name = use.split(";")[1].strip().split("(")[0]
    with pytest.raises(NotImitatedError, match=f"prefect-dask's {name} "):
        exec(use, {})


def test_in_a_fresh_python_the_alias_serves_prefect_dask_and_refuses_prefect_ray() -> None:
    """As `python script.py` with sim_prefect as prefect: the real prefect-dask, if installed, is never reached."""
    script = textwrap.dedent(
        """
        import sim_prefect; sim_prefect.install_as_prefect()
        import sys
        import prefect_dask
        print(prefect_dask.__name__)
        print(sorted(m for m in sys.modules if m.startswith(("prefect_dask", "distributed", "dask"))))
        try:
            import prefect_ray
        except ModuleNotFoundError as e:
            print(e)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    assert lines[0] == "sim_prefect.prefect_dask"
    assert lines[1] == "['prefect_dask']"  # neither Dask nor the real integration was imported
    assert lines[2].startswith("prefect-ray's RayTaskRunner (task runs on a Ray cluster) (prefect_ray) cannot run on sim_prefect")
