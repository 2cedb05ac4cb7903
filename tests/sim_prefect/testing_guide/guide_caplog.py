# docs: test-workflows.mdx "Capture log output in tests"
import logging
from typing import Any

import pytest
from prefect import flow, get_run_logger, task
from prefect.testing.utilities import prefect_test_harness


@task
def log_message() -> None:
    logger = get_run_logger()
    logger.info("Logging from task")


@flow
def parent_flow() -> None:
    logger = get_run_logger()
    logger.info("Logging from flow")
    log_message()


@pytest.fixture(autouse=True, scope="session")
def prefect_test_fixture():
    with prefect_test_harness():
        yield


def test_flow_log_message(caplog: Any) -> None:
    caplog.set_level(logging.INFO)
    parent_flow()

    assert "Logging from flow" in caplog.messages


def test_task_log_message(caplog: Any) -> None:
    caplog.set_level(logging.INFO)
    parent_flow()

    assert "Logging from task" in caplog.messages


def test_the_records_are_prefects(caplog: Any) -> None:
    # Beyond the guide: the records come from Prefect's loggers, the engine's lines among them.
    caplog.set_level(logging.INFO)
    parent_flow()
    names = {(r.name, r.getMessage()) for r in caplog.records}
    assert ("prefect.flow_runs", "Logging from flow") in names
    assert ("prefect.task_runs", "Finished in state Completed()") in names


def test_a_disabled_run_logger_is_not_captured(caplog: Any) -> None:
    # The guide's note: "If you disable the run logger with disable_run_logger(), caplog does not
    # capture any log output from flows or tasks."
    from prefect.logging import disable_run_logger

    caplog.set_level(logging.INFO)
    with disable_run_logger():
        parent_flow()
    assert not [r for r in caplog.records if r.name in ("prefect.flow_runs", "prefect.task_runs")]
