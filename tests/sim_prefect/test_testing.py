"""Testing flows (prefect.testing): prefect_test_harness, and the guide's pytest examples on both legs."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import sim_prefect
from sim_prefect import flow, get_run_logger, task
from sim_prefect.client.orchestration import get_client
from sim_prefect.testing.utilities import prefect_test_harness
from tests.harness.real_prefect import clean_env, prefect_env, skip_reason

GUIDE = Path(__file__).resolve().parent / "testing_guide"


@task
def answer():
    get_run_logger().info("answering")
    return 42


@flow
def asks():
    return answer()


def flow_run_count() -> int:
    with get_client(sync_client=True) as client:
        return client.count_flow_runs()


def test_the_harness_gives_a_fresh_server_and_puts_the_old_one_back(sim) -> None:
    asks()
    before = sim_prefect.session().store
    with prefect_test_harness():
        assert sim_prefect.session().store is not before and flow_run_count() == 0
        assert asks() == 42
        assert flow_run_count() == 1 and len(sim_prefect.state_log()) == 2
    assert sim_prefect.session().store is before
    assert flow_run_count() == 1 and [r.owner for r in sim_prefect.state_log()] == ["asks", "answer"]
    asks()  # the restored server is fed again
    assert flow_run_count() == 2


def test_the_harness_puts_the_old_server_back_when_the_block_fails(sim) -> None:
    before = sim_prefect.session().store
    with pytest.raises(RuntimeError), prefect_test_harness(server_startup_timeout=60):
        raise RuntimeError("a failing test")
    assert sim_prefect.session().store is before


def test_the_harness_prints_no_server_lines(sim, capsys: pytest.CaptureFixture[str]) -> None:
    sim_prefect.configure("deterministic")  # with the terminal, this time
    with prefect_test_harness():
        asks()
    err = capsys.readouterr().err
    assert "Beginning flow run" in err and "temporary server" not in err and "View at" not in err


def test_caplog_sees_prefects_records_once_and_under_prefects_names(sim, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    asks()
    records = [(r.name, r.getMessage()) for r in caplog.records]
    assert records.count(("prefect.task_runs", "answering")) == 1
    assert ("prefect.flow_runs", "Finished in state Completed()") in records


def test_a_disabled_run_logger_silences_the_engines_lines_too(sim, caplog: pytest.LogCaptureFixture) -> None:
    from sim_prefect.loggers import disable_run_logger

    caplog.set_level(logging.INFO)
    with disable_run_logger():
        asks()
    assert caplog.records == [] and sim.logs == []


BASIC_CONFIG = """
import logging, sim_prefect
from sim_prefect import flow, get_run_logger
logging.basicConfig(level=logging.INFO)  # after the import: as under Prefect, it changes nothing
logging.getLogger("mylib").warning("from mylib")

@flow
def f():
    get_run_logger().info("hello")

f()
"""


def test_a_learners_basic_config_after_the_import_prints_nothing_twice(tmp_path: Path) -> None:
    env = {**clean_env(), "SIM_PREFECT_MODE": "deterministic"}
    done = subprocess.run([sys.executable, "-c", BASIC_CONFIG], env=env, capture_output=True, text=True, timeout=120, check=False)
    lines = [line.split(" | ", 1)[1] for line in done.stderr.splitlines()]
    assert lines == [
        "WARNING | mylib - from mylib",
        "INFO    | Flow run 'olive-ocelot' - Beginning flow run 'olive-ocelot' for flow 'f'",
        "INFO    | Flow run 'olive-ocelot' - hello",
        "INFO    | Flow run 'olive-ocelot' - Finished in state Completed()",
    ], done.stderr


# -- the guide's examples, with pytest, in a fresh process -----------------------------------------


def run_pytest(files: list[str], tmp_path: Path, env: dict[str, str], prelude: str) -> subprocess.CompletedProcess[str]:
    """pytest on copies of the guide's files in a folder of their own (no configuration of ours around them)."""
    for name in files:
        shutil.copy(GUIDE / name, tmp_path / name)
    code = f"import sys\n{prelude}\nimport pytest\nsys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', *{files!r}]))"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600, check=False
    )


SIM_FILES = ["guide_harness.py", "guide_fixture.py", "guide_caplog.py", "guide_clean_harness.py"]


@pytest.mark.fake
def test_the_guides_examples_pass_on_sim_prefect(tmp_path: Path) -> None:
    env: dict[str, Any] = {**clean_env(), "SIM_PREFECT_MODE": "fast"}
    done = run_pytest(SIM_FILES, tmp_path, env, "import sim_prefect\nsim_prefect.install_as_prefect()")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "12 passed" in done.stdout
    assert "prefect_test_harness" not in done.stdout  # nothing failed or was reported about the harness


@pytest.mark.real
def test_the_guides_caplog_example_passes_on_real_prefect(tmp_path: Path) -> None:
    """Once against real Prefect: its harness starts a server (seconds), so one module, one start."""
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    home = tmp_path / "home"
    home.mkdir()
    done = run_pytest(["guide_caplog.py"], tmp_path, prefect_env(home), "")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 passed" in done.stdout
