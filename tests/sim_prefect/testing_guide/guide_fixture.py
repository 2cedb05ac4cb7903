# docs: test-workflows.mdx "Run flows against a temporary database" (the session fixture), "Test the
# underlying function without the engine" (.fn()) and "MissingContextError from get_run_logger"
import pytest
from prefect import flow, get_run_logger, task
from prefect.exceptions import MissingContextError
from prefect.logging import disable_run_logger
from prefect.testing.utilities import prefect_test_harness


@pytest.fixture(autouse=True, scope="session")
def prefect_test_fixture():
    with prefect_test_harness():
        yield


@task
def my_favorite_task():
    return 42


@task
def my_task():
    logger = get_run_logger()
    logger.info("Hello from a task")
    return 42


@flow
def my_favorite_flow():
    val = my_favorite_task()
    return val


@flow
def failing_flow():
    raise ValueError("nope")


def test_my_favorite_flow():
    assert my_favorite_flow() == 42


def test_my_favorite_task():
    assert my_favorite_task.fn() == 42


def test_fn_with_the_run_logger_needs_a_run():
    with pytest.raises(MissingContextError, match="There is no active flow or task run context."):
        my_task.fn()


def test_task_with_logging():
    with disable_run_logger():
        result = my_task.fn()
    assert result == 42


def test_a_failed_flow_gives_its_state():
    state = failing_flow(return_state=True)
    assert state.is_failed()
    with pytest.raises(ValueError, match="nope"):
        state.result()
